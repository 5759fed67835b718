"""Bad requests to the file routes: path traversal in every encoding, links planted in the storage,
unsatisfiable ranges, private files without credentials or with wrong, foreign or expired tokens,
and malformed download generation parameters. Each gets a 4xx problem document, never a file
from outside the storage folders and never a 5xx."""

from __future__ import annotations

import http.client
import os
import time
import uuid
from types import SimpleNamespace

import pytest

from tests.support.video_files import FILES_CONFIG, fetch, file_token, hls_file, path_of, uploaded
from vidpub.config import deep_merge, load_config
from vidpub.services.videos.file_tokens import FILE_TOKEN_LIFETIME_S, create_file_token

PRIVATE = 3
PASSWD_MARKER = b"root:x:0:0"
TRAVERSALS = (
    "..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "%252e%252e%252f%252e%252e%252fetc%252fpasswd",          # encoded twice
    "..%5C..%5C..%5C..%5Cetc%5Cpasswd",                      # backslashes
    "%2Fetc%2Fpasswd",                                       # absolute
    "....%2F%2F....%2F%2Fetc%2Fpasswd",
    "passwd%00.mp4",                                         # NUL
    "..",
    ".",
)
RAW_TRAVERSALS = ("../../../../../../etc/passwd", "./../../../etc/passwd", "/etc/passwd")
FILE_ROUTES = (
    "/static/web-videos/{}", "/static/web-videos/private/{}",
    "/static/webseed/{}", "/static/webseed/private/{}",
    "/static/streaming-playlists/hls/{}", "/static/streaming-playlists/hls/private/{}",
    "/lazy-static/thumbnails/{}", "/lazy-static/previews/{}", "/lazy-static/video-captions/{}",
    "/lazy-static/storyboards/{}", "/lazy-static/torrents/{}",
    "/download/web-videos/{}", "/download/streaming-playlists/hls/videos/{}", "/download/torrents/{}",
    "/download/original-video-files/{}",
)


@pytest.fixture(scope="module")
def instance(server_factory):
    return server_factory(config=FILES_CONFIG)


@pytest.fixture(scope="module")
def people(instance):
    suffix = uuid.uuid4().hex[:6]
    return {"owner": instance.create_user(f"spowner{suffix}"),
            "other": instance.create_user(f"spother{suffix}")}


@pytest.fixture(scope="module")
def videos(people):
    return {"public": uploaded(people["owner"]), "private": uploaded(people["owner"], privacy=PRIVATE)}


def assert_refused(response, statuses=(400, 404)) -> None:
    assert response.status_code in statuses, f"{response.request.url}: {response.status_code}"
    assert PASSWD_MARKER not in response.content
    assert response.headers["content-type"].startswith("application/problem+json")


def raw_get(instance, target: str, token: str | None = None) -> tuple[int, str, bytes]:
    """GET with the request target sent exactly as written (HTTP clients remove `..` segments)."""
    connection = http.client.HTTPConnection("127.0.0.1", instance.port, timeout=30)
    try:
        connection.request("GET", target, headers={"Authorization": f"Bearer {token}"} if token else {})
        response = connection.getresponse()
        return response.status, response.getheader("content-type", ""), response.read()
    finally:
        connection.close()


def assert_raw_refused(instance, target: str) -> None:
    status, content_type, body = raw_get(instance, target, instance.root.token)
    assert status in (400, 404), f"{target}: {status}"
    assert PASSWD_MARKER not in body and content_type.startswith("application/problem+json")


@pytest.mark.parametrize("route", FILE_ROUTES)
def test_traversals_are_refused(instance, route):
    for traversal in TRAVERSALS + RAW_TRAVERSALS:
        assert_raw_refused(instance, route.format(traversal))


def test_traversals_below_a_video_directory_are_refused(instance, videos):
    for playlist_url in (videos["public"]["streamingPlaylists"][0]["playlistUrl"],
                         videos["private"]["streamingPlaylists"][0]["playlistUrl"]):
        directory = path_of(playlist_url).rsplit("/", 1)[0]
        for traversal in TRAVERSALS + RAW_TRAVERSALS:
            assert_raw_refused(instance, f"{directory}/{traversal}")
        assert_raw_refused(instance, f"{directory}/..%2F{directory.rsplit('/', 1)[1]}%2F")
    assert_raw_refused(instance, "/static/streaming-playlists/hls/not-a-uuid/x.m3u8")


def test_links_planted_in_the_storage_are_not_followed(instance, videos):
    storage = instance.data_dir / "storage"
    uuid_dir = videos["public"]["uuid"]
    planted = [storage / "thumbnails" / "planted.jpg",
               storage / "streaming-playlists" / "hls" / uuid_dir / "planted.mp4",
               storage / "web-videos" / "planted.mp4"]
    for link in planted:
        os.symlink("/etc/passwd", link)
    try:
        for url in ("/lazy-static/thumbnails/planted.jpg", "/static/web-videos/planted.mp4",
                    f"/static/streaming-playlists/hls/{uuid_dir}/planted.mp4"):
            assert_refused(instance.anonymous.get(url), (404,))
    finally:
        for link in planted:
            link.unlink()


