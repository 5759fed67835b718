"""A playlist's elements: adding a video, setting its start/stop timestamps, removing it, reordering.

Every change locks the playlist row first (see positions.py), so that positions stay 1..n whatever
runs at the same time, and touches the playlist's `updatedAt` as PeerTube does.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import User, Video, VideoPlaylist, VideoPlaylistElement, VideoPrivacy
from vidpub.errors import ProblemError, invalid_param, not_found
from vidpub.federation.ap.playlist import is_published
from vidpub.federation.outbox import send_playlist
from vidpub.schemas.playlists import ElementCreate, ElementUpdate, ReorderBody
from vidpub.services.auth.rights import UserRight
from vidpub.services.playlists import thumbnails
from vidpub.services.playlists.editing import check_reorder
from vidpub.services.playlists.lookup import ensure_can_manage, get_playlist, lock_playlist
from vidpub.services.playlists.positions import PositionedTable, moved_block
from vidpub.services.videos import lookup as video_lookup

ELEMENT_POSITIONS = PositionedTable(VideoPlaylistElement, "position", "video_playlist_id")


def element_url(playlist: VideoPlaylist, element_id: int) -> str:
    return f"{playlist.url}/videos/{element_id}"


async def _managed_playlist(session: AsyncSession, ref: str, user: User) -> VideoPlaylist:
    """The playlist, locked, once the caller is known to be allowed to change its elements."""
    playlist = await get_playlist(session, ref)
    ensure_can_manage(playlist, user, UserRight.UPDATE_ANY_VIDEO_PLAYLIST, ref)
    return await lock_playlist(session, playlist.id)


def _touch(playlist: VideoPlaylist) -> None:
    playlist.updated_at = utcnow()


async def _federate(session: AsyncSession, config: Config, playlist: VideoPlaylist) -> None:
    """Followers get the playlist again (an Update) when its elements change."""
    if is_published(playlist):
        await send_playlist.playlist_changed(session, config, playlist, was_published=True)


async def _video_to_add(session: AsyncSession, value: int | str, user: User) -> Video:
    """The video named by `videoId`. One the caller could not watch (someone else's private or
    unpublished video) is refused as it is by the video routes; password-protected and internal
    videos may be added (others then see a "private" element)."""
    ref = str(value)
    if video_lookup.ref_condition(ref) is None:
        raise invalid_param("videoId", value, "Should have a valid video id/uuid/short uuid")
    video = await video_lookup.get_video(session, ref)
    if video_lookup.can_manage(video, user, UserRight.SEE_ALL_VIDEOS):
        return video
    if video.privacy == VideoPrivacy.PRIVATE:
        raise ProblemError(403, "Cannot fetch information of private/internal/blocked video")
    if video.is_local and not video_lookup.is_listed_state(video):
        raise ProblemError(403, "Cannot get this video: it is not published yet")
    return video


async def add_element(session: AsyncSession, config: Config, ref: str, user: User,
                      body: ElementCreate) -> VideoPlaylistElement:
    playlist = await get_playlist(session, ref)
    ensure_can_manage(playlist, user, UserRight.UPDATE_ANY_VIDEO_PLAYLIST, ref)
    video = await _video_to_add(session, body.videoId, user)
    playlist = await lock_playlist(session, playlist.id)
    changes = thumbnails.FileChanges()
    try:
        element = VideoPlaylistElement(
            position=await ELEMENT_POSITIONS.next_position(session, playlist.id),
            start_timestamp=body.startTimestamp, stop_timestamp=body.stopTimestamp,
            video_playlist_id=playlist.id, video_id=video.id)
        session.add(element)
        await session.flush()
        if playlist.owner_account.actor.server_id is None:
            element.url = element_url(playlist, element.id)
        _touch(playlist)
        if not playlist.thumbnail_filename:
            await thumbnails.regenerate(session, config, playlist, changes)
        await _federate(session, config, playlist)
        await session.commit()
    except BaseException:
        changes.discard()
        raise
    return element


async def _element_of(session: AsyncSession, playlist: VideoPlaylist, element_id: int) -> VideoPlaylistElement:
    element = (await session.execute(sa.select(VideoPlaylistElement).where(
        VideoPlaylistElement.id == element_id, VideoPlaylistElement.video_playlist_id == playlist.id))
    ).scalar_one_or_none()
    if element is None:
        raise not_found("Video playlist element not found")
    return element


async def update_element(session: AsyncSession, config: Config, ref: str, element_id: int, user: User,
                         body: ElementUpdate) -> None:
    playlist = await _managed_playlist(session, ref, user)
    element = await _element_of(session, playlist, element_id)
    if body.given("startTimestamp"):
        element.start_timestamp = body.startTimestamp
    if body.given("stopTimestamp"):
        element.stop_timestamp = body.stopTimestamp
    _touch(playlist)
    await _federate(session, config, playlist)
    await session.commit()


async def _refresh_generated_thumbnail(session: AsyncSession, config: Config, playlist: VideoPlaylist,
                                       changes: thumbnails.FileChanges) -> None:
    """The first video may have changed: a miniature of ours (not an uploaded one) follows it."""
    if not playlist.thumbnail_filename or playlist.thumbnail_generated:
        await thumbnails.regenerate(session, config, playlist, changes)


async def remove_element(session: AsyncSession, config: Config, ref: str, element_id: int, user: User) -> None:
    playlist = await _managed_playlist(session, ref, user)
    element = await _element_of(session, playlist, element_id)
    changes = thumbnails.FileChanges()
    try:
        position = element.position
        await session.execute(sa.delete(VideoPlaylistElement).where(VideoPlaylistElement.id == element.id))
        await ELEMENT_POSITIONS.close_gap(session, playlist.id, position)
        _touch(playlist)
        await _refresh_generated_thumbnail(session, config, playlist, changes)
        await _federate(session, config, playlist)
        await session.commit()
    except BaseException:
        changes.discard()
        raise
    changes.committed()


async def reorder_elements(session: AsyncSession, config: Config, ref: str, user: User, body: ReorderBody) -> None:
    playlist = await _managed_playlist(session, ref, user)
    order = await ELEMENT_POSITIONS.ordered_ids(session, playlist.id)
    check_reorder(body, len(order), "playlist")
    new_order = moved_block(order, body.startPosition, body.insertAfterPosition, body.reorderLength or 1)
    if new_order == order:
        await session.commit()
        return
    changes = thumbnails.FileChanges()
    try:
        await ELEMENT_POSITIONS.assign(session, playlist.id, new_order, order)
        _touch(playlist)
        await _refresh_generated_thumbnail(session, config, playlist, changes)
        await _federate(session, config, playlist)
        await session.commit()
    except BaseException:
        changes.discard()
        raise
    changes.committed()
