"""The video JSON builders on their own: remote videos (URLs from their rows, their server's host),
description truncation, labels. Rows are built in memory, as the loaders hand them over."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from vidpub.config import load_config
from vidpub.db.models import (Account, Actor, Server, Thumbnail, ThumbnailType, Video, VideoChannel, VideoFile,
                              VideoStreamingPlaylist)
from vidpub.schemas.video_files import resolution_label
from vidpub.schemas.videos import (VideoRelated, aspect_ratio_name, truncate_description, video_details_json,
                                   video_json)

NOW = datetime(2026, 1, 2, 3, 4, 5, 678000, tzinfo=UTC)
PEER = "https://peer.example"


@pytest.fixture
def config(tmp_path):
    return load_config(None, tmp_path, environ={"VIDPUB_WEBSERVER__HOSTNAME": "videos.local",
                                                 "VIDPUB_WEBSERVER__PORT": "443", "VIDPUB_WEBSERVER__HTTPS": "true"})


def _actor(name: str, kind: str) -> Actor:
    actor = Actor(id=1, type=kind, preferred_username=name, url=f"{PEER}/{kind.lower()}/{name}",
                  inbox_url=f"{PEER}/inbox", followers_count=3, following_count=1, created_at=NOW, updated_at=NOW,
                  server_id=7)
    actor.server = Server(id=7, host="peer.example")
    actor.images = []
    return actor


def remote_video() -> tuple[Video, VideoRelated]:
    account = Account(id=5, name="Remote Person", description=None, user_id=None, created_at=NOW, updated_at=NOW)
    account.actor = _actor("someone", "Person")
    channel = VideoChannel(id=6, name="Remote Channel", description=None, support=None, account_id=5,
                           created_at=NOW, updated_at=NOW)
    channel.actor = _actor("someone_channel", "Group")
    channel.account = account
    video = Video(id=9, uuid="9c9de5e8-0a1e-484a-b099-e80766180a6d", name="From afar", privacy=1, nsfw=False,
                  nsfw_flags=0, duration=61, views=4, likes=1, dislikes=0, comments=2, downloads=0, remote=True,
                  is_live=False, url=f"{PEER}/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d", channel_id=6,
                  state=1, wait_transcoding=False, comments_policy=1, download_enabled=True, published_at=NOW,
                  created_at=NOW, updated_at=NOW, description="x" * 300)
    video.channel = channel
    video.thumbnails = [Thumbnail(id=1, type=ThumbnailType.MINIATURE, filename="mini.jpg", width=280, height=157,
                                  file_url=f"{PEER}/lazy-static/thumbnails/abc.jpg")]
    web = VideoFile(id=11, video_id=9, resolution=720, width=1280, height=720, fps=30, size=1000, extname=".mp4",
                    filename="local-name-720.mp4", torrent_filename="local-720.torrent", info_hash="a" * 40,
                    format_flags=1, stream_flags=3, storage=0, file_url=f"{PEER}/static/web-videos/remote-720.mp4",
                    torrent_url=f"{PEER}/lazy-static/torrents/remote-720.torrent",
                    metadata_url=f"{PEER}/api/v1/videos/x/metadata/3")
    playlist = VideoStreamingPlaylist(id=12, video_id=9, type=1, playlist_filename="m.m3u8",
                                      segments_sha256_filename="s.json", storage=0,
                                      playlist_url=f"{PEER}/static/streaming-playlists/hls/x/master.m3u8",
                                      segments_sha256_url=f"{PEER}/static/streaming-playlists/hls/x/sha.json")
    playlist.files = [VideoFile(id=13, video_streaming_playlist_id=12, resolution=0, fps=0, size=10, extname=".mp4",
                                filename="abc-0-fragmented.mp4", format_flags=2, stream_flags=2, storage=0)]
    return video, VideoRelated(tags=["far"], web_files=[web], playlists=[playlist])


def test_remote_video_keeps_its_own_urls(config):
    video, related = remote_video()
    details = video_details_json(config, video, related).model_dump(mode="json")
    assert details["isLocal"] is False and details["url"] == video.url
    assert details["account"]["host"] == "peer.example" and details["channel"]["host"] == "peer.example"
    assert details["channel"]["isLocal"] is False
    (web,) = details["files"]
    assert web["fileUrl"] == f"{PEER}/static/web-videos/remote-720.mp4"
    assert web["fileDownloadUrl"] == web["fileUrl"]
    assert web["torrentUrl"] == f"{PEER}/lazy-static/torrents/remote-720.torrent"
    assert web["metadataUrl"] == f"{PEER}/api/v1/videos/x/metadata/3"
    assert web["resolution"] == {"id": 720, "label": "720p"}
    (playlist,) = details["streamingPlaylists"]
    assert playlist["playlistUrl"] == f"{PEER}/static/streaming-playlists/hls/x/master.m3u8"
    (audio,) = playlist["files"]
    assert audio["fileUrl"] == f"{PEER}/static/streaming-playlists/hls/x/abc-0-fragmented.mp4"
    assert audio["playlistUrl"] == f"{PEER}/static/streaming-playlists/hls/x/abc-0.m3u8"
    assert audio["resolution"] == {"id": 0, "label": "Audio only"}
    assert audio["hasVideo"] is False and audio["hasAudio"] is True and audio["magnetUri"] is None
    # images are served through this instance's lazy-static cache
    assert details["thumbnailUrl"] == "https://videos.local/lazy-static/thumbnails/mini.jpg"
    assert details["previewPath"] is None and details["createdAt"] == "2026-01-02T03:04:05.678Z"


def test_list_items_show_optional_attributes_only_when_loaded(config):
    video, related = remote_video()
    plain = video_json(config, video).model_dump(mode="json")
    assert not {"files", "streamingPlaylists", "tags", "videoSource", "automaticTags"} & plain.keys()
    # as in PeerTube, only details have the complete description
    assert plain["truncatedDescription"] == plain["description"] == "x" * 247 + "..."
    assert plain["userHistory"] is None and plain["scheduledUpdate"] is None
    loaded = video_json(config, video, VideoRelated(tags=[], history_time=12)).model_dump(mode="json")
    assert loaded["tags"] == [] and loaded["userHistory"] == {"currentTime": 12}


def test_small_pieces():
    assert truncate_description(None) is None and truncate_description("short") == "short"
    words = "word " * 80
    cut = truncate_description(words)
    assert len(cut) <= 250 and cut.endswith("word...")
    assert aspect_ratio_name(280, 157) == "16:9" and aspect_ratio_name(600, 600) == "1:1"
    assert aspect_ratio_name(640, 480) == "4:3"
    assert resolution_label(1080).label == "1080p"
