"""PeerTube's storage layout and URL space for video files (peertube-internals §4.6).

Files of private, internal and password-protected videos live in `private/` sub-directories and are
served by routes that check the caller's right to see the video.
"""

from __future__ import annotations

import uuid as uuid_module
from pathlib import Path

from vidpub.config import Config
from vidpub.db.models import VideoPrivacy

PRIVATE_PRIVACIES = frozenset({VideoPrivacy.PRIVATE, VideoPrivacy.INTERNAL, VideoPrivacy.PASSWORD_PROTECTED})


def in_private_directory(privacy: int) -> bool:
    return privacy in PRIVATE_PRIVACIES


def random_name() -> str:
    return str(uuid_module.uuid4())


# -- file names ---------------------------------------------------------------------------------------

def web_video_filename(resolution: int, extname: str = ".mp4") -> str:
    return f"{random_name()}-{resolution}{extname}"


def hls_resolution_names(resolution: int) -> tuple[str, str]:
    """(playlist, fragmented MP4) of one HLS rendition: `<uuid>-<res>.m3u8`, `<uuid>-<res>-fragmented.mp4`."""
    base = f"{random_name()}-{resolution}"
    return f"{base}.m3u8", f"{base}-fragmented.mp4"


def hls_master_filename() -> str:
    return f"{random_name()}-master.m3u8"


def hls_sha256_filename() -> str:
    return f"{random_name()}-segments-sha256.json"


def torrent_filename(resolution: int) -> str:
    return f"{random_name()}-{resolution}.torrent"


def image_filename(extname: str = ".jpg") -> str:
    return f"{random_name()}{extname}"


def caption_filename(language: str, extname: str = ".vtt") -> str:
    return f"{random_name()}-{language}{extname}"


# -- directories and paths ------------------------------------------------------------------------------

def web_videos_dir(config: Config, private: bool) -> Path:
    base = config.storage_path("web_videos")
    return base / "private" if private else base


def web_video_path(config: Config, filename: str, private: bool) -> Path:
    return web_videos_dir(config, private) / filename


def hls_dir(config: Config, video_uuid: str, private: bool) -> Path:
    base = config.storage_path("streaming_playlists") / "hls"
    return (base / "private" / video_uuid) if private else (base / video_uuid)


def redundancy_hls_dir(config: Config, video_uuid: str) -> Path:
    """Our copy of a remote video's HLS playlist (files named as at the origin)."""
    return config.storage_path("redundancy") / "hls" / video_uuid


def thumbnail_path(config: Config, filename: str) -> Path:
    return config.storage_path("thumbnails") / filename


def preview_path(config: Config, filename: str) -> Path:
    return config.storage_path("previews") / filename


def caption_path(config: Config, filename: str) -> Path:
    return config.storage_path("captions") / filename


def storyboard_path(config: Config, filename: str) -> Path:
    return config.storage_path("storyboards") / filename


def torrent_path(config: Config, filename: str) -> Path:
    return config.storage_path("torrents") / filename


def original_file_path(config: Config, filename: str) -> Path:
    return config.storage_path("original_video_files") / filename


def resumable_uploads_dir(config: Config) -> Path:
    return config.storage_path("tmp_persistent") / "resumable-uploads"


def transcoding_workdir(config: Config) -> Path:
    return config.storage_path("tmp") / "transcoding"


# -- public URLs (paths below the instance URL) -----------------------------------------------------------

def web_video_url_path(filename: str, private: bool) -> str:
    return f"/static/web-videos/private/{filename}" if private else f"/static/web-videos/{filename}"


def hls_url_path(video_uuid: str, filename: str, private: bool) -> str:
    prefix = "/static/streaming-playlists/hls/private/" if private else "/static/streaming-playlists/hls/"
    return f"{prefix}{video_uuid}/{filename}"


def redundancy_hls_url_path(video_uuid: str, filename: str | None = None) -> str:
    """The directory of our copy of a video's HLS files (PeerTube's CacheFile `href` and the players'
    redundancy `baseUrl` name the directory), or one file in it."""
    base = f"/static/redundancy/hls/{video_uuid}"
    return f"{base}/{filename}" if filename else base


def thumbnail_url_path(filename: str) -> str:
    return f"/lazy-static/thumbnails/{filename}"


def preview_url_path(filename: str) -> str:
    return f"/lazy-static/previews/{filename}"


def caption_url_path(filename: str) -> str:
    return f"/lazy-static/video-captions/{filename}"


def storyboard_url_path(filename: str) -> str:
    return f"/lazy-static/storyboards/{filename}"


def torrent_url_path(filename: str) -> str:
    return f"/lazy-static/torrents/{filename}"


def torrent_download_url_path(filename: str) -> str:
    return f"/download/torrents/{filename}"


def web_video_download_url_path(filename: str) -> str:
    return f"/download/web-videos/{filename}"


def hls_file_download_url_path(filename: str) -> str:
    return f"/download/streaming-playlists/hls/videos/{filename}"


def original_file_download_url_path(filename: str) -> str:
    return f"/download/original-video-files/{filename}"


def file_metadata_url_path(video_uuid: str, file_id: int) -> str:
    return f"/api/v1/videos/{video_uuid}/metadata/{file_id}"
