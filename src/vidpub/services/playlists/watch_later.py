"""The "Watch later" playlist every local user has (PeerTube's special playlist, type 2): private,
in no channel, neither renamed nor deleted."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import VideoPlaylist, VideoPlaylistPrivacy, VideoPlaylistType

WATCH_LATER_NAME = "Watch later"


def playlist_url(base_url: str, playlist_uuid: str) -> str:
    """A local playlist's ActivityPub id (peertube-internals §5.1)."""
    return f"{base_url}/video-playlists/{playlist_uuid}"


def build_watch_later(base_url: str, account_id: int) -> VideoPlaylist:
    playlist_uuid = str(uuid.uuid4())
    return VideoPlaylist(uuid=playlist_uuid, name=WATCH_LATER_NAME, privacy=VideoPlaylistPrivacy.PRIVATE,
                         type=VideoPlaylistType.WATCH_LATER, url=playlist_url(base_url, playlist_uuid),
                         owner_account_id=account_id)


async def special_playlists(session: AsyncSession, account_id: int) -> list[tuple[int, str, int]]:
    """(id, name, type) of the account's special playlists, for `/users/me`'s `specialPlaylists`."""
    rows = await session.execute(sa.select(VideoPlaylist.id, VideoPlaylist.name, VideoPlaylist.type).where(
        VideoPlaylist.owner_account_id == account_id, VideoPlaylist.type == VideoPlaylistType.WATCH_LATER)
        .order_by(VideoPlaylist.id))
    return [tuple(row) for row in rows]
