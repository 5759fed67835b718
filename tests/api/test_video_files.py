"""Video Files: an administrator deletes a video's HLS renditions or web videos, one or all; the
master playlist and segment hashes follow; the last playable format is never deleted."""

from __future__ import annotations

import pytest

from tests.support.media import make_clip
from tests.support.video_files import path_of
from tests.support.videos import get_video, my_channel_id, upload_video, wait_for_state

CONFIG = {"transcoding": {"web_videos": {"enabled": True}, "hls": {"enabled": True},
                          "resolutions": {"144p": True}}}


@pytest.fixture(scope="module")
def files_server(server_factory):
    return server_factory(config=CONFIG)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4", duration=3, width=320, height=180)


def published(server, clip, name="files") -> dict:
    video = upload_video(server.root, my_channel_id(server.root), clip, name=name, privacy=1)
    wait_for_state(server.root, video["uuid"])
    return get_video(server.root, video["uuid"])


def hls_dir(server, video) -> object:
    return server.data_dir / "storage" / "streaming-playlists" / "hls" / video["uuid"]


def test_every_format_and_rendition_is_there_after_transcoding(files_server, clip):
    video = published(files_server, clip)
    assert [f["resolution"]["id"] for f in video["files"]] == [180, 144]
    playlist = video["streamingPlaylists"][0]
    assert [f["resolution"]["id"] for f in playlist["files"]] == [180, 144]
    master = files_server.anonymous.get(path_of(playlist["playlistUrl"]))
    assert master.status_code == 200 and master.text.count("#EXT-X-STREAM-INF") == 2


def test_deleting_one_hls_rendition_rewrites_the_master_playlist(files_server, clip):
    video = published(files_server, clip)
    playlist = video["streamingPlaylists"][0]
    low = next(f for f in playlist["files"] if f["resolution"]["id"] == 144)
    response = files_server.root.delete(f"/api/v1/videos/{video['uuid']}/hls/{low['id']}")
    assert response.status_code == 204, response.text

    after = get_video(files_server.root, video["uuid"])
    new_playlist = after["streamingPlaylists"][0]
    assert [f["resolution"]["id"] for f in new_playlist["files"]] == [180]
    assert new_playlist["playlistUrl"] != playlist["playlistUrl"]  # rewritten under a new name
    master = files_server.anonymous.get(path_of(new_playlist["playlistUrl"])).text
    assert master.count("#EXT-X-STREAM-INF") == 1 and "RESOLUTION=320x180" in master
    hashes = files_server.anonymous.get(path_of(new_playlist["segmentsSha256Url"])).json()
    assert list(hashes) == [new_playlist["files"][0]["fileUrl"].rsplit("/", 1)[1]]
    left = {p.name for p in hls_dir(files_server, video).iterdir()}
    assert low["fileUrl"].rsplit("/", 1)[1] not in left
    assert playlist["playlistUrl"].rsplit("/", 1)[1] not in left
    assert files_server.anonymous.get(path_of(low["fileUrl"])).status_code == 404


def test_deleting_all_hls_then_the_last_web_videos_is_refused(files_server, clip):
    video = published(files_server, clip)
    ref = video["uuid"]
    assert files_server.root.delete(f"/api/v1/videos/{ref}/hls").status_code == 204
    after = get_video(files_server.root, ref)
    assert after["streamingPlaylists"] == [] and len(after["files"]) == 2
    assert not hls_dir(files_server, video).exists()

    refused = files_server.root.delete(f"/api/v1/videos/{ref}/web-videos")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "Cannot delete Web Video files since this video does not have HLS playlist"
    again = files_server.root.delete(f"/api/v1/videos/{ref}/hls")
    assert (again.status_code, again.json()["detail"]) == (400, "This video does not have HLS files")

    # one web video may go while another remains, not the last one
    low = next(f for f in after["files"] if f["resolution"]["id"] == 144)
    assert files_server.root.delete(f"/api/v1/videos/{ref}/web-videos/{low['id']}").status_code == 204
    last = get_video(files_server.root, ref)["files"]
    assert [f["resolution"]["id"] for f in last] == [180]
    refused = files_server.root.delete(f"/api/v1/videos/{ref}/web-videos/{last[0]['id']}")
    assert refused.status_code == 400
    assert files_server.anonymous.get(path_of(last[0]["fileUrl"])).status_code == 200


def test_deleting_web_videos_keeps_hls(files_server, clip):
    video = published(files_server, clip)
    ref = video["uuid"]
    web_names = [f["fileUrl"].rsplit("/", 1)[1] for f in video["files"]]
    assert files_server.root.delete(f"/api/v1/videos/{ref}/web-videos").status_code == 204
    after = get_video(files_server.root, ref)
    assert after["files"] == [] and len(after["streamingPlaylists"][0]["files"]) == 2
    web_dir = files_server.data_dir / "storage" / "web-videos"
    assert not any((web_dir / name).exists() for name in web_names)
    for file in video["files"]:
        torrent = file["torrentUrl"].rsplit("/", 1)[1]
        assert not (files_server.data_dir / "storage" / "torrents" / torrent).exists()

    # the last HLS rendition is the last playable file
    playlist = after["streamingPlaylists"][0]
    first, second = playlist["files"]
    assert files_server.root.delete(f"/api/v1/videos/{ref}/hls/{second['id']}").status_code == 204
    refused = files_server.root.delete(f"/api/v1/videos/{ref}/hls/{first['id']}")
    assert refused.status_code == 400
    assert refused.json()["detail"] == ("Cannot delete last HLS playlist file since this video does not have "
                                        "Web Video files")


def test_unknown_videos_and_files(files_server, clip):
    video = published(files_server, clip)
    root = files_server.root
    assert root.delete("/api/v1/videos/987654/hls").status_code == 404
    assert root.delete("/api/v1/videos/987654/web-videos").status_code == 404
    missing = root.delete(f"/api/v1/videos/{video['uuid']}/hls/987654")
    assert (missing.status_code, missing.json()["detail"]) == (404, "This HLS playlist does not have this file id")
    missing = root.delete(f"/api/v1/videos/{video['uuid']}/web-videos/987654")
    assert (missing.status_code, missing.json()["detail"]) == (404, "This video does not have this Web Video file id")
