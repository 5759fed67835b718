"""Creating, editing and deleting playlists, and their place in their channel.

A playlist in a channel has a position there (PeerTube 8's `videoChannelPosition`, which the channel's
owner reorders); positions stay 1..n as playlists join and leave the channel. Row locks are always
taken channels first, then the playlist, so that concurrent edits cannot deadlock.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import User, VideoChannel, VideoPlaylist, VideoPlaylistPrivacy, VideoPlaylistType
from vidpub.errors import bad_request, invalid_param
from vidpub.federation.ap.playlist import is_published
from vidpub.federation.outbox import send_playlist
from vidpub.schemas.playlists import PlaylistAttributes, ReorderBody
from vidpub.services.auth.rights import UserRight
from vidpub.services.playlists import thumbnails
from vidpub.services.playlists.lookup import ensure_can_manage, get_playlist, lock_playlist
from vidpub.services.playlists.positions import PositionedTable, moved_block
from vidpub.services.playlists.watch_later import playlist_url
from vidpub.storage import layout

CHANNEL_POSITIONS = PositionedTable(VideoPlaylist, "video_channel_position", "video_channel_id")
# where a playlist without a channel may not go (PeerTube's rules: creation refuses both, an update
# only "public")
NEEDS_CHANNEL_AT_CREATION = (VideoPlaylistPrivacy.PUBLIC, VideoPlaylistPrivacy.UNLISTED)

Upload = tuple[Path, str | None]  # a received `thumbnailfile`: (file, client file name)


async def lock_channels(session: AsyncSession, channel_ids: Iterable[int | None]) -> None:
    ids = sorted({channel_id for channel_id in channel_ids if channel_id is not None})
    if ids:
        await session.execute(sa.select(VideoChannel.id).where(VideoChannel.id.in_(ids))
                              .order_by(VideoChannel.id).with_for_update())


async def _owned_channel(session: AsyncSession, channel_id: int, owner_account_id: int) -> VideoChannel:
    """PeerTube's answers for a channel the playlist cannot go to."""
    channel = (await session.execute(sa.select(VideoChannel).where(VideoChannel.id == channel_id))).scalar_one_or_none()
    if channel is None:
        raise invalid_param("videoChannelId", channel_id, 'Unknown video "video channel" on this instance.')
    if channel.account_id != owner_account_id:
        raise invalid_param("videoChannelId", channel_id, 'Unknown video "video channel" for this account.')
    return channel


async def _join_channel(session: AsyncSession, playlist: VideoPlaylist, channel_id: int) -> None:
    playlist.video_channel_id = channel_id
    playlist.video_channel_position = await CHANNEL_POSITIONS.next_position(session, channel_id)


async def _leave_channel(session: AsyncSession, playlist: VideoPlaylist) -> None:
    channel_id, position = playlist.video_channel_id, playlist.video_channel_position
    playlist.video_channel_id, playlist.video_channel_position = None, None
    await session.flush()
    if channel_id is not None and position is not None:
        await CHANNEL_POSITIONS.close_gap(session, channel_id, position)


# -- create -------------------------------------------------------------------------------------------

async def create_playlist(session: AsyncSession, config: Config, user: User, attributes: PlaylistAttributes,
                          upload: Upload | None) -> VideoPlaylist:
    if attributes.displayName is None:
        raise invalid_param("displayName", None, "Should have a valid display name")
    privacy = attributes.privacy or VideoPlaylistPrivacy.PRIVATE
    account_id = user.account.id
    if attributes.videoChannelId is None and privacy in NEEDS_CHANNEL_AT_CREATION:
        raise bad_request('Cannot set "public" or "unlisted" a playlist that is not assigned to a channel.')
    changes = thumbnails.FileChanges()
    try:
        new_thumbnail = await thumbnails.render_upload(config, *upload, changes) if upload else None
        playlist_uuid = str(uuid.uuid4())
        playlist = VideoPlaylist(uuid=playlist_uuid, name=attributes.displayName, description=attributes.description,
                                 privacy=privacy, type=VideoPlaylistType.REGULAR,
                                 url=playlist_url(config.url, playlist_uuid), owner_account_id=account_id)
        if attributes.videoChannelId is not None:
            await _owned_channel(session, attributes.videoChannelId, account_id)
            await lock_channels(session, [attributes.videoChannelId])
            await _join_channel(session, playlist, attributes.videoChannelId)
        thumbnails.replace(config, playlist, new_thumbnail, False, changes)
        session.add(playlist)
        await send_playlist.playlist_changed(session, config, playlist, was_published=False)
        await session.commit()
    except BaseException:
        changes.discard()
        raise
    return playlist


# -- update -------------------------------------------------------------------------------------------

