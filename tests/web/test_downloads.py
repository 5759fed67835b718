"""Video Download: files as attachments named after the video, `downloadEnabled`, kept originals,
the generated MP4 joining two files' streams, the download counter and the generation rate limit."""

from __future__ import annotations

import io
import uuid

import av
import pytest
import torf

from tests.support.video_files import FILES_CONFIG, fetch, file_token, hls_file, path_of, uploaded
from tests.support.videos import get_video

PRIVATE = 3


@pytest.fixture(scope="module")
def instance(server_factory):
    return server_factory(config=FILES_CONFIG)


@pytest.fixture(scope="module")
def people(instance):
    suffix = uuid.uuid4().hex[:6]
    return {"owner": instance.create_user(f"dlowner{suffix}"),
            "other": instance.create_user(f"dlother{suffix}"),
            "moderator": instance.create_user(f"dlmod{suffix}", role=1)}


@pytest.fixture(scope="module")
def video(people):
    return uploaded(people["owner"], name="Été clip")


def downloads(client, ref) -> int:
    return get_video(client, ref)["downloads"]


def streams_of(content: bytes) -> tuple[int, int]:
    """(video streams, audio streams) of a media file, as PyAV decodes it."""
    with av.open(io.BytesIO(content)) as container:
        kinds = [stream.type for stream in container.streams]
        frame = next(container.decode(video=0), None) if "video" in kinds else None
    assert frame is not None or "video" not in kinds
    return kinds.count("video"), kinds.count("audio")


def test_web_video_download(instance, people, video):
    file = video["files"][0]
    before = downloads(instance.root, video["uuid"])
    response = fetch(instance.anonymous, file["fileDownloadUrl"])
    assert response.status_code == 200
    assert response.content == fetch(instance.anonymous, file["fileUrl"]).content
    resolution = file["resolution"]["id"]
    assert response.headers["content-disposition"] == (
        f"attachment; filename=\"_t_ clip-{resolution}p.mp4\"; "
        f"filename*=UTF-8''%C3%89t%C3%A9%20clip-{resolution}p.mp4")
    assert downloads(instance.root, video["uuid"]) == before + 1


def test_resumed_downloads_count_once(instance, video):
    url = video["files"][0]["fileDownloadUrl"]
    before = downloads(instance.root, video["uuid"])
    assert fetch(instance.anonymous, url, headers={"Range": "bytes=0-999"}).status_code == 206
    resumed = fetch(instance.anonymous, url, headers={"Range": "bytes=1000-"})
    assert resumed.status_code == 206
    assert downloads(instance.root, video["uuid"]) == before + 1


def test_hls_file_and_torrent_downloads(instance, video):
    file = hls_file(video)
    response = fetch(instance.anonymous, file["fileDownloadUrl"])
    assert response.status_code == 200
    assert f"clip-{file['resolution']['id']}p-hls.mp4" in response.headers["content-disposition"]
    assert response.content == fetch(instance.anonymous, file["fileUrl"]).content
    torrent_response = fetch(instance.anonymous, file["torrentDownloadUrl"])
    assert torrent_response.status_code == 200
    assert f"clip-{file['resolution']['id']}p.torrent" in torrent_response.headers["content-disposition"]
    assert torf.Torrent.read_stream(torrent_response.content).infohash in file["magnetUri"]


def test_disabled_downloads_are_for_those_who_manage_the_video(instance, people):
    video = uploaded(people["owner"], downloadEnabled=False)
    assert video["downloadEnabled"] is False
    urls = [video["files"][0]["fileDownloadUrl"], hls_file(video)["fileDownloadUrl"],
            hls_file(video)["torrentDownloadUrl"]]
    for url in urls:
        refused = fetch(people["other"], url)
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert fetch(instance.anonymous, url).status_code == 403
        assert fetch(people["owner"], url).status_code == 200
        assert fetch(people["moderator"], url).status_code == 200
    generate = f"/download/videos/generate/{video['uuid']}"
    assert people["other"].get(generate, params={"videoFileIds": hls_file(video)["id"]}).status_code == 403
    # the owner's file token speaks for the owner
    token = file_token(people["owner"], video["uuid"])
    assert fetch(instance.anonymous, urls[0], params={"videoFileToken": token}).status_code == 200


def test_private_videos_downloads(instance, people):
    video = uploaded(people["owner"], privacy=PRIVATE)
    url = video["files"][0]["fileDownloadUrl"]
    assert fetch(instance.anonymous, url).status_code == 401
    assert fetch(people["other"], url).status_code == 403
    assert fetch(people["owner"], url).status_code == 200
    token = file_token(people["owner"], video["uuid"])
    assert fetch(instance.anonymous, url, params={"videoFileToken": token}).status_code == 200
    assert fetch(instance.anonymous, url, params={"videoFileToken": token + "x"}).status_code == 403


def test_kept_originals_are_for_the_owner_and_moderators(instance, people, video):
    source = people["owner"].get(f"/api/v1/videos/{video['uuid']}/source")
    assert source.status_code == 200, source.text
    url = source.json()["fileDownloadUrl"]
    assert "/download/original-video-files/" in url
    owned = fetch(people["owner"], url)
    assert owned.status_code == 200 and owned.content
    assert "attachment;" in owned.headers["content-disposition"]
    assert fetch(people["moderator"], url).status_code == 200
    assert fetch(people["other"], url).status_code == 403
    assert fetch(instance.anonymous, url).status_code == 401
    token = file_token(people["other"], video["uuid"])   # may see the video, may not take its original
    assert fetch(instance.anonymous, url, params={"videoFileToken": token}).status_code == 403


def test_generated_download_of_one_file(instance, video):
    file = hls_file(video)
    before = downloads(instance.root, video["uuid"])
    response = instance.anonymous.get(f"/download/videos/generate/{video['uuid']}",
                                      params={"videoFileIds": file["id"]})
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    assert f"clip-{file['resolution']['id']}p.mp4" in response.headers["content-disposition"]
    assert streams_of(response.content) == (1, 1)
    assert downloads(instance.root, video["uuid"]) == before + 1


def test_generated_download_joins_the_video_of_one_file_and_the_audio_of_another(instance, video):
    web_file, hls = video["files"][0], hls_file(video)
    for ids in (f"{web_file['id']},{hls['id']}", [str(web_file["id"]), str(hls["id"])]):
        response = instance.anonymous.get(f"/download/videos/generate/{video['shortUUID']}",
                                          params={"videoFileIds": ids})
        assert response.status_code == 200
        assert "content-length" not in response.headers   # streamed while ffmpeg writes it
        assert streams_of(response.content) == (1, 1)


def test_generation_is_rate_limited(server_factory):
    limit = {"download_generate_video": {"window": "1 minute", "max": 2}}
    instance = server_factory(config={"rates_limit": limit})
    owner = instance.create_user(f"dlrate{uuid.uuid4().hex[:6]}")
    video = uploaded(owner)
    path = f"/download/videos/generate/{video['uuid']}"
    params = {"videoFileIds": hls_file(video)["id"]}
    assert [owner.get(path, params=params).status_code for _ in range(3)] == [200, 200, 429]
    assert instance.root.get(path, params=params).status_code == 200   # administrators are never limited


def test_unknown_files(instance):
    for url in ("/download/web-videos/missing.mp4", "/download/streaming-playlists/hls/videos/missing.mp4",
                "/download/torrents/missing.torrent", "/download/original-video-files/missing.mp4"):
        assert instance.anonymous.get(path_of(url)).status_code == 404
