"""The `url[]` of a `Video` object, both ways (peertube-internals §5.6).

Out: two `text/html` links (the watch page first: Mastodon shows that one), then each web video
(highest resolution first) as a file link followed by its metadata, torrent and magnet links, then the
HLS master playlist with its p2p infohashes, segment hashes and fragmented MP4 links in `tag`, then the
trackers. The URLs are the ones the REST API gives for the same files (`schemas/video_files.py`).

In: `parse_links` reads the web videos and the HLS playlist out of a remote `url[]`, matching each
file's torrent/magnet/metadata links by height and fps as PeerTube does.
"""

from __future__ import annotations

import math
import posixpath
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from vidpub.config import Config
from vidpub.db.models import FileFormat, FileStream
from vidpub.federation.ap.common import is_http_url
from vidpub.schemas.video_files import VideoFileJson, streaming_playlists_json, web_video_files_json
from vidpub.services import torrents
from vidpub.services.videos.lookup import short_uuid

if TYPE_CHECKING:
    from vidpub.federation.ap.video import VideoParts

VIDEO_MIME_TYPES = {".mp4": "video/mp4", ".webm": "video/webm", ".ogv": "video/ogg", ".ogg": "video/ogg"}
FILE_MIME_TYPES = frozenset({"video/mp4", "video/webm", "video/ogg", "audio/mp4"})
HLS_MIME = "application/x-mpegURL"
TORRENT_MIME = "application/x-bittorrent"
MAGNET_MIME = "application/x-bittorrent;x-scheme-handler/magnet"
EXTNAMES = {"video/mp4": ".mp4", "video/webm": ".webm", "video/ogg": ".ogv", "audio/mp4": ".mp4"}


# -- out -------------------------------------------------------------------------------------------

def _mime(extname: str, resolution: int) -> str:
    if resolution == 0 and extname == ".mp4":
        return "audio/mp4"
    return VIDEO_MIME_TYPES.get(extname, "video/mp4")


def _file_links(file: VideoFileJson, extname: str, format_flag: str) -> list[dict]:
    height = file.resolution.id
    dims = {"height": height, "width": file.width, "fps": file.fps}
    streams = [value for value, present in (("video", file.hasVideo), ("audio", file.hasAudio)) if present]
    links = [{"type": "Link", "mediaType": _mime(extname, height), "href": file.fileUrl, "height": height,
              "width": file.width, "size": file.size, "fps": file.fps,
              "attachment": [{"type": "PropertyValue", "name": "ffprobe_codec_type", "value": value}
                             for value in streams]
              + [{"type": "PropertyValue", "name": "peertube_format_flag", "value": format_flag}]}]
    if file.metadataUrl:
        links.append({"type": "Link", "rel": ["metadata", _mime(extname, height)], "mediaType": "application/json",
                      "href": file.metadataUrl, **dims})
    if file.torrentUrl:
        links.append({"type": "Link", "mediaType": TORRENT_MIME, "href": file.torrentUrl, **dims})
    if file.magnetUri:
        links.append({"type": "Link", "mediaType": MAGNET_MIME, "href": file.magnetUri, **dims})
    return links


def url_links(config: Config, parts: VideoParts) -> list[dict]:
    video = parts.video
    links: list[dict] = [
        {"type": "Link", "mediaType": "text/html", "href": f"{config.url}/videos/watch/{video.uuid}"},
        {"type": "Link", "mediaType": "text/html", "href": f"{config.url}/w/{short_uuid(video.uuid)}"},
    ]
    extnames = {file.id: file.extname for file in parts.web_files}
    for file in web_video_files_json(config, video, parts.web_files):
        links += _file_links(file, extnames.get(file.id, ".mp4"), "web-video")
    if parts.playlist is not None and parts.playlist.files:
        playlist = streaming_playlists_json(config, video, [parts.playlist])[0]
        tag: list[dict] = [{"type": "Infohash", "name": infohash}
                           for infohash in parts.playlist.p2p_media_loader_infohashes or []]
        tag.append({"type": "Link", "name": "sha256", "mediaType": "application/json",
                    "href": playlist.segmentsSha256Url})
        for file in playlist.files:
            tag += _file_links(file, ".mp4", "fragmented")
        links.append({"type": "Link", "mediaType": HLS_MIME, "href": playlist.playlistUrl, "tag": tag})
    for tracker in torrents.tracker_urls(config):
        kind = "websocket" if tracker.startswith("ws") else "http"
        links.append({"type": "Link", "name": f"tracker-{kind}", "rel": ["tracker", kind], "href": tracker})
    return links