def ensure_editable(playlist: VideoPlaylist, user: User, ref: str) -> None:
    """Checked before the body is read (and again under the lock)."""
    ensure_can_manage(playlist, user, UserRight.REMOVE_ANY_VIDEO_PLAYLIST, ref)
    if playlist.type == VideoPlaylistType.WATCH_LATER:
        raise bad_request("Cannot update a watch later playlist.")


async def update_playlist(session: AsyncSession, config: Config, ref: str, user: User,
                          attributes: PlaylistAttributes, upload: Upload | None) -> None:
    if attributes.given("displayName") and attributes.displayName is None:
        raise invalid_param("displayName", None, "Should have a valid display name")
    changes = thumbnails.FileChanges()
    try:
        new_thumbnail = await thumbnails.render_upload(config, *upload, changes) if upload else None
        current = await get_playlist(session, ref)
        ensure_editable(current, user, ref)
        moving = attributes.given("videoChannelId") and attributes.videoChannelId != current.video_channel_id
        if moving and attributes.videoChannelId is not None:
            await _owned_channel(session, attributes.videoChannelId, current.owner_account_id)
        await lock_channels(session, [current.video_channel_id, attributes.videoChannelId if moving else None])
        playlist = await lock_playlist(session, current.id)
        was_published = is_published(playlist)
        channel_id = attributes.videoChannelId if moving else playlist.video_channel_id
        privacy = attributes.privacy or playlist.privacy
        if privacy == VideoPlaylistPrivacy.PUBLIC and channel_id is None:
            raise bad_request('Cannot set "public" a playlist that is not assigned to a channel.')
        if moving:
            await _leave_channel(session, playlist)
            if channel_id is not None:
                await _join_channel(session, playlist, channel_id)
        if attributes.displayName is not None:
            playlist.name = attributes.displayName
        if attributes.given("description"):
            playlist.description = attributes.description
        playlist.privacy = privacy
        if new_thumbnail is not None:
            thumbnails.replace(config, playlist, new_thumbnail, False, changes)
        playlist.updated_at = utcnow()
        await send_playlist.playlist_changed(session, config, playlist, was_published=was_published)
        await session.commit()
    except BaseException:
        changes.discard()
        raise
    changes.committed()


# -- delete -------------------------------------------------------------------------------------------

async def delete_playlist(session: AsyncSession, config: Config, ref: str, user: User) -> None:
    current = await get_playlist(session, ref)
    ensure_can_manage(current, user, UserRight.REMOVE_ANY_VIDEO_PLAYLIST, ref)
    if current.type == VideoPlaylistType.WATCH_LATER:
        raise bad_request("Cannot delete a watch later playlist.")
    await lock_channels(session, [current.video_channel_id])
    playlist = await lock_playlist(session, current.id)
    if is_published(playlist):
        await send_playlist.send_delete_playlist(session, playlist)
    await _leave_channel(session, playlist)
    thumbnail = playlist.thumbnail_filename
    await session.execute(sa.delete(VideoPlaylist).where(VideoPlaylist.id == playlist.id))
    await session.commit()
    if thumbnail:
        thumbnails.FileChanges(obsolete=[layout.thumbnail_path(config, thumbnail)]).committed()


# -- channels -------------------------------------------------------------------------------------------

async def detach_channel_playlists(session: AsyncSession, channel_id: int) -> None:
    """Before a channel is deleted: its playlists stay with their owner, private and in no channel
    (PeerTube's rule). Runs in the caller's transaction."""
    await session.execute(sa.update(VideoPlaylist).where(VideoPlaylist.video_channel_id == channel_id).values(
        privacy=VideoPlaylistPrivacy.PRIVATE, video_channel_id=None, video_channel_position=None))


async def reorder_channel_playlists(session: AsyncSession, channel: VideoChannel, body: ReorderBody) -> None:
    """`POST /video-channels/{handle}/video-playlists/reorder` (the caller may manage the channel)."""
    await lock_channels(session, [channel.id])
    order = await CHANNEL_POSITIONS.ordered_ids(session, channel.id)
    check_reorder(body, len(order), "channel")
    new_order = moved_block(order, body.startPosition, body.insertAfterPosition, body.reorderLength or 1)
    await CHANNEL_POSITIONS.assign(session, channel.id, new_order, order)
    await session.commit()


def check_reorder(body: ReorderBody, total: int, scope: str) -> None:
    """PeerTube's limits: positions within 1..n, the moved block inside the list."""
    if body.startPosition > total or body.insertAfterPosition > total:
        raise bad_request(f"Start position or insert after position exceed the {scope} limits (max: {total})")
    if body.reorderLength and body.reorderLength + body.startPosition > total + 1:
        raise bad_request(f"Reorder length with this start position exceeds the {scope} limits "
                          f"(max: {total + 1 - body.startPosition})")
