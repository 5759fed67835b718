"""Remote playlists: a received `Playlist` stored as a playlist row with its elements.

The document is the collection root: its elements are crawled from `first` (following `next`, up to
`MAX_PAGES` pages) and each element is read from its own URL, its video resolved as a remote video.
Elements that cannot be read or whose video cannot be stored are skipped; the others are stored in
their order as positions 1..n (the whole list is replaced on every Create/Update, as PeerTube does).
Documents are trusted for their own host, and a playlist belongs to the account that sent it.
"""

from __future__ import annotations

import contextlib
import logging

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import Account, Actor, VideoChannel, VideoPlaylist, VideoPlaylistElement, VideoPlaylistPrivacy
from vidpub.federation import remote_actors, remote_videos
from vidpub.federation.ap.common import InvalidObject, host_of, same_host
from vidpub.federation.ap.playlist import ElementFields, PlaylistFields, element_from_ap, playlist_from_ap
from vidpub.federation.collection_pages import collection_items
from vidpub.federation.fetch import FetchError, fetch_json
from vidpub.services.playlists.editing import CHANNEL_POSITIONS, lock_channels
from vidpub.storage import layout

log = logging.getLogger("vidpub.federation")

MAX_PAGES = 20
MAX_ELEMENTS = 500


class PlaylistRefused(Exception):
    pass


async def find_playlist(session: AsyncSession, url: str) -> VideoPlaylist | None:
    return (await session.execute(sa.select(VideoPlaylist).where(VideoPlaylist.url == url))).scalar_one_or_none()


async def _fetch(session: AsyncSession, config: Config, url: str) -> dict:
    signer = await remote_actors.server_actor(session)
    return await fetch_json(config, url, signer=signer)


async def _element_urls(session: AsyncSession, config: Config, fields: PlaylistFields) -> list[str | dict]:
    """Element ids (or inline element documents) of the playlist, from its pages."""
    items: list[str | dict] = list(fields.element_urls)
    if fields.first_page and len(items) < MAX_ELEMENTS:
        items += await collection_items(lambda url: _fetch(session, config, url), fields.first_page, fields.id,
                                        max_pages=MAX_PAGES, max_items=MAX_ELEMENTS - len(items))
    return items[:MAX_ELEMENTS]


async def _elements(session: AsyncSession, config: Config, fields: PlaylistFields) -> list[tuple[ElementFields, int]]:
    """(element, video id) of every element that could be read, in playlist order."""
    found: list[tuple[ElementFields, int]] = []
    for item in await _element_urls(session, config, fields):
        try:
            if isinstance(item, str):
                document = await _fetch(session, config, item)
                element = element_from_ap(document)
                if element.id != item:
                    raise InvalidObject("the element's id is not its URL")
            else:
                element = element_from_ap(item)
            if not same_host(element.id, fields.id):
                raise InvalidObject("an element lives with its playlist")
            video = await remote_videos.video_from_url(session, config, element.video_url)
        except Exception as error:  # one unreadable element or video does not sink the playlist
            log.info("playlist element %s skipped: %s", item if isinstance(item, str) else item.get("id"), error)
            continue
        found.append((element, video.id))
    found.sort(key=lambda pair: pair[0].position)
    return found


async def _channel_of(session: AsyncSession, config: Config, fields: PlaylistFields, account: Account
                      ) -> VideoChannel | None:
    for url in fields.channel_urls:
        try:
            actor = await remote_actors.actor_from_url(session, config, url)
        except remote_actors.ActorError as error:
            log.info("playlist channel %s not resolved: %s", url, error)
            continue
        channel = (await session.execute(sa.select(VideoChannel).where(VideoChannel.actor_id == actor.id))
                   ).scalar_one_or_none()
        if channel is not None and channel.account_id == account.id:
            return channel
    return None


async def _set_channel(session: AsyncSession, playlist: VideoPlaylist, channel_id: int | None) -> None:
    if playlist.video_channel_id == channel_id:
        return
    await lock_channels(session, [playlist.video_channel_id, channel_id])
    old_channel, old_position = playlist.video_channel_id, playlist.video_channel_position
    playlist.video_channel_id, playlist.video_channel_position = None, None
    await session.flush()
    if old_channel is not None and old_position is not None:
        await CHANNEL_POSITIONS.close_gap(session, old_channel, old_position)
    if channel_id is not None:
        playlist.video_channel_id = channel_id
        playlist.video_channel_position = await CHANNEL_POSITIONS.next_position(session, channel_id)


