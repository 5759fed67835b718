"""oEmbed (https://oembed.com) for this instance's watch and playlist pages: the player's iframe, sized
to what the consumer allows, with the page URL's player options carried over to the embed."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.models import Account, ThumbnailType, Video, VideoChannel, VideoPrivacy
from vidpub.db.models.playlists import VideoPlaylist, VideoPlaylistPrivacy
from vidpub.errors import bad_request, not_found
from vidpub.services.videos.lookup import SHORT_LENGTH, find_video, is_listed_state, uuid_from_short
from vidpub.storage import layout

EMBED_WIDTH = 560
EMBED_HEIGHT = 315
IFRAME_SANDBOX = "allow-same-origin allow-scripts allow-popups allow-forms"
PROVIDER_NAME = "PeerTube"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)
# the player options a page URL may carry into the embed (anything else is dropped)
PLAYER_OPTIONS = frozenset({
    "start", "stop", "loop", "autoplay", "muted", "controls", "controlBar", "title", "api", "warningTitle",
    "peertubeLink", "p2p", "subtitle", "bigPlayBackgroundColor", "mode", "foregroundColor", "playbackRate",
    "waitPasswordFromEmbedAPI", "playlistPosition"})
# whoever has the link of an unlisted video or playlist may watch it: they may embed it too
EMBEDDABLE_VIDEO_PRIVACIES = frozenset({VideoPrivacy.PUBLIC, VideoPrivacy.UNLISTED})
EMBEDDABLE_PLAYLIST_PRIVACIES = frozenset({VideoPlaylistPrivacy.PUBLIC, VideoPlaylistPrivacy.UNLISTED})


@dataclass
class Embedded:
    title: str
    embed_path: str
    author_name: str
    author_url: str
    thumbnail_url: str | None
    thumbnail_width: int | None
    thumbnail_height: int | None


def _uuid_of(reference: str) -> str | None:
    """A watch URL names its object by UUID or short UUID (never by database id)."""
    if _UUID.match(reference):
        return reference.lower()
    if 1 <= len(reference) <= SHORT_LENGTH:
        return uuid_from_short(reference)
    return None


def parse_page_url(config: Config, url: str) -> tuple[str, str, list[tuple[str, str]]]:
    """(`video` or `playlist`, the object's UUID, its player options) of a watch page URL; 400 when the URL
    is not a watch or playlist page of this instance."""
    try:
        parts = urlsplit(url.strip())
        host = parts.netloc.lower()
    except ValueError:
        raise bad_request("Invalid url.") from None
    if parts.scheme not in ("http", "https") or host != config.host.lower():
        raise bad_request("Invalid url.")
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments and ";" in segments[-1]:  # `/w/<id>;threadId=...`
        segments[-1] = segments[-1].split(";", 1)[0]
    if segments[:-1] in (["videos", "watch", "playlist"], ["w", "p"]):
        kind = "playlist"
    elif segments[:-1] in (["videos", "watch"], ["w"]):
        kind = "video"
    else:
        raise bad_request("Invalid url.")
    uuid = _uuid_of(segments[-1])
    if uuid is None:
        raise not_found("Video not found" if kind == "video" else "Playlist not found")
    options = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True)
               if name in PLAYER_OPTIONS]
    return kind, uuid, options


async def embedded_video(session: AsyncSession, config: Config, uuid: str) -> Embedded:
    video = await find_video(session, uuid, (selectinload(Video.thumbnails),))
    if video is None or video.privacy not in EMBEDDABLE_VIDEO_PRIVACIES or not is_listed_state(video):
        raise not_found("Video not found")
    preview = next((thumb for thumb in video.thumbnails if thumb.type == ThumbnailType.PREVIEW), None)
    channel = video.channel
    return Embedded(
        title=video.name, embed_path=f"/videos/embed/{video.uuid}", author_name=channel.name,
        author_url=channel.actor.url,
        thumbnail_url=config.url + layout.preview_url_path(preview.filename) if preview else None,
        thumbnail_width=preview.width if preview else None,
        thumbnail_height=preview.height if preview else None)


async def embedded_playlist(session: AsyncSession, config: Config, uuid: str) -> Embedded:
    playlist = (await session.execute(
        sa.select(VideoPlaylist).where(VideoPlaylist.uuid == uuid))).scalar_one_or_none()
    if playlist is None or playlist.privacy not in EMBEDDABLE_PLAYLIST_PRIVACIES:
        raise not_found("Playlist not found")
    author = None
    if playlist.video_channel_id is not None:
        author = await session.get(VideoChannel, playlist.video_channel_id)
    if author is None:
        author = await session.get(Account, playlist.owner_account_id)
    has_thumbnail = playlist.thumbnail_filename is not None
    thumbnail_url = (config.url + layout.thumbnail_url_path(playlist.thumbnail_filename)
                     if has_thumbnail else None)
    return Embedded(
        title=playlist.name, embed_path=f"/video-playlists/embed/{playlist.uuid}", author_name=author.name,
        author_url=author.actor.url, thumbnail_url=thumbnail_url,
        thumbnail_width=playlist.thumbnail_width if has_thumbnail else None,
        thumbnail_height=playlist.thumbnail_height if has_thumbnail else None)


async def oembed(session: AsyncSession, config: Config, url: str, max_width: int | None,
                 max_height: int | None) -> dict:
    kind, uuid, options = parse_page_url(config, url)
    embedded = await (embedded_video if kind == "video" else embedded_playlist)(session, config, uuid)
    embed_url = config.url + embedded.embed_path + (f"?{urlencode(options)}" if options else "")
    width = min(EMBED_WIDTH, max_width) if max_width else EMBED_WIDTH
    height = min(EMBED_HEIGHT, max_height) if max_height else EMBED_HEIGHT
    frame = (f'<iframe width="{width}" height="{height}" sandbox="{IFRAME_SANDBOX}" '
             f'title="{html.escape(embedded.title, quote=True)}" src="{html.escape(embed_url, quote=True)}" '
             f'frameborder="0" allowfullscreen></iframe>')
    answer = {
        "type": "video", "version": "1.0", "html": frame, "width": width, "height": height,
        "title": embedded.title, "author_name": embedded.author_name, "author_url": embedded.author_url,
        "provider_name": PROVIDER_NAME, "provider_url": config.url,
    }
    fits = (embedded.thumbnail_url is not None
            and (not max_width or (embedded.thumbnail_width or 0) <= max_width)
            and (not max_height or (embedded.thumbnail_height or 0) <= max_height))
    if fits:
        answer.update(thumbnail_url=embedded.thumbnail_url, thumbnail_width=embedded.thumbnail_width,
                      thumbnail_height=embedded.thumbnail_height)
    return answer