# -- in --------------------------------------------------------------------------------------------

@dataclass
class RemoteFile:
    resolution: int
    width: int | None
    height: int | None
    fps: float
    size: int
    extname: str
    file_url: str
    filename: str
    stream_flags: int
    format_flags: int
    torrent_url: str | None = None
    info_hash: str | None = None
    metadata_url: str | None = None


@dataclass
class RemoteHlsPlaylist:
    playlist_url: str
    segments_sha256_url: str | None
    infohashes: list[str] = field(default_factory=list)
    files: list[RemoteFile] = field(default_factory=list)


MAX_DIMENSION = 2**31 - 1
MAX_SIZE = 2**62


def _number(value, default=0, limit: float = MAX_DIMENSION) -> float:
    """A finite, non-negative number within `limit`, else `default`."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return min(max(value, 0), limit)
    return default


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _stream_flags(link: dict, height: int) -> int:
    values = {item.get("value") for item in _list(link.get("attachment"))
              if isinstance(item, dict) and item.get("name") == "ffprobe_codec_type"}
    if not values:  # older PeerTube: no attachment; an audio-only file has no height
        return FileStream.VIDEO | FileStream.AUDIO if height else FileStream.AUDIO
    return (FileStream.VIDEO if "video" in values else 0) | (FileStream.AUDIO if "audio" in values else 0)


def _info_hash(magnet: str | None) -> str | None:
    if not magnet:
        return None
    match = re.search(r"xt=urn:btih:([0-9a-fA-F]{40})", magnet)
    return match.group(1).lower() if match else None


def _companion(links: list[dict], height: int, fps: float, *, media_type: str,
               rel: str | None = None) -> str | None:
    """The href of the `media_type` link (with `rel`) describing the file of this height and fps."""
    for link in links:
        if link.get("mediaType") != media_type or _number(link.get("height"), None) != height:
            continue
        if rel is not None and not (isinstance(link.get("rel"), list) and rel in link["rel"]):
            continue
        if _number(link.get("fps"), fps) != fps:
            continue
        href = link.get("href")
        if media_type == MAGNET_MIME:
            return href if isinstance(href, str) and href.startswith("magnet:") else None
        if is_http_url(href):
            return href
    return None


def _files(links: list[dict], format_flags: int) -> list[RemoteFile]:
    out = []
    for link in links:
        media_type = link.get("mediaType") if isinstance(link, dict) else None
        if not isinstance(media_type, str) or link.get("type") != "Link" or media_type not in FILE_MIME_TYPES:
            continue
        href = link.get("href")
        if not is_http_url(href):
            continue
        height = int(_number(link.get("height")))
        fps = float(_number(link.get("fps"), -1, 1000))
        width = _number(link.get("width"), None)
        width = int(width) if width is not None else None
        magnet = _companion(links, height, fps, media_type=MAGNET_MIME)
        path = urlsplit(href).path
        out.append(RemoteFile(
            resolution=height, width=width, height=height if height else None, fps=fps,
            size=int(_number(link.get("size"), 0, MAX_SIZE)), extname=posixpath.splitext(path)[1][:10] or
            EXTNAMES[media_type], file_url=href, filename=posixpath.basename(path)[:255] or "file",
            stream_flags=_stream_flags(link, height), format_flags=format_flags,
            torrent_url=_companion(links, height, fps, media_type=TORRENT_MIME), info_hash=_info_hash(magnet),
            metadata_url=_companion(links, height, fps, media_type="application/json", rel="metadata")))
    return out


def parse_links(url: list) -> tuple[list[RemoteFile], RemoteHlsPlaylist | None]:
    """(web videos, HLS playlist) of a remote video's `url[]`; unusable links are skipped."""
    links = [link for link in url if isinstance(link, dict)] if isinstance(url, list) else []
    web_files = _files(links, FileFormat.WEB_VIDEO)
    playlist = None
    for link in links:
        if link.get("mediaType") == HLS_MIME and is_http_url(link.get("href")):
            tag = [item for item in _list(link.get("tag")) if isinstance(item, dict)]
            sha = next((item.get("href") for item in tag if item.get("name") == "sha256"
                        and is_http_url(item.get("href"))), None)
            playlist = RemoteHlsPlaylist(
                playlist_url=link["href"], segments_sha256_url=sha,
                infohashes=[item["name"] for item in tag if item.get("type") == "Infohash"
                            and isinstance(item.get("name"), str)][:20],
                files=_files(tag, FileFormat.FRAGMENTED))
            break
    return web_files, playlist