def test_directories_are_not_files(instance, videos):
    directory = f"/static/streaming-playlists/hls/{videos['public']['uuid']}/"
    assert_refused(instance.anonymous.get(directory), (404,))
    assert_refused(instance.anonymous.get("/static/web-videos/private"), (404,))


@pytest.mark.parametrize("header", ["bytes=99999999-", "bytes=10-5", "bytes=-0", "bytes=a-b", "bytes="])
def test_unsatisfiable_ranges_are_416(instance, videos, header):
    file = hls_file(videos["public"])
    response = fetch(instance.anonymous, file["fileUrl"], headers={"Range": header})
    assert_refused(response, (416,))
    assert response.headers["content-range"] == f"bytes */{file['size']}"


@pytest.mark.parametrize("header", ["bites=0-5", "0-5", "bytes=0-1,3-4"])
def test_other_range_headers_get_the_whole_file(instance, videos, header):
    file = hls_file(videos["public"])
    response = fetch(instance.anonymous, file["fileUrl"], headers={"Range": header})
    assert response.status_code == 200 and len(response.content) == file["size"]


def signed_token(video_uuid: str, tmp_path, issued: float | None = None) -> str:
    """A token signed with the instance's (known) secret, issued at `issued`."""
    base = load_config(data_dir=tmp_path, environ={})
    config = type(base)(deep_merge(base.to_dict(), {"secrets": FILES_CONFIG["secrets"]}), tmp_path)
    video, user = SimpleNamespace(uuid=video_uuid), SimpleNamespace(id=1)
    return create_file_token(config, video, user, now=issued).token


def test_private_files_without_valid_credentials(instance, people, videos, tmp_path):
    private = videos["private"]
    fresh = file_token(people["owner"], private["uuid"])
    # forged with the known secret: the fresh one is accepted, so the expired one fails for its age
    still_valid = signed_token(private["uuid"], tmp_path)
    expired = signed_token(private["uuid"], tmp_path, issued=time.time() - FILE_TOKEN_LIFETIME_S - 1)
    other_video = file_token(people["owner"], videos["public"]["uuid"])
    urls = [private["files"][0]["fileUrl"], hls_file(private)["fileUrl"],
            private["streamingPlaylists"][0]["playlistUrl"], private["files"][0]["fileDownloadUrl"]]
    for url in urls:
        assert_refused(fetch(instance.anonymous, url), (401,))
        assert_refused(fetch(people["other"], url), (403,))
        for token in ("garbage", fresh[:-1] + ("A" if fresh[-1] != "A" else "B"), other_video,
                      expired, "x" * 201, "\x00"):
            assert_refused(fetch(instance.anonymous, url, params={"videoFileToken": token}), (400, 403))
        assert fetch(instance.anonymous, url, params={"videoFileToken": fresh}).status_code == 200
        assert fetch(instance.anonymous, url, params={"videoFileToken": still_valid}).status_code == 200
    assert_refused(fetch(instance.anonymous, urls[2], params={"videoFileToken": fresh,
                                                               "reinjectVideoFileToken": "maybe"}), (400,))


def test_token_requests_with_bad_input(instance, people, videos):
    ref = videos["private"]["uuid"]
    too_long = people["owner"].post(f"/api/v1/videos/{ref}/token",
                                    headers={"x-peertube-video-password": "x" * 101})
    assert_refused(too_long, (400,))
    for bad_ref in ("2147483648", "99999999999999999999", "%00", "..%2F..%2Fetc%2Fpasswd"):
        assert_refused(people["owner"].post(f"/api/v1/videos/{bad_ref}/token"), (400, 404))


def test_generate_with_bad_file_ids(instance, people, videos):
    video = videos["public"]
    path = f"/download/videos/generate/{video['uuid']}"
    web, hls = video["files"][0]["id"], hls_file(video)["id"]
    foreign = hls_file(videos["private"])["id"]
    for ids in (None, "", "x", "0", "-1", "1.5", "2147483648", f"{web},{hls},{web + hls + 1000}",
                str(foreign), "\x00", "١"):
        params = {} if ids is None else {"videoFileIds": ids}
        assert_refused(instance.anonymous.get(path, params=params), (400,))
    unknown = instance.anonymous.get("/download/videos/generate/999999", params={"videoFileIds": hls})
    assert_refused(unknown, (404,))
    assert_refused(instance.anonymous.get("/download/videos/generate/%00", params={"videoFileIds": hls}),
                   (400, 404))
