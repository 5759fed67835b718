"""The legacy multipart upload: metadata, defaults, images, chapters, passwords, schedule, audio, quota,
and PeerTube's upload window (the uploaded file is the video's first web video until transcoding)."""

from __future__ import annotations

import subprocess
import uuid
from pathlib import Path

import pytest
from PIL import Image

from tests.support import media
from tests.support.media import make_clip, make_image
from tests.support.videos import get_video, my_channel_id, upload_video, upload_video_response


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("legacy") / "clip.mp4", duration=2, width=320, height=240)


@pytest.fixture
def user(server, unique):
    return server.create_user(f"leg{unique}")


def test_upload_with_every_metadata_field(user, clip):
    fields = dict(name="  Every field  ", privacy=1, category=15, licence=7, language="fr",
                  description="A description\nwith lines", support="Support me", tags=["alpha", "beta"],
                  nsfw=True, nsfwFlags=1, nsfwSummary="some violence", commentsPolicy=3, downloadEnabled=False,
                  waitTranscoding=True, originallyPublishedAt="2019-04-01T10:00:00.000Z")
    created = upload_video(user, my_channel_id(user), clip, **fields)
    video = get_video(user, created["shortUUID"])
    assert video["name"] == "Every field"
    assert (video["privacy"]["id"], video["category"]["id"], video["licence"]["id"], video["language"]["id"]) == \
        (1, 15, 7, "fr")
    assert (video["description"], video["support"]) == ("A description\nwith lines", "Support me")
    assert sorted(video["tags"]) == ["alpha", "beta"]
    assert (video["nsfw"], video["nsfwFlags"], video["nsfwSummary"]) == (True, 1, "some violence")
    assert video["commentsPolicy"]["id"] == 3 and video["downloadEnabled"] is False
    assert video["waitTranscoding"] is True
    assert video["originallyPublishedAt"] == "2019-04-01T10:00:00.000Z"
    assert video["duration"] == 2 and video["isLocal"] is True
    assert video["channel"]["id"] == my_channel_id(user)


def test_defaults_of_an_upload(user, clip):
    created = upload_video(user, my_channel_id(user), clip, name="defaults")
    video = get_video(user, created["id"])
    assert video["privacy"]["id"] == 3            # PeerTube's server makes it private without a privacy
    assert video["commentsPolicy"]["id"] == 1 and video["downloadEnabled"] is True
    assert video["licence"]["id"] is None and video["nsfw"] is False and video["tags"] == []
    assert video["waitTranscoding"] is False


def test_legacy_comments_enabled_flag(user, clip):
    created = upload_video(user, my_channel_id(user), clip, name="no comments", commentsEnabled=False)
    assert get_video(user, created["id"])["commentsPolicy"]["id"] == 2


