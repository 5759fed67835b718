"""Static Video Files: HLS and web videos at PeerTube's URLs, byte ranges, validators, MIME types and
cache headers, the lazy-static files of a video, and private files behind a bearer or a file token."""

from __future__ import annotations

import json
import uuid

import pytest
import torf

from tests.support.server import Client
from tests.support.video_files import (FILES_CONFIG, byte_ranges, fetch, file_token, hls_file, hls_playlist,
                                       path_of, playlist_references, uploaded)
from tests.support.videos import get_video

PRIVATE, INTERNAL, PASSWORD_PROTECTED = 3, 4, 5


@pytest.fixture(scope="module")
def public_video(server):
    return uploaded(server.create_user(f"static{uuid.uuid4().hex[:6]}"))


@pytest.fixture(scope="module")
def people(server):
    suffix = uuid.uuid4().hex[:6]
    return {"owner": server.create_user(f"staticowner{suffix}"),
            "other": server.create_user(f"staticother{suffix}"),
            "moderator": server.create_user(f"staticmod{suffix}", role=1)}


@pytest.fixture(scope="module")
def private_video(people):
    return uploaded(people["owner"], privacy=PRIVATE)


@pytest.fixture(scope="module")
def web_videos_server(server_factory):
    return server_factory(config=FILES_CONFIG)


def test_master_and_resolution_playlists(server, public_video):
    playlist = hls_playlist(public_video)
    assert "/private/" not in playlist["playlistUrl"]
    master = fetch(server.anonymous, playlist["playlistUrl"])
    assert master.status_code == 200
    assert master.headers["content-type"] == "application/x-mpegurl; charset=utf-8"
    assert master.headers["cache-control"] == "public, max-age=7200"
    assert master.text.startswith("#EXTM3U")
    file = hls_file(public_video)
    resolution_playlist = file["playlistUrl"].rsplit("/", 1)[1]
    assert resolution_playlist in master.text
    variant = fetch(server.anonymous, file["playlistUrl"])
    assert variant.status_code == 200 and byte_ranges(variant.text)
    hashes = fetch(server.anonymous, playlist["segmentsSha256Url"])
    assert hashes.headers["content-type"] == "application/json; charset=utf-8"
    assert file["fileUrl"].rsplit("/", 1)[1] in json.loads(hashes.content)


