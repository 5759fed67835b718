"""The `CacheFile` object (peertube-internals §8.2): a copy of a video's HLS playlist held by an
instance, named by `/redundancy/streaming-playlists/hls/<video uuid>` on that instance.

PeerTube's `url.href` is the directory the copy's files are served from (players append the file
names to it), not the master playlist itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vidpub.db.models import VideoRedundancy
from vidpub.federation.ap.common import InvalidObject, is_http_url, iso, object_id, parse_date

HLS_MEDIA_TYPE = "application/x-mpegURL"


def cache_file_url(base_url: str, video_uuid: str) -> str:
    return f"{base_url}/redundancy/streaming-playlists/hls/{video_uuid}"


def cache_file_to_ap(redundancy: VideoRedundancy, video_url: str) -> dict:
    return {"id": redundancy.url, "type": "CacheFile", "object": video_url,
            "expires": iso(redundancy.expires_on) if redundancy.expires_on else None,
            "url": {"type": "Link", "mediaType": HLS_MEDIA_TYPE, "href": redundancy.file_url}}


@dataclass(frozen=True)
class CacheFileData:
    id: str
    video_url: str
    file_url: str
    expires_on: datetime | None


def parse_cache_file(obj: dict) -> CacheFileData:
    """A received CacheFile of an HLS playlist; InvalidObject when unusable (web-video copies, which
    PeerTube no longer makes, included)."""
    if not isinstance(obj, dict) or obj.get("type") != "CacheFile":
        raise InvalidObject("object: a CacheFile is required")
    link = obj.get("url")
    if isinstance(link, list):
        link = next((item for item in link if isinstance(item, dict)), None)
    if not isinstance(link, dict) or link.get("mediaType") != HLS_MEDIA_TYPE or not is_http_url(link.get("href")):
        raise InvalidObject("url: an HLS Link with an http(s) href is required")
    return CacheFileData(id=object_id(obj.get("id"), "id"), video_url=object_id(obj.get("object")),
                         file_url=link["href"], expires_on=parse_date(obj.get("expires"), "expires", required=False))