def test_uploaded_images_become_thumbnail_and_preview(server, user, clip, tmp_path):
    thumbnail = make_image(tmp_path / "thumb.png", 600, 400, color="blue")
    preview = make_image(tmp_path / "preview.png", 1280, 720, color="red")
    created = upload_video(user, my_channel_id(user), clip, name="images", privacy=1,
                           thumbnailfile=thumbnail, previewfile=preview)
    video = get_video(user, created["id"])
    for path, size, dominant in ((video["thumbnailPath"], (280, 157), 2), (video["previewPath"], (850, 480), 0)):
        response = server.anonymous.get(path)
        assert response.status_code == 200, path
        served = tmp_path / "served.jpg"
        served.write_bytes(response.content)
        with Image.open(served) as image:
            assert image.size == size
            pixel = image.convert("RGB").getpixel((size[0] // 2, size[1] // 2))
            assert pixel[dominant] > 200 and sum(pixel) - pixel[dominant] < 80


def test_generated_thumbnails_have_peertube_sizes(server, user, clip, tmp_path):
    video = get_video(user, upload_video(user, my_channel_id(user), clip, name="generated", privacy=1)["id"])
    sizes = sorted((t["width"], t["height"]) for t in video["thumbnails"])
    assert sizes == [(280, 157), (850, 480)]
    response = server.anonymous.get(video["thumbnailPath"])
    assert response.status_code == 200 and response.content[:3] == b"\xff\xd8\xff"  # a JPEG


def test_chapters_come_from_the_container(user, clip, tmp_path):
    metadata = tmp_path / "chapters.txt"
    metadata.write_text(";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1000\ntitle=Opening\n"
                        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1000\nEND=2000\ntitle=The end\n")
    chaptered = tmp_path / "chaptered.mp4"
    subprocess.run([media.ffmpeg(), "-loglevel", "error", "-y", "-i", str(clip), "-i", str(metadata), "-map", "0",
                    "-map_chapters", "1", "-c", "copy", str(chaptered)], check=True)
    created = upload_video(user, my_channel_id(user), chaptered, name="chapters")
    chapters = user.get(f"/api/v1/videos/{created['id']}/chapters").json()["chapters"]
    assert chapters == [{"timecode": 0, "title": "Opening"}, {"timecode": 1, "title": "The end"}]


def test_chapters_written_in_the_description_win(user, clip):
    description = "Contents:\n00:00 Start here\n00:01 - Second part\nThanks!"
    created = upload_video(user, my_channel_id(user), clip, name="description chapters", description=description)
    chapters = user.get(f"/api/v1/videos/{created['id']}/chapters").json()["chapters"]
    assert chapters == [{"timecode": 0, "title": "Start here"}, {"timecode": 1, "title": "Second part"}]


def test_password_protected_upload(server, user, clip):
    created = upload_video(user, my_channel_id(user), clip, name="secret", privacy=5,
                           videoPasswords=["first-pass", "second-pass"], waitTranscoding=False)
    refused = server.anonymous.get(f"/api/v1/videos/{created['uuid']}")
    assert refused.status_code == 403 and refused.json()["code"] == "video_requires_password"
    allowed = server.anonymous.get(f"/api/v1/videos/{created['uuid']}",
                                   headers={"x-peertube-video-password": "second-pass"})
    assert allowed.status_code == 200, allowed.text


def test_scheduled_update_is_recorded(user, clip):
    created = upload_video(user, my_channel_id(user), clip, name="scheduled", privacy=3,
                           scheduleUpdate={"updateAt": "2040-05-06T07:08:09.000Z", "privacy": 1})
    video = get_video(user, created["id"])
    assert video["scheduledUpdate"] == {"updateAt": "2040-05-06T07:08:09.000Z", "privacy": 1}


def test_audio_file_upload(user, tmp_path):
    song = make_clip(tmp_path / "song.m4a", duration=2, video=False)
    created = upload_video(user, my_channel_id(user), song, mime="audio/mp4", name="a song")
    video = get_video(user, created["id"])
    assert video["duration"] == 2 and video["aspectRatio"] is None
    assert len(video["thumbnails"]) == 2


def test_the_upload_counts_against_the_quota(server, clip):
    size = clip.stat().st_size
    user = server.create_user(f"quo{uuid.uuid4().hex[:8]}", videoQuota=10 * size, videoQuotaDaily=10 * size)
    upload_video(user, my_channel_id(user), clip, name="quota one")
    used = user.get("/api/v1/users/me/video-quota-used").json()
    assert used == {"videoQuotaUsed": size, "videoQuotaUsedDaily": size}


def test_a_moderator_publishing_in_a_users_channel_fills_that_users_quota(server, clip):
    size = clip.stat().st_size
    owner = server.create_user(f"own{uuid.uuid4().hex[:8]}", videoQuota=size + 100)
    moderator = server.create_user(f"mod{uuid.uuid4().hex[:8]}", role=1)
    created = upload_video(moderator, my_channel_id(owner), clip, name="for the owner")
    assert get_video(owner, created["id"])["channel"]["id"] == my_channel_id(owner)
    assert owner.get("/api/v1/users/me/video-quota-used").json()["videoQuotaUsed"] == size
    refused = upload_video_response(moderator, my_channel_id(owner), clip, name="too much")
    assert refused.status_code == 413 and refused.json()["code"] == "quota_reached"


def test_upload_window_exposes_the_uploaded_file_before_transcoding(server_factory, clip):
    """Without workers nothing transcodes: the uploaded file must be playable and seedable as is."""
    instance = server_factory(config={"jobs": {"in_process": False}})
    user = instance.create_user(f"win{uuid.uuid4().hex[:8]}")
    created = upload_video(user, my_channel_id(user), clip, name="window", privacy=1)
    video = get_video(user, created["uuid"])
    assert video["state"]["id"] == 2
    assert video["streamingPlaylists"] == []
    [file] = video["files"]
    assert file["resolution"]["id"] == 240 and file["size"] == clip.stat().st_size
    assert file["magnetUri"].startswith("magnet:?")
    served = instance.anonymous.get(file["fileUrl"].removeprefix(instance.url))
    assert served.status_code == 200 and served.content == clip.read_bytes()
    torrent = instance.anonymous.get(file["torrentUrl"].removeprefix(instance.url))
    assert torrent.status_code == 200 and torrent.content.startswith(b"d") and b"url-list" in torrent.content
