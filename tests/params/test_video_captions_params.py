"""Video Captions: who may change them, and files or languages that are refused."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video

VTT = b"WEBVTT\n\n00:00:00.500 --> 00:00:02.000\nHello\n"
CAPTION_MAX_BYTES = 20 * 1024 * 1024


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"capp_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def video(owner):
    return published_video(owner)


def caption_url(video, language="en") -> str:
    return f"/api/v1/videos/{video['uuid']}/captions/{language}"


def upload(client, video, content, filename="c.vtt", content_type="text/vtt", language="en"):
    return client.put(caption_url(video, language), files={"captionfile": (filename, content, content_type)})


def captions_files(server) -> set[str]:
    directory = server.data_dir / "storage" / "captions"
    return {path.name for path in directory.iterdir()} if directory.exists() else set()


def test_anonymous_and_other_users_are_refused(server, video):
    assert upload(server.anonymous, video, VTT).status_code == 401
    assert server.anonymous.delete(caption_url(video)).status_code == 401
    assert server.anonymous.post(f"/api/v1/videos/{video['uuid']}/captions/generate").status_code == 401
    stranger = server.create_user(f"capp_other_{uuid.uuid4().hex[:8]}")
    assert upload(stranger, video, VTT).status_code == 403
    assert stranger.delete(caption_url(video)).status_code == 403


def test_unknown_language_names_the_parameter(owner, video):
    for language in ("klingon-x", "EN", "zz"):
        response = upload(owner, video, VTT, language=language)
        assert response.status_code == 400, response.text
        assert "captionLanguage" in response.json()["invalid-params"]
    response = owner.delete(caption_url(video, "zz"))
    assert response.status_code == 400 and "captionLanguage" in response.json()["invalid-params"]


@pytest.mark.parametrize("content,filename,content_type", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image.png", "image/png"),       # not a caption type
    (b"\x00\x01\x02 binary data", "c.vtt", "text/vtt"),                       # binary named .vtt
    (b"\xff\xfe\x00W\x00E", "c.srt", "application/x-subrip"),                 # not UTF-8
    (b"just some words, no cue", "c.srt", "text/plain"),                      # neither WebVTT nor SRT
    (b"", "c.vtt", "text/vtt"),                                               # empty
    (b"1\n00:00:01,000 --> 00:99:02,000\nbad time\n", "c.srt", "text/plain"),  # impossible timestamp
])
def test_files_that_are_not_captions_are_refused_and_leave_nothing(server, owner, video, content, filename,
                                                                   content_type):
    before = captions_files(server)
    response = upload(owner, video, content, filename, content_type)
    assert response.status_code == 400, response.text
    assert "captionfile" in response.json()["invalid-params"]
    assert captions_files(server) == before
    assert owner.get(f"/api/v1/videos/{video['uuid']}/captions").json()["total"] == 0


def test_missing_and_oversized_files_are_refused(server, owner, video):
    missing = owner.put(caption_url(video), files={"other": ("c.vtt", VTT, "text/vtt")})
    assert missing.status_code == 400 and "captionfile" in missing.json()["invalid-params"]
    not_multipart = owner.put(caption_url(video), json={"captionfile": "WEBVTT"})
    assert not_multipart.status_code == 400
    oversized = VTT + b"x" * CAPTION_MAX_BYTES
    response = upload(owner, video, oversized)
    assert response.status_code == 400 and "captionfile" in response.json()["invalid-params"]


def test_deleting_a_missing_caption_is_404(owner, video):
    assert owner.delete(caption_url(video, "fr")).status_code == 404
    assert owner.delete(f"/api/v1/videos/{uuid.uuid4()}/captions/fr").status_code == 404
    assert upload(owner, {"uuid": str(uuid.uuid4())}, VTT).status_code == 404


def test_captions_of_a_private_video_are_hidden(server, owner):
    private = published_video(owner, privacy=3)
    assert server.anonymous.get(f"/api/v1/videos/{private['uuid']}/captions").status_code == 401
    stranger = server.create_user(f"capp_private_{uuid.uuid4().hex[:8]}")
    assert stranger.get(f"/api/v1/videos/{private['uuid']}/captions").status_code == 403
    assert owner.get(f"/api/v1/videos/{private['uuid']}/captions").status_code == 200