def test_segments_are_served_as_byte_ranges(server, public_video):
    file = hls_file(public_video)
    whole = fetch(server.anonymous, file["fileUrl"])
    assert whole.status_code == 200
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["accept-ranges"] == "bytes"
    assert int(whole.headers["content-length"]) == len(whole.content) == file["size"]
    ranges = byte_ranges(fetch(server.anonymous, file["playlistUrl"]).text)
    for offset, length in ranges[:3] + ranges[-1:]:
        part = fetch(server.anonymous, file["fileUrl"],
                     headers={"Range": f"bytes={offset}-{offset + length - 1}"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes {offset}-{offset + length - 1}/{file['size']}"
        assert part.content == whole.content[offset:offset + length]
    tail = fetch(server.anonymous, file["fileUrl"], headers={"Range": "bytes=-100"})
    assert tail.status_code == 206 and tail.content == whole.content[-100:]
    open_ended = fetch(server.anonymous, file["fileUrl"], headers={"Range": f"bytes={file['size'] - 10}-"})
    assert open_ended.status_code == 206 and open_ended.content == whole.content[-10:]


def test_head_answers_the_headers_only(server, public_video):
    file = hls_file(public_video)
    head = server.anonymous.request("HEAD", path_of(file["fileUrl"]))
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == file["size"]
    assert head.headers["content-type"] == "video/mp4"
    ranged = server.anonymous.request("HEAD", path_of(file["fileUrl"]), headers={"Range": "bytes=0-9"})
    assert ranged.status_code == 206 and ranged.headers["content-length"] == "10"


def test_validators_answer_304_and_guard_ranges(server, public_video):
    url = hls_file(public_video)["fileUrl"]
    first = fetch(server.anonymous, url)
    etag, last_modified = first.headers["etag"], first.headers["last-modified"]
    assert fetch(server.anonymous, url, headers={"If-None-Match": etag}).status_code == 304
    assert fetch(server.anonymous, url, headers={"If-Modified-Since": last_modified}).status_code == 304
    assert fetch(server.anonymous, url, headers={"If-None-Match": '"another"'}).status_code == 200
    # If-Range: the range only while the file is the one the client has
    assert fetch(server.anonymous, url, headers={"Range": "bytes=0-9", "If-Range": etag}).status_code == 206
    stale = fetch(server.anonymous, url, headers={"Range": "bytes=0-9", "If-Range": '"an-old-version"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_answers_carry_cors_headers(server, public_video):
    response = fetch(server.anonymous, hls_file(public_video)["fileUrl"],
                     headers={"Origin": "https://player.example", "Range": "bytes=0-1"})
    assert response.headers["access-control-allow-origin"] == "*"


def test_lazy_static_files_of_a_video(server, public_video):
    thumbnail = server.anonymous.get(public_video["thumbnailPath"])
    assert thumbnail.status_code == 200 and thumbnail.headers["content-type"] == "image/jpeg"
    assert thumbnail.headers["cache-control"] == "public, max-age=172800"
    preview = server.anonymous.get(public_video["previewPath"])
    assert preview.status_code == 200 and preview.headers["content-type"] == "image/jpeg"
    file = hls_file(public_video)
    torrent_answer = fetch(server.anonymous, file["torrentUrl"])
    assert torrent_answer.status_code == 200
    assert torrent_answer.headers["content-type"] == "application/x-bittorrent"
    torrent = torf.Torrent.read_stream(torrent_answer.content)
    assert torrent.webseeds == [file["fileUrl"]]
    assert file["magnetUri"].startswith("magnet:?xs=") and torrent.infohash in file["magnetUri"]


def test_captions_and_their_playlists_are_served(server):
    owner = server.create_user(f"captions{uuid.uuid4().hex[:6]}")
    video = uploaded(owner)
    vtt = b"WEBVTT\n\n00:00.000 --> 00:02.000\nHello\n"
    uploaded_caption = owner.put(f"/api/v1/videos/{video['uuid']}/captions/en",
                                 files={"captionfile": ("en.vtt", vtt, "text/vtt")})
    assert uploaded_caption.status_code == 204, uploaded_caption.text
    caption = server.anonymous.get(f"/api/v1/videos/{video['uuid']}/captions").json()["data"][0]
    file = server.anonymous.get(caption["captionPath"])
    assert file.status_code == 200 and file.content == vtt
    assert file.headers["content-type"] == "text/vtt; charset=utf-8"
    assert file.headers["cache-control"] == "public, max-age=172800"
    playlist = fetch(server.anonymous, caption["m3u8Url"])
    assert playlist.headers["content-type"] == "application/x-mpegurl; charset=utf-8"
    assert caption["captionPath"].rsplit("/", 1)[1] in playlist.text


def test_storyboards_are_served(server, public_video):
    boards = server.wait_for(lambda: server.anonymous.get(
        f"/api/v1/videos/{public_video['uuid']}/storyboards").json().get("storyboards"), timeout=60)
    response = server.anonymous.get(boards[0]["storyboardPath"])
    assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    assert response.headers["cache-control"] == "public, max-age=172800"


def test_web_videos_and_their_legacy_path(web_videos_server):
    video = uploaded(web_videos_server.create_user(f"webvid{uuid.uuid4().hex[:6]}"))
    assert video["files"], "web videos are enabled on this server"
    file = video["files"][0]
    url = file["fileUrl"]
    assert "/static/web-videos/" in url and "/private/" not in url
    anonymous = web_videos_server.anonymous
    whole = fetch(anonymous, url)
    assert whole.status_code == 200 and whole.headers["content-type"] == "video/mp4"
    assert whole.headers["cache-control"] == "public, max-age=7200"
    assert len(whole.content) == file["size"]
    part = fetch(anonymous, url, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == whole.content[100:200]
    legacy = fetch(anonymous, url.replace("/static/web-videos/", "/static/webseed/"))
    assert legacy.status_code == 200 and legacy.content == whole.content


def test_private_web_videos_follow_the_video_rules(web_videos_server):
    suffix = uuid.uuid4().hex[:6]
    owner = web_videos_server.create_user(f"pwebowner{suffix}")
    other = web_videos_server.create_user(f"pwebother{suffix}")
    video = uploaded(owner, privacy=PRIVATE)
    url = video["files"][0]["fileUrl"]
    assert "/static/web-videos/private/" in url
    assert fetch(web_videos_server.anonymous, url).status_code == 401
    assert fetch(other, url).status_code == 403
    owned = fetch(owner, url)
    assert owned.status_code == 200 and owned.headers["cache-control"] == "private, max-age=7200"
    assert fetch(web_videos_server.root, url).status_code == 200
    token = file_token(owner, video["uuid"])
    assert fetch(web_videos_server.anonymous, url, params={"videoFileToken": token}).status_code == 200
    # not in the public directory
    assert fetch(web_videos_server.anonymous, url.replace("/private/", "/")).status_code == 404


def test_private_hls_files_need_a_right_to_see_the_video(server, people, private_video):
    playlist = hls_playlist(private_video)
    master, segment = playlist["playlistUrl"], hls_file(private_video)["fileUrl"]
    assert "/static/streaming-playlists/hls/private/" in master
    for url in (master, segment):
        assert fetch(server.anonymous, url).status_code == 401
        assert fetch(people["other"], url).status_code == 403
        assert fetch(people["owner"], url).status_code == 200
        assert fetch(people["moderator"], url).status_code == 200
        assert fetch(server.anonymous, url.replace("/hls/private/", "/hls/")).status_code == 404
    ranged = fetch(people["owner"], segment, headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100


def test_a_file_token_opens_private_files_to_a_player(server, people, private_video, public_video):
    token = file_token(people["owner"], private_video["uuid"])
    segment = hls_file(private_video)["fileUrl"]
    assert fetch(server.anonymous, segment, params={"videoFileToken": token}).status_code == 200
    other_video_token = file_token(people["owner"], public_video["uuid"])
    assert fetch(server.anonymous, segment, params={"videoFileToken": other_video_token}).status_code == 403


def test_reinjected_tokens_lead_a_player_through_every_playlist(server, people, private_video):
    token = file_token(people["owner"], private_video["uuid"])
    master_url = hls_playlist(private_video)["playlistUrl"]
    player = Client(server.url)  # no bearer: only what the playlists carry
    master = fetch(player, master_url, params={"videoFileToken": token, "reinjectVideoFileToken": "true"})
    assert master.status_code == 200
    assert master.headers["content-type"] == "application/x-mpegurl; charset=utf-8"
    assert master.headers["cache-control"] == "private, no-cache"
    base = master_url.rsplit("/", 1)[0]
    variants = playlist_references(master.text)
    assert variants and all(f"videoFileToken={token}&reinjectVideoFileToken=true" in ref for ref in variants)
    for reference in variants:
        variant = fetch(player, f"{base}/{reference}")
        assert variant.status_code == 200
        media = playlist_references(variant.text)
        assert media and all(ref.endswith(f"?videoFileToken={token}") for ref in media)
        offset, length = byte_ranges(variant.text)[0]
        segment = fetch(player, f"{base}/{media[-1]}",
                        headers={"Range": f"bytes={offset}-{offset + length - 1}"})
        assert segment.status_code == 206 and len(segment.content) == length
    # without the flag, the playlist is served as written
    plain = fetch(player, master_url, params={"videoFileToken": token})
    assert "videoFileToken" not in plain.text


def test_internal_videos_files_are_for_logged_in_users(server, people):
    video = uploaded(people["owner"], privacy=INTERNAL)
    url = hls_file(video)["fileUrl"]
    assert fetch(server.anonymous, url).status_code == 401
    assert fetch(people["other"], url).status_code == 200


def test_password_protected_videos_files_open_to_password_holders(server, people):
    video = uploaded(people["owner"], privacy=PASSWORD_PROTECTED, videoPasswords=["sesame-123"])
    url = hls_file(video)["fileUrl"]
    assert fetch(server.anonymous, url).status_code == 403
    with_password = fetch(server.anonymous, url, headers={"x-peertube-video-password": "sesame-123"})
    assert with_password.status_code == 200
    token = file_token(server.anonymous, video["uuid"], headers={"x-peertube-video-password": "sesame-123"})
    assert fetch(server.anonymous, url, params={"videoFileToken": token}).status_code == 200


def test_files_move_with_the_privacy(server, people):
    owner = people["owner"]
    video = uploaded(owner)
    public_segment = hls_file(video)["fileUrl"]
    public_bytes = fetch(server.anonymous, public_segment).content
    assert owner.put(f"/api/v1/videos/{video['uuid']}", json={"privacy": PRIVATE}).status_code == 204
    private = get_video(owner, video["uuid"])
    private_segment = hls_file(private)["fileUrl"]
    assert "/hls/private/" in private_segment
    assert fetch(server.anonymous, public_segment).status_code == 404
    assert fetch(owner, private_segment).content == public_bytes
    torrent = torf.Torrent.read_stream(fetch(owner, hls_file(private)["torrentUrl"]).content)
    assert torrent.webseeds == [private_segment]
    assert owner.put(f"/api/v1/videos/{video['uuid']}", json={"privacy": 2}).status_code == 204
    assert fetch(owner, private_segment).status_code == 404
    assert fetch(server.anonymous, public_segment).content == public_bytes


def test_private_files_open_to_all_when_the_instance_says_so(server_factory):
    instance = server_factory(config={"static_files": {"private_files_require_auth": False}})
    video = uploaded(instance.create_user(f"openfiles{uuid.uuid4().hex[:6]}"), privacy=PRIVATE)
    assert fetch(instance.anonymous, hls_file(video)["fileUrl"]).status_code == 200


def test_nginx_sends_private_files_that_vidpub_authorised(server_factory):
    """With `x_accel_redirect_prefix`, Vidpub checks the caller and hands the file to nginx."""
    instance = server_factory(config={"static_files": {"x_accel_redirect_prefix": "/_vidpub_private"}})
    owner = instance.create_user(f"accel{uuid.uuid4().hex[:6]}")
    video = uploaded(owner, privacy=PRIVATE)
    file = hls_file(video)
    filename = file["fileUrl"].rsplit("/", 1)[1]
    handed = fetch(owner, file["fileUrl"])
    assert handed.status_code == 200 and handed.content == b""
    assert handed.headers["x-accel-redirect"] == (
        f"/_vidpub_private/streaming-playlists/hls/{video['uuid']}/{filename}")
    assert handed.headers["content-type"] == "video/mp4"
    assert handed.headers["cache-control"] == "private, max-age=7200"
    refused = fetch(instance.anonymous, file["fileUrl"])
    assert refused.status_code == 401 and "x-accel-redirect" not in refused.headers
    # public files never reach Vidpub behind nginx; served directly they are sent as usual
    public = uploaded(owner)
    assert len(fetch(instance.anonymous, hls_file(public)["fileUrl"]).content) == hls_file(public)["size"]