async def store_playlist(session: AsyncSession, config: Config, document: dict, sender: Actor) -> VideoPlaylist:
    """Create or update the remote playlist `document` describes, sent by `sender` (its owner)."""
    try:
        fields = playlist_from_ap(document)
    except InvalidObject as error:
        raise PlaylistRefused(str(error)) from None
    if host_of(fields.id) == config.host.lower() or not same_host(fields.id, sender.url):
        raise PlaylistRefused("a playlist is sent by its owner, from its own server")
    account = (await session.execute(sa.select(Account).where(Account.actor_id == sender.id))).scalar_one_or_none()
    if account is None:
        raise PlaylistRefused("a playlist belongs to an account")
    playlist = await find_playlist(session, fields.id)
    if playlist is not None and playlist.owner_account_id != account.id:
        raise PlaylistRefused("the playlist belongs to another account")
    if playlist is None and (await session.execute(
            sa.select(VideoPlaylist.id).where(VideoPlaylist.uuid == fields.uuid))).first() is not None:
        raise PlaylistRefused("another playlist has this UUID")
    if playlist is not None and fields.updated is not None and fields.updated < playlist.updated_at:
        # deliveries are not ordered: a Create sent before an Update may arrive after it
        return playlist
    channel = await _channel_of(session, config, fields, account)
    elements = await _elements(session, config, fields)
    if playlist is None:
        playlist = VideoPlaylist(uuid=fields.uuid, url=fields.id, owner_account_id=account.id,
                                 created_at=fields.published)
        session.add(playlist)
    playlist.name = fields.name
    playlist.description = fields.description
    playlist.privacy = VideoPlaylistPrivacy.PUBLIC if fields.public else VideoPlaylistPrivacy.UNLISTED
    _set_thumbnail(config, playlist, fields)
    playlist.updated_at = fields.updated or utcnow()
    await session.flush()
    await _set_channel(session, playlist, channel.id if channel is not None else None)
    await session.execute(sa.delete(VideoPlaylistElement).where(VideoPlaylistElement.video_playlist_id == playlist.id))
    seen: set[str] = set()
    position = 0
    for element, video_id in elements:
        if element.id in seen:
            continue
        seen.add(element.id)
        position += 1
        session.add(VideoPlaylistElement(url=element.id, position=position, video_playlist_id=playlist.id,
                                         video_id=video_id, start_timestamp=element.start_timestamp,
                                         stop_timestamp=element.stop_timestamp))
    # the origin's time, not ours (the channel change above is a second UPDATE, which would stamp it):
    # the next Create/Update is compared with it
    playlist.updated_at = fields.updated or utcnow()
    await session.flush()
    return playlist


def _set_thumbnail(config: Config, playlist: VideoPlaylist, fields: PlaylistFields) -> None:
    """The origin's icon is kept as a URL and fetched on the first request of the miniature (see
    `remote_images`); a new URL gets a new file name, so that no one is served the former image."""
    if fields.icon_url == playlist.thumbnail_url:
        if fields.icon_url is not None:
            playlist.thumbnail_width, playlist.thumbnail_height = fields.icon_width, fields.icon_height
        return
    _forget_thumbnail(config, playlist)
    if fields.icon_url is not None:
        playlist.thumbnail_url, playlist.thumbnail_filename = fields.icon_url, layout.image_filename()
        playlist.thumbnail_width, playlist.thumbnail_height = fields.icon_width, fields.icon_height


def _forget_thumbnail(config: Config, playlist: VideoPlaylist) -> None:
    """The file is a copy of the origin's: removed at once, since a row still naming it (a transaction
    that does not commit) fetches it again when asked."""
    if playlist.thumbnail_filename:
        with contextlib.suppress(OSError):
            layout.thumbnail_path(config, playlist.thumbnail_filename).unlink()
    playlist.thumbnail_url = playlist.thumbnail_filename = None
    playlist.thumbnail_width = playlist.thumbnail_height = None


async def delete_playlist(session: AsyncSession, config: Config, playlist: VideoPlaylist) -> None:
    await _set_channel(session, playlist, None)
    _forget_thumbnail(config, playlist)
    await session.execute(sa.delete(VideoPlaylist).where(VideoPlaylist.id == playlist.id)
                          .execution_options(synchronize_session=False))


async def playlist_from_url(session: AsyncSession, config: Config, url: str) -> VideoPlaylist:
    """The remote playlist `url` names: known, or fetched and stored (its owner is the account of the
    channel it is attributed to, as a fetched document carries no sender)."""
    known = await find_playlist(session, url)
    if known is not None:
        return known
    if host_of(url) == config.host.lower():
        raise PlaylistRefused("no such playlist of ours")
    try:
        document = await _fetch(session, config, url)
        fields = playlist_from_ap(document)
    except (FetchError, InvalidObject) as error:
        raise PlaylistRefused(str(error)) from None
    if fields.id != url and not same_host(fields.id, url):
        raise PlaylistRefused("the playlist's id is not on the host it was fetched from")
    for channel_url in fields.channel_urls:
        try:
            channel_actor = await remote_actors.actor_from_url(session, config, channel_url)
        except remote_actors.ActorError:
            continue
        owner = (await session.execute(
            sa.select(Actor).join(Account, Account.actor_id == Actor.id)
            .join(VideoChannel, VideoChannel.account_id == Account.id)
            .where(VideoChannel.actor_id == channel_actor.id))).scalar_one_or_none()
        if owner is not None:
            return await store_playlist(session, config, document, owner)
    raise PlaylistRefused("the playlist's channel cannot be resolved")


async def resolve_searched_playlist(runtime, user, text: str | None) -> bool:
    """`GET /search/video-playlists?search=<URL>`: fetch and store the remote playlist the URL names
    (see `search_resolution.resolve_remote_object`)."""
    from vidpub.federation.search_resolution import resolve_remote_object

    return await resolve_remote_object(runtime, user, text, playlist_from_url, PlaylistRefused, "playlist")
