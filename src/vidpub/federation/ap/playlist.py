"""Playlists as ActivityPub `Playlist` objects and their elements as `PlaylistElement`s, both directions.

A playlist document is also an ordered collection (PeerTube's shape): without `?page` it carries
`totalItems` and `first`; a page carries `orderedItems`, the ids of its elements, which are
documents of their own (`url` = the video's id, `position`, optional start/stop timestamps).
Only public and unlisted playlists are published: `to` holds the public collection for a public
one and nothing for an unlisted one, which is how a receiver tells them apart.
"""

from __future__ import annotations

import uuid as uuid_lib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import (Actor, Video, VideoChannel, VideoPlaylist, VideoPlaylistElement, VideoPlaylistPrivacy,
                              VideoPlaylistType)
from vidpub.federation.ap.common import (InvalidObject, as_list, first_http_url, is_http_url, is_public, iso,
                                         object_id, parse_date)
from vidpub.federation.context import AS_PUBLIC
from vidpub.schemas.playlists import DESCRIPTION_LENGTH, DISPLAY_NAME_LENGTH
from vidpub.storage import layout

MARKDOWN = "text/markdown"
MAX_TIMESTAMP = 2**31 - 1
FEDERATED_PRIVACIES = (VideoPlaylistPrivacy.PUBLIC, VideoPlaylistPrivacy.UNLISTED)


# -- to ActivityPub ---------------------------------------------------------------------------------

def playlist_to_ap(*, playlist_url: str, name: str, description: str | None, uuid: str, published: datetime,
                   updated: datetime, channel_url: str | None, channel_position: int | None, public: bool,
                   icon: dict | None, total_items: int) -> dict:
    """The playlist's own fields and the collection root (`first` omitted when empty). A page of
    elements is this document with the page's fields (`orderedItems`...) laid over it."""
    document = {
        "id": playlist_url, "type": "Playlist", "totalItems": total_items, "name": name, "content": description,
        "mediaType": MARKDOWN, "uuid": uuid, "published": iso(published), "updated": iso(updated),
        "attributedTo": [channel_url] if channel_url else [],
        "to": [AS_PUBLIC] if public else [],
    }
    if channel_position is not None:
        document["videoChannelPosition"] = channel_position
    if icon is not None:
        document["icon"] = icon
    if total_items > 0:
        document["first"] = f"{playlist_url}?page=1"
    return document


def playlist_icon(url: str, width: int, height: int) -> dict:
    return {"type": "Image", "url": url, "mediaType": "image/jpeg", "width": width, "height": height}


def element_to_ap(*, element_url: str, video_url: str | None, position: int, start_timestamp: int | None,
                  stop_timestamp: int | None) -> dict:
    document: dict[str, Any] = {"id": element_url, "type": "PlaylistElement", "url": video_url,
                                "position": position}
    if start_timestamp:
        document["startTimestamp"] = start_timestamp
    if stop_timestamp:
        document["stopTimestamp"] = stop_timestamp
    return document


# -- from ActivityPub -------------------------------------------------------------------------------

@dataclass
class PlaylistFields:
    id: str
    uuid: str
    name: str
    description: str | None
    published: datetime
    updated: datetime
    public: bool
    channel_urls: list[str] = field(default_factory=list)
    icon_url: str | None = None
    icon_width: int | None = None
    icon_height: int | None = None
    first_page: str | None = None         # the collection's first page, to crawl
    element_urls: list[str] = field(default_factory=list)  # elements listed inline (`orderedItems`)


@dataclass
class ElementFields:
    id: str
    video_url: str
    position: int
    start_timestamp: int | None
    stop_timestamp: int | None


def _text(value: Any, name: str, limits: tuple[int, int], *, required: bool) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip() and not required):
        if required:
            raise InvalidObject(f"{name}: a text is required")
        return None
    if not isinstance(value, str):
        raise InvalidObject(f"{name}: a text is required")
    value = value.strip()
    low, high = limits
    if len(value) < low:
        if required:
            raise InvalidObject(f"{name}: too short")
        return None
    # a longer text from another server is cut rather than refused (the playlist is still worth having)
    return value[:high]


