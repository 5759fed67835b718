"""The `Video` object both ways: documents shaped as real PeerTube sends them are read into the right
values (files, HLS playlist, images, captions, storyboard, owners, privacy), bad ones are refused,
and the object we publish reads back into what we stored."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from tests.federation import video_documents as docs
from vidpub.config import load_config
from vidpub.db.models import (
    Account,
    Actor,
    CommentsPolicy,
    FileFormat,
    FileStream,
    Storyboard,
    Thumbnail,
    ThumbnailType,
    Video,
    VideoCaption,
    VideoChannel,
    VideoFile,
    VideoPrivacy,
    VideoStreamingPlaylist,
)
from vidpub.federation.ap.common import InvalidObject
from vidpub.federation.ap.video import VideoParts, video_to_ap
from vidpub.federation.ap.video_parse import parse_duration, video_from_ap


def test_a_peertube_video_is_read_with_its_files_images_and_captions():
    data = video_from_ap(docs.peertube_video())
    assert data.url == "https://peertube.example/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d"
    assert (data.name, data.duration, data.category, data.licence, data.language) == (
        "What is PeerTube?", 113, 15, 2, "en")
    assert (data.views, data.downloads, data.nsfw, data.nsfw_flags, data.nsfw_summary) == (42, 3, True, 1, "Some violence")
    assert data.privacy == VideoPrivacy.PUBLIC
    assert data.channel_url == "https://peertube.example/video-channels/alice_channel"
    assert data.account_url == "https://peertube.example/accounts/alice"
    assert data.tags == ["peertube", "framasoft"]
    assert data.published_at == datetime(2024, 5, 1, 10, tzinfo=UTC)
    assert data.updated_at == datetime(2024, 5, 2, 11, 30, tzinfo=UTC)
    assert data.comments_policy == CommentsPolicy.ENABLED and data.wait_transcoding and data.download_enabled
    assert data.description.startswith("**PeerTube**") and data.support.startswith("Support")
    # icons: the smallest is the miniature, the largest the preview, whatever their order
    assert data.miniature.url.endswith("/thumbnails/small.jpg") and data.miniature.width == 280
    assert data.preview.url.endswith("/previews/big.jpg") and data.preview.height == 480
    assert [(f.resolution, f.width, f.size) for f in data.web_files] == [(720, 1280, 12345678), (360, 640, 2345678)]
    top = data.web_files[0]
    assert top.file_url.endswith("-720.mp4") and top.extname == ".mp4"
    assert top.stream_flags == FileStream.VIDEO | FileStream.AUDIO and top.format_flags == FileFormat.WEB_VIDEO
    assert top.torrent_url.endswith("/720.torrent") and top.metadata_url.endswith("/metadata/720")
    assert top.info_hash == "ab" * 19 + "20"
    assert data.hls.playlist_url.endswith("-master.m3u8")
    assert data.hls.segments_sha256_url.endswith("-segments-sha256.json")
    assert data.hls.infohashes == ["f" * 40, "e" * 40]
    assert [(f.resolution, f.format_flags, f.filename) for f in data.hls.files] == [
        (720, FileFormat.FRAGMENTED, "9c9de5e8-0a1e-484a-b099-e80766180a6d-720-fragmented.mp4")]
    assert [(c.language, c.url.endswith("abc-fr.vtt")) for c in data.captions] == [("fr", True)]
    assert (data.storyboard.sprite_width, data.storyboard.sprite_duration, data.storyboard.total_width) == (192, 1, 1920)


def test_an_unlisted_video_is_addressed_to_nobody_but_cc_public():
    assert video_from_ap(docs.peertube_video(public=False)).privacy == VideoPrivacy.UNLISTED


def test_an_older_peertube_video_is_read_too():
    data = video_from_ap(docs.peertube_v5_video())
    assert data.channel_url == "https://old.example/video-channels/bob_channel"
    assert data.account_url == "https://old.example/accounts/bob"
    assert data.comments_policy == CommentsPolicy.DISABLED
    assert (data.category, data.licence, data.language, data.hls) == (None, None, None, None)
    [file] = data.web_files
    assert (file.resolution, file.width, file.fps, file.stream_flags) == (480, None, 25, FileStream.VIDEO | FileStream.AUDIO)
    assert [c.url for c in data.captions] == [
        "https://old.example/lazy-static/video-captions/04af977f-4201-4697-be67-a8d8cae6fa7a-en.vtt"]
    assert data.miniature is data.preview  # one icon serves as both


@pytest.mark.parametrize("value, seconds", [("PT113S", 113), ("PT1M53S", 113), ("PT1H", 3600), ("P1DT1S", 86401),
                                            ("PT2.5S", 2)])
def test_durations(value, seconds):
    assert parse_duration(value) == seconds


@pytest.mark.parametrize("change", [
    lambda d: d.update(type="Note"),
    lambda d: d.update(id="ftp://peertube.example/videos/watch/x"),
    lambda d: d.update(name="ab"),
    lambda d: d.update(uuid="not-a-uuid"),
    lambda d: d.update(duration="113"),
    lambda d: d.update(published="yesterday"),
    lambda d: d.update(attributedTo=[]),
    # owners on another host than the video: someone else's channel cannot be claimed
    lambda d: d.update(attributedTo=[{"type": "Group", "id": "https://evil.example/video-channels/x"}]),
    lambda d: d.update(url=[link for link in d["url"] if link.get("mediaType") == "text/html"]),
])
def test_unusable_documents_are_refused(change):
    document = docs.peertube_video()
    change(document)
    with pytest.raises(InvalidObject):
        video_from_ap(document)


# -- our own object ------------------------------------------------------------------------------------

def _local_parts(config) -> VideoParts:
    account_actor = Actor(type="Person", preferred_username="carol", url=f"{config.url}/accounts/carol",
                          inbox_url="", followers_url=f"{config.url}/accounts/carol/followers")
    channel_actor = Actor(type="Group", preferred_username="carol_channel",
                          url=f"{config.url}/video-channels/carol_channel", inbox_url="")
    account = Account(name="Carol", actor=account_actor)
    channel = VideoChannel(name="Carol's", actor=channel_actor, account=account)
    uuid = "3f1c8a33-6d43-4c6f-8f1c-1d7d6c0f2a10"
    moment = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
    video = Video(id=5, uuid=uuid, name="Local video", category=3, licence=7, language="fr",
                  privacy=VideoPrivacy.PUBLIC, nsfw=False, nsfw_flags=2, nsfw_summary=None, description="Hello *world*",
                  support=None, duration=65, aspect_ratio=1.5, views=9, downloads=0, likes=2, dislikes=0, remote=False,
                  is_live=False, url=f"{config.url}/videos/watch/{uuid}", state=1, wait_transcoding=False,
                  comments_policy=CommentsPolicy.REQUIRES_APPROVAL, download_enabled=False, published_at=moment,
                  originally_published_at=None, created_at=moment, updated_at=moment, input_file_updated_at=None,
                  channel=channel)
    web = VideoFile(id=11, resolution=480, width=720, height=480, fps=25, size=5000, extname=".mp4",
                    filename=f"{uuid}-480.mp4", info_hash=None, stream_flags=FileStream.VIDEO | FileStream.AUDIO,
                    metadata_json=None, storage=0)
    hls_file = VideoFile(id=12, resolution=480, width=720, height=480, fps=25, size=4000, extname=".mp4",
                         filename="abc-480-fragmented.mp4", stream_flags=FileStream.VIDEO | FileStream.AUDIO,
                         storage=0)
    playlist = VideoStreamingPlaylist(id=3, type=1, playlist_filename="abc-master.m3u8",
                                      segments_sha256_filename="abc-segments-sha256.json",
                                      p2p_media_loader_infohashes=["1" * 40], files=[hls_file])
    thumbnails = [Thumbnail(type=ThumbnailType.PREVIEW, filename="p.jpg", width=850, height=480, on_disk=True),
                  Thumbnail(type=ThumbnailType.MINIATURE, filename="m.jpg", width=280, height=157, on_disk=True)]
    captions = [VideoCaption(language="de", filename="x-de.vtt", m3u8_filename="x-de.m3u8",
                             automatically_generated=True)]
    storyboard = Storyboard(filename="sb.jpg", total_width=1000, total_height=500, sprite_width=100,
                            sprite_height=50, sprite_duration=2)
    return VideoParts(video=video, tags=["alpha", "beta"], web_files=[web], playlist=playlist,
                      thumbnails=thumbnails, captions=captions, storyboard=storyboard)


def test_our_video_object_has_peertube_fields_and_reads_back(tmp_path):
    config = load_config(None, tmp_path, environ={"VIDPUB_WEBSERVER__HOSTNAME": "vidpub.example"})
    parts = _local_parts(config)
    obj = video_to_ap(config, parts)
    url = parts.video.url
    assert obj["type"] == "Video" and obj["id"] == url and obj["duration"] == "PT65S"
    assert obj["category"] == {"identifier": "3", "name": "Vehicles"}
    assert obj["licence"] == {"identifier": "7", "name": "Public Domain Dedication"}
    assert obj["language"]["identifier"] == "fr"
    assert obj["canReply"] == docs.PUBLIC and obj["commentsPolicy"] == CommentsPolicy.REQUIRES_APPROVAL
    assert obj["tag"] == [{"type": "Hashtag", "name": "alpha"}, {"type": "Hashtag", "name": "beta"},
                          {"type": "SensitiveTag", "name": "explicitSex"}]
    assert (obj["likes"], obj["shares"], obj["hasParts"]) == (f"{url}/likes", f"{url}/announces", f"{url}/chapters")
    assert obj["attributedTo"] == [{"type": "Person", "id": f"{config.url}/accounts/carol"},
                                   {"type": "Group", "id": f"{config.url}/video-channels/carol_channel"}]
    assert obj["to"] == [docs.PUBLIC] and obj["cc"] == [f"{config.url}/accounts/carol/followers"]
    assert [icon["width"] for icon in obj["icon"]] == [280, 850]
    # url[]: two HTML links (watch page first), the web video with its companions, then HLS
    kinds = [link.get("mediaType") for link in obj["url"]]
    assert kinds[:3] == ["text/html", "text/html", "video/mp4"]
    assert obj["url"][0]["href"] == url
    assert kinds.index("application/x-mpegURL") > kinds.index("video/mp4")
    hls = next(link for link in obj["url"] if link.get("mediaType") == "application/x-mpegURL")
    assert hls["href"] == f"{config.url}/static/streaming-playlists/hls/{parts.video.uuid}/abc-master.m3u8"
    assert {"type": "Infohash", "name": "1" * 40} in hls["tag"]
    assert obj["subtitleLanguage"][0]["url"][1]["href"].endswith("/lazy-static/video-captions/x-de.m3u8")
    assert obj["preview"][0]["url"][0]["tileDuration"] == "PT2S"

    # what a peer reads from it is what we have
    back = video_from_ap(copy.deepcopy(obj))
    assert (back.uuid, back.name, back.duration, back.category, back.licence, back.language) == (
        parts.video.uuid, "Local video", 65, 3, 7, "fr")
    assert (back.nsfw_flags, back.comments_policy, back.download_enabled, back.privacy) == (
        2, CommentsPolicy.REQUIRES_APPROVAL, False, VideoPrivacy.PUBLIC)
    assert back.tags == ["alpha", "beta"]
    assert [(f.resolution, f.size, f.file_url) for f in back.web_files] == [
        (480, 5000, f"{config.url}/static/web-videos/{parts.video.uuid}-480.mp4")]
    assert [(f.resolution, f.filename) for f in back.hls.files] == [(480, "abc-480-fragmented.mp4")]
    assert back.hls.infohashes == ["1" * 40]
    assert [c.language for c in back.captions] == ["de"] and back.captions[0].automatically_generated
    assert back.miniature.width == 280 and back.preview.width == 850
    assert back.storyboard.sprite_duration == 2


GARBAGE = [None, True, -1, 1e308, float("inf"), "", "x" * 5000, "\x00", [], {}, [None], [{"type": "Link"}],
           {"identifier": "../../etc"}, {"identifier": 5}, "PT", "P99999999999999D", [{"href": 5}]]


@pytest.mark.parametrize("field", sorted(docs.peertube_video()))
def test_any_garbage_in_a_field_is_stored_sanely_or_refused(field):
    """Whatever a peer puts in a field, the document is either refused (`InvalidObject`) or read into
    values a database column takes: no other exception, no NUL, no infinite or oversized number."""
    for value in GARBAGE:
        document = docs.peertube_video()
        document[field] = value
        try:
            data = video_from_ap(document)
        except InvalidObject:
            continue
        for text in (data.name, data.description, data.support, data.nsfw_summary, *data.tags):
            assert text is None or "\x00" not in text
        assert 0 <= data.duration < 2**31 and 0 <= data.views < 2**31
        assert data.aspect_ratio is None or 0 < data.aspect_ratio < 100
        assert data.language is None or data.language.replace("-", "").isalnum()
        for caption in data.captions:
            assert caption.language.replace("-", "").isalnum()
        for file in data.web_files + (data.hls.files if data.hls else []):
            assert 0 <= file.resolution < 2**31 and 0 <= file.size < 2**63 and len(file.filename) <= 255


@pytest.mark.parametrize("key", ["href", "height", "width", "size", "fps", "mediaType", "attachment", "tag"])
def test_garbage_in_file_links_never_breaks_reading(key):
    for value in GARBAGE:
        document = docs.peertube_video()
        for link in document["url"]:
            if isinstance(link, dict):
                link[key] = value
        try:
            data = video_from_ap(document)
        except InvalidObject:
            continue
        for file in data.web_files + (data.hls.files if data.hls else []):
            assert 0 <= file.resolution < 2**31 and 0 <= file.size < 2**63 and -1 <= file.fps <= 1000
