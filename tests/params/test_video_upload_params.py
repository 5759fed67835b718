"""Uploads refuse bad input with a clear 4xx, and a refused upload leaves no row and no file behind.

The module runs its own instance without job workers: nothing changes its storage in the background,
so any row or file appearing during a refused request is a leftover of that request.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.support.media import make_clip, make_image
from tests.support.videos import (RESUMABLE_PATH, NothingLeftBehind, my_channel_id, resumable_init, send_chunk,
                                  upload_id_of, upload_resumable_response, upload_video_response)

UPLOAD = "/api/v1/videos/upload"


@pytest.fixture(scope="module")
def instance(server_factory):
    return server_factory(config={"jobs": {"in_process": False}})


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("upload-params")
    clip = make_clip(folder / "clip.mp4", duration=2, width=320, height=240)
    content = clip.read_bytes()
    files = {"clip": clip, "empty": folder / "empty.mp4", "text": folder / "text.mp4",
             "truncated": folder / "truncated.mp4", "image": make_image(folder / "image.png", 400, 300),
             "not_image": folder / "fake.png", "notes": folder / "notes.txt"}
    files["empty"].write_bytes(b"")
    files["text"].write_text("this is not a video\n" * 500)
    files["truncated"].write_bytes(content[: len(content) // 2])  # moov atom (at the end) cut off
    files["not_image"].write_text("not an image")
    files["notes"].write_text("some notes")
    return files


def new_user(instance, prefix: str, **extra):
    return instance.create_user(f"{prefix}{uuid.uuid4().hex[:8]}", **extra)


@pytest.fixture(scope="module")
def uploader(instance):
    return new_user(instance, "up")


@pytest.fixture(scope="module")
def channel(uploader) -> int:
    return my_channel_id(uploader)


@pytest.fixture(scope="module")
def foreign_channel(instance) -> int:
    return my_channel_id(new_user(instance, "other"))


def assert_problem(response, status: int, field: str | None = None, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json"), response.headers
    body = response.json()
    assert body["status"] == status
    if field is not None:
        assert field in body.get("invalid-params", {}), body
    if code is not None:
        assert body.get("code") == code, body
    return body


# -- legacy multipart upload ----------------------------------------------------------------------------

@pytest.mark.parametrize("field,fields", [
    ("name", {"name": "ab"}),
    ("name", {"name": "n" * 121}),
    ("channelId", {"channelId": "first"}),
    ("privacy", {"privacy": 9}),
    ("category", {"category": 999}),
    ("licence", {"licence": 99}),
    ("language", {"language": "not-a-language"}),
    ("commentsPolicy", {"commentsPolicy": 7}),
    ("tags", {"tags": ["one", "two", "three", "four", "five", "six"]}),
    ("tags.0", {"tags": ["a"]}),
    ("description", {"description": "d" * 10_001}),
    ("support", {"support": "s" * 1_001}),
    ("nsfwFlags", {"nsfwFlags": 8}),
    ("nsfw", {"nsfw": "maybe"}),
    ("originallyPublishedAt", {"originallyPublishedAt": "yesterday-ish"}),
    ("scheduleUpdate.privacy", {"scheduleUpdate": {"updateAt": "2040-01-01T00:00:00.000Z", "privacy": 3}}),
    ("scheduleUpdate.updateAt", {"scheduleUpdate": {"privacy": 1}}),
    ("videoPasswords", {"privacy": 5}),
    ("videoPasswords", {"privacy": 5, "videoPasswords": ["x"]}),
    ("videoPasswords", {"privacy": 5, "videoPasswords": ["same", "same"]}),
])
def test_legacy_upload_refuses_bad_metadata(instance, uploader, channel, media, field, fields):
    with NothingLeftBehind(instance):
        response = upload_video_response(uploader, channel, media["clip"], **fields)
        assert_problem(response, 400, field)


def test_legacy_upload_needs_a_name_and_a_channel(instance, uploader, media):
    with NothingLeftBehind(instance):
        response = uploader.post(UPLOAD, data={"channelId": "1"},
                                 files={"videofile": ("clip.mp4", media["clip"].read_bytes(), "video/mp4")})
        assert_problem(response, 400, "name")
        response = uploader.post(UPLOAD, data={"name": "no channel"},
                                 files={"videofile": ("clip.mp4", media["clip"].read_bytes(), "video/mp4")})
        assert_problem(response, 400, "channelId")


def test_legacy_upload_needs_a_video_file(instance, uploader, channel):
    with NothingLeftBehind(instance):
        response = uploader.post(UPLOAD, data={"name": "no file", "channelId": str(channel)},
                                 files={"other": ("x.bin", b"123", "application/octet-stream")})
        assert_problem(response, 400, "videofile")


def test_legacy_upload_needs_a_multipart_body(instance, uploader, channel):
    with NothingLeftBehind(instance):
        assert_problem(uploader.post(UPLOAD, json={"name": "json", "channelId": channel}), 400)
        cut = (b"--b\r\nContent-Disposition: form-data; name=\"videofile\"; filename=\"a.mp4\"\r\n"
               b"Content-Type: video/mp4\r\n\r\n" + b"\x00" * 5000)
        response = uploader.post(UPLOAD, content=cut, headers={"Content-Type": "multipart/form-data; boundary=b"})
        assert_problem(response, 400)


def test_anonymous_upload_is_refused(instance, channel, media):
    with NothingLeftBehind(instance):
        response = upload_video_response(instance.anonymous, channel, media["clip"])
        assert_problem(response, 401)


def test_unknown_channel_and_channel_of_another_user(instance, uploader, foreign_channel, media):
    with NothingLeftBehind(instance):
        assert_problem(upload_video_response(uploader, 2_000_000, media["clip"]), 400, "channelId")
        assert_problem(upload_video_response(uploader, foreign_channel, media["clip"]), 403)


@pytest.mark.parametrize("filename,mime", [("clip.txt", "video/mp4"), ("clip.mp4", "text/plain"),
                                           ("clip", "video/mp4")])
def test_unsupported_file_types_are_415(instance, uploader, channel, media, filename, mime):
    with NothingLeftBehind(instance):
        response = upload_video_response(uploader, channel, media["clip"], filename=filename, mime=mime)
        assert_problem(response, 415)


@pytest.mark.parametrize("kind", ["empty", "text", "truncated"])
def test_unreadable_files_are_422(instance, uploader, channel, media, kind):
    with NothingLeftBehind(instance):
        response = upload_video_response(uploader, channel, media[kind])
        body = assert_problem(response, 422)
        assert body["detail"] == "Video file unreadable."


@pytest.mark.parametrize("field", ["thumbnailfile", "previewfile"])
def test_bad_images_are_refused(instance, uploader, channel, media, field):
    with NothingLeftBehind(instance):
        response = upload_video_response(uploader, channel, media["clip"], **{field: media["not_image"]})
        assert_problem(response, 400, field)
        response = upload_video_response(uploader, channel, media["clip"], **{field: media["notes"]})
        assert_problem(response, 400, field)


def test_over_quota_is_413_on_both_paths(instance, media):
    size = media["clip"].stat().st_size
    limited = new_user(instance, "quota", videoQuota=size)  # used + size must stay strictly below
    channel = my_channel_id(limited)
    with NothingLeftBehind(instance):
        assert_problem(upload_video_response(limited, channel, media["clip"]), 413, code="quota_reached")
        assert_problem(resumable_init(limited, channel, media["clip"]), 413, code="quota_reached")


def test_over_daily_quota_is_413(instance, media):
    limited = new_user(instance, "daily", videoQuotaDaily=1000)
    channel = my_channel_id(limited)
    with NothingLeftBehind(instance):
        assert_problem(upload_video_response(limited, channel, media["clip"]), 413, code="quota_reached")
        assert_problem(resumable_init(limited, channel, media["clip"]), 413, code="quota_reached")


# -- resumable: init ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("headers,field,status", [
    ({"X-Upload-Content-Type": "video/mp4"}, "X-Upload-Content-Length", 400),
    ({"X-Upload-Content-Length": "lots", "X-Upload-Content-Type": "video/mp4"}, "X-Upload-Content-Length", 400),
    ({"X-Upload-Content-Length": "0", "X-Upload-Content-Type": "video/mp4"}, "X-Upload-Content-Length", 400),
    ({"X-Upload-Content-Length": "1000"}, "X-Upload-Content-Type", 400),
    ({"X-Upload-Content-Length": str(60 * 1024**3), "X-Upload-Content-Type": "video/mp4"}, None, 413),
    ({"X-Upload-Content-Length": "1000", "X-Upload-Content-Type": "text/plain"}, None, 415),
])
def test_resumable_init_checks_its_headers(instance, uploader, channel, headers, field, status):
    with NothingLeftBehind(instance):
        response = uploader.post(RESUMABLE_PATH, json={"name": "headers", "channelId": channel,
                                                       "filename": "clip.mp4"}, headers=headers)
        body = assert_problem(response, status, field)
        if status == 413:
            assert body["code"] == "max_file_size_reached"


@pytest.mark.parametrize("body,field,status", [
    ({"name": "no file name"}, "filename", 400),
    ({"filename": "clip.mp4"}, "name", 400),
    ({"name": "bad extension", "filename": "clip.exe"}, None, 415),
    ({"name": "tags", "filename": "clip.mp4", "tags": "x"}, "tags.0", 400),
])
def test_resumable_init_checks_its_body(instance, uploader, channel, body, field, status):
    with NothingLeftBehind(instance):
        response = uploader.post(RESUMABLE_PATH, json={"channelId": channel, **body},
                                 headers={"X-Upload-Content-Length": "1000", "X-Upload-Content-Type": "video/mp4"})
        assert_problem(response, status, field)


def test_resumable_init_refuses_malformed_bodies(instance, uploader):
    headers = {"X-Upload-Content-Length": "1000", "X-Upload-Content-Type": "video/mp4",
               "Content-Type": "application/json"}
    with NothingLeftBehind(instance):
        assert_problem(uploader.post(RESUMABLE_PATH, content=b"{not json", headers=headers), 400, "body")
        assert_problem(uploader.post(RESUMABLE_PATH, content=b"[1, 2]", headers=headers), 400, "body")


def test_resumable_init_checks_the_channel(instance, uploader, foreign_channel, media):
    with NothingLeftBehind(instance):
        assert_problem(resumable_init(uploader, foreign_channel, media["clip"]), 403)
        assert_problem(resumable_init(instance.anonymous, foreign_channel, media["clip"]), 401)


# -- resumable: chunks ------------------------------------------------------------------------------------------

@pytest.fixture
def session_of(instance, uploader, channel, media):
    """An open session (first 1000 bytes sent); cancelled at the end, leaving nothing."""
    with NothingLeftBehind(instance):
        init = resumable_init(uploader, channel, media["clip"], name=f"chunks {uuid.uuid4().hex[:6]}")
        assert init.status_code == 201, init.text
        upload_id = upload_id_of(init)
        content = media["clip"].read_bytes()
        assert send_chunk(uploader, upload_id, content[:1000], 0, len(content)).status_code == 308
        yield upload_id, content
        uploader.delete(RESUMABLE_PATH, params={"upload_id": upload_id})


def put(client, upload_id, content: bytes, content_range: str | None):
    headers = {"Content-Type": "application/octet-stream"}
    if content_range is not None:
        headers["Content-Range"] = content_range
    return client.put(RESUMABLE_PATH, params={"upload_id": upload_id}, content=content, headers=headers)


def test_chunk_with_a_malformed_content_range(instance, uploader, session_of):
    upload_id, content = session_of
    for value in ("bytes=1000-1999/10", "items 1000-1999/%d" % len(content), "bytes 1999-1000/%d" % len(content)):
        assert_problem(put(uploader, upload_id, content[1000:2000], value), 400, "Content-Range")
    assert_problem(put(uploader, upload_id, content[1000:2000], None), 400, "Content-Range")


def test_chunk_whose_total_is_not_the_declared_size(uploader, session_of):
    upload_id, content = session_of
    response = put(uploader, upload_id, content[1000:2000], f"bytes 1000-1999/{len(content) + 1}")
    assert_problem(response, 400, "Content-Range")


def test_chunk_not_at_the_stored_offset_is_409_with_the_range(uploader, session_of):
    upload_id, content = session_of
    response = put(uploader, upload_id, content[2000:3000], f"bytes 2000-2999/{len(content)}")
    assert_problem(response, 409)
    assert response.headers["range"] == "bytes=0-999"
    response = put(uploader, upload_id, content[500:1500], f"bytes 500-1499/{len(content)}")
    assert_problem(response, 409)


def test_chunk_past_the_declared_length_is_refused(uploader, session_of):
    upload_id, content = session_of
    total = len(content)
    response = put(uploader, upload_id, content[1000:] + b"extra", f"bytes 1000-{total + 4}/{total}")
    assert_problem(response, 409)
    progress = put(uploader, upload_id, b"", f"bytes */{total}")
    assert progress.status_code == 308 and progress.headers["range"] == "bytes=0-999"


def test_chunk_whose_body_differs_from_its_range(uploader, session_of):
    upload_id, content = session_of
    response = put(uploader, upload_id, content[1000:3000], f"bytes 1000-1999/{len(content)}")
    assert_problem(response, 400, "Content-Length")


def test_chunks_of_an_unknown_or_foreign_session(instance, uploader, session_of):
    upload_id, content = session_of
    stranger = new_user(instance, "stranger")
    range_ = f"bytes 1000-1999/{len(content)}"
    assert_problem(put(stranger, upload_id, content[1000:2000], range_), 404)
    assert_problem(put(uploader, "0" * 32, content[1000:2000], range_), 404)
    assert_problem(put(uploader, "../../etc/passwd", content[1000:2000], range_), 404)
    assert_problem(uploader.put(RESUMABLE_PATH, content=b"", headers={"Content-Range": range_}), 400, "upload_id")
    assert_problem(stranger.delete(RESUMABLE_PATH, params={"upload_id": upload_id}), 404)
    assert_problem(instance.anonymous.put(RESUMABLE_PATH, params={"upload_id": upload_id}), 401)


@pytest.mark.parametrize("kind", ["text", "truncated"])
def test_an_unreadable_resumable_upload_is_422_and_forgotten(instance, uploader, channel, media, kind):
    with NothingLeftBehind(instance):
        response = upload_resumable_response(uploader, channel, media[kind], chunk_size=4096)
        assert_problem(response, 422)


def test_cancelling_an_unknown_session_is_404(uploader):
    assert_problem(uploader.delete(RESUMABLE_PATH, params={"upload_id": "f" * 32}), 404)


# -- source routes ------------------------------------------------------------------------------------------

def test_source_routes_are_for_the_owner(instance, uploader, channel, media):
    video = upload_video_response(uploader, channel, media["clip"], name="source access").json()["video"]
    stranger = new_user(instance, "peek")
    path = f"/api/v1/videos/{video['uuid']}/source"
    assert_problem(instance.anonymous.get(path), 401)
    assert_problem(stranger.get(path), 403)
    assert_problem(stranger.delete(path + "/file"), 403)
    assert_problem(uploader.get("/api/v1/videos/2000000/source"), 404)
    assert_problem(uploader.get("/api/v1/videos/not-a-video-ref-at-all-not-at-all/source"), 404)


def test_replacing_the_file_is_403_when_disabled(instance, uploader, channel, media):
    video = upload_video_response(uploader, channel, media["clip"], name="no replace").json()["video"]
    with NothingLeftBehind(instance):
        response = resumable_init(uploader, None, media["clip"],
                                  url=f"/api/v1/videos/{video['uuid']}/source/replace-resumable")
        assert_problem(response, 403)