def _dimension(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 10_000 else None


def _icon(value: Any) -> tuple[str | None, int | None, int | None]:
    """(URL, width, height) of the first usable icon: an `Image` object or a bare URL."""
    for icon in as_list(value):
        url = first_http_url([icon.get("url") if isinstance(icon, dict) else icon])
        if url is not None:
            if isinstance(icon, dict):
                return url, _dimension(icon.get("width")), _dimension(icon.get("height"))
            return url, None, None
    return None, None, None


def playlist_from_ap(doc: Any) -> PlaylistFields:
    """Validate a received `Playlist`; raises InvalidObject."""
    if not isinstance(doc, dict) or doc.get("type") != "Playlist":
        raise InvalidObject("a Playlist object is required")
    try:
        uuid = str(uuid_lib.UUID(doc.get("uuid")))
    except (TypeError, ValueError, AttributeError):
        raise InvalidObject("uuid: a UUID is required") from None
    items = doc.get("orderedItems")
    icon = _icon(doc.get("icon"))
    return PlaylistFields(
        id=object_id(doc.get("id"), "id"), uuid=uuid,
        name=_text(doc.get("name"), "name", DISPLAY_NAME_LENGTH, required=True),
        description=_text(doc.get("content"), "content", DESCRIPTION_LENGTH, required=False),
        published=parse_date(doc.get("published"), "published"),
        updated=parse_date(doc.get("updated"), "updated"),
        public=is_public(doc.get("to"), doc.get("cc")),
        channel_urls=[url for url in (first_http_url([item]) for item in as_list(doc.get("attributedTo"))) if url],
        icon_url=icon[0], icon_width=icon[1], icon_height=icon[2],
        first_page=(object_id(doc["first"], "first") if doc.get("first") is not None else None),
        element_urls=[url for url in (first_http_url([item]) for item in as_list(items)) if url])


def _timestamp(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TIMESTAMP:
        raise InvalidObject(f"{name}: a number of seconds is required")
    return value


def element_from_ap(doc: Any) -> ElementFields:
    if not isinstance(doc, dict) or doc.get("type") != "PlaylistElement":
        raise InvalidObject("a PlaylistElement object is required")
    position = doc.get("position")
    if isinstance(position, bool) or not isinstance(position, int) or position < 1:
        raise InvalidObject("position: a positive integer is required")
    video_url = doc.get("url")
    if not is_http_url(video_url):
        raise InvalidObject("url: the video's URL is required")
    return ElementFields(id=object_id(doc.get("id"), "id"), video_url=video_url, position=position,
                         start_timestamp=_timestamp(doc.get("startTimestamp"), "startTimestamp"),
                         stop_timestamp=_timestamp(doc.get("stopTimestamp"), "stopTimestamp"))


# -- our rows ---------------------------------------------------------------------------------------

def is_published(playlist: VideoPlaylist) -> bool:
    """Public and unlisted playlists of ours are published; private ones and "Watch later" never."""
    return playlist.privacy in FEDERATED_PRIVACIES and playlist.type == VideoPlaylistType.REGULAR


async def element_page(session: AsyncSession, playlist_id: int, start: int, count: int) -> tuple[int, list[str]]:
    """(total, ids of the elements start..start+count) of a playlist, in order."""
    total = (await session.execute(sa.select(sa.func.count(VideoPlaylistElement.id))
                                   .where(VideoPlaylistElement.video_playlist_id == playlist_id))).scalar_one()
    if count <= 0:
        return total, []
    rows = await session.execute(
        sa.select(VideoPlaylistElement.url).where(VideoPlaylistElement.video_playlist_id == playlist_id,
                                                  VideoPlaylistElement.url.is_not(None))
        .order_by(VideoPlaylistElement.position).offset(start).limit(count))
    return total, list(rows.scalars())


async def playlist_object(session: AsyncSession, config: Config, playlist: VideoPlaylist) -> dict:
    """The document of one of our playlists (the collection root)."""
    total, _ = await element_page(session, playlist.id, 0, 0)
    icon = None
    if playlist.thumbnail_filename and playlist.thumbnail_width and playlist.thumbnail_height:
        icon = playlist_icon(config.url + layout.thumbnail_url_path(playlist.thumbnail_filename),
                             playlist.thumbnail_width, playlist.thumbnail_height)
    channel_url = None
    if playlist.video_channel_id is not None:
        channel_url = (await session.execute(sa.select(Actor.url).join(VideoChannel, VideoChannel.actor_id == Actor.id)
                                             .where(VideoChannel.id == playlist.video_channel_id))).scalar()
    return playlist_to_ap(
        playlist_url=playlist.url, name=playlist.name, description=playlist.description, uuid=playlist.uuid,
        published=playlist.created_at, updated=playlist.updated_at, channel_url=channel_url,
        channel_position=playlist.video_channel_position, public=playlist.privacy == VideoPlaylistPrivacy.PUBLIC,
        icon=icon, total_items=total)


async def element_object(session: AsyncSession, element: VideoPlaylistElement) -> dict:
    video_url = None
    if element.video_id is not None:
        video_url = (await session.execute(sa.select(Video.url).where(Video.id == element.video_id))).scalar()
    return element_to_ap(element_url=element.url, video_url=video_url, position=element.position,
                         start_timestamp=element.start_timestamp, stop_timestamp=element.stop_timestamp)
