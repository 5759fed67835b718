"""Finding a playlist by id, UUID or short UUID, and deciding who may see or manage it."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from vidpub.db.models import User, VideoPlaylist, VideoPlaylistPrivacy
from vidpub.errors import ProblemError, not_found
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.videos.lookup import SHORT_LENGTH, uuid_from_short

_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)

# loader options for a playlist about to become JSON: its owner and channel (their actors come along)
JSON_OPTIONS = (joinedload(VideoPlaylist.owner_account), joinedload(VideoPlaylist.video_channel))


def ref_condition(ref: str):
    """The WHERE clause naming a playlist by integer id, UUID or short UUID; None if `ref` is none."""
    if ref.isdigit():
        number = int(ref)
        return VideoPlaylist.id == number if 0 < number < 2**31 else None
    if _UUID_RE.match(ref):
        return VideoPlaylist.uuid == ref.lower()
    if 1 <= len(ref) <= SHORT_LENGTH:
        uuid = uuid_from_short(ref)
        return VideoPlaylist.uuid == uuid if uuid else None
    return None


def named_by_uuid(ref: str) -> bool:
    return not ref.isdigit()


async def find_playlist(session: AsyncSession, ref: str, options: Sequence = JSON_OPTIONS, *,
                        for_update: bool = False) -> VideoPlaylist | None:
    condition = ref_condition(ref)
    if condition is None:
        return None
    query = sa.select(VideoPlaylist).options(*options).where(condition)
    if for_update:
        query = query.with_for_update(of=VideoPlaylist).execution_options(populate_existing=True)
    return (await session.execute(query)).unique().scalar_one_or_none()


async def get_playlist(session: AsyncSession, ref: str, options: Sequence = JSON_OPTIONS) -> VideoPlaylist:
    playlist = await find_playlist(session, ref, options)
    if playlist is None:
        raise not_found("Video playlist not found")
    return playlist


async def lock_playlist(session: AsyncSession, playlist_id: int) -> VideoPlaylist:
    """The playlist row, locked until the transaction ends (elements and positions change under it).
    On SQLite the write transaction already holds the database's lock."""
    playlist = await find_playlist(session, str(playlist_id), JSON_OPTIONS, for_update=True)
    if playlist is None:
        raise not_found("Video playlist not found")
    return playlist


def is_local(playlist: VideoPlaylist) -> bool:
    return playlist.owner_account.actor.server_id is None


def is_owner(playlist: VideoPlaylist, user: User | None) -> bool:
    return user is not None and playlist.owner_account_id == user.account.id


def can_see(playlist: VideoPlaylist, user: User | None, ref: str) -> bool:
    """PeerTube's rules: private playlists are their owner's (and admins'); unlisted ones are found by
    UUID or short UUID only, not by guessing integer ids."""
    if is_owner(playlist, user) or (user is not None and has_right(user.role, UserRight.UPDATE_ANY_VIDEO_PLAYLIST)):
        return True
    if playlist.privacy == VideoPlaylistPrivacy.PRIVATE:
        return False
    if playlist.privacy == VideoPlaylistPrivacy.UNLISTED:
        return named_by_uuid(ref)
    return True


async def get_visible_playlist(session: AsyncSession, ref: str, user: User | None) -> VideoPlaylist:
    """The playlist named `ref` if the caller may see it. A playlist hidden from the caller answers
    404 like a missing one (PeerTube answers 403 for a private playlist; the issue's rule is that it
    is invisible, which a 404 keeps so)."""
    playlist = await get_playlist(session, ref)
    if not can_see(playlist, user, ref):
        raise not_found("Video playlist not found")
    return playlist


def ensure_can_manage(playlist: VideoPlaylist, user: User, right: UserRight, ref: str | None = None) -> None:
    """The owner, or a user holding `right` (REMOVE_ANY_VIDEO_PLAYLIST to edit or delete the playlist,
    UPDATE_ANY_VIDEO_PLAYLIST to change its elements). Someone who may not even see the playlist is
    told it does not exist."""
    if not is_local(playlist):
        raise ProblemError(403, "Cannot manage video playlist of another server.")
    if is_owner(playlist, user) or has_right(user.role, right):
        return
    if not can_see(playlist, user, ref if ref is not None else playlist.uuid):
        raise not_found("Video playlist not found")
    raise ProblemError(403, "Cannot manage video playlist of another user")
