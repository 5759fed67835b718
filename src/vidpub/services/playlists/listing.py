"""Reading playlists: the lists (instance, account, channel), a playlist's elements as the caller may
see them, and which of some videos are in the caller's playlists. Each page is one id query, then a
fixed number of batch loads."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import (Account, User, Video, VideoPlaylist, VideoPlaylistElement,
                              VideoPlaylistPrivacy, VideoPrivacy)
from vidpub.schemas.playlists import (ElementType, PlaylistElementJson, VideoExistInPlaylist, VideoPlaylistJson,
                                      element_json, playlist_json)
from vidpub.services import blocklists
from vidpub.services.playlists.lookup import JSON_OPTIONS
from vidpub.services.users import contains_text
from vidpub.services.videos import lookup as video_lookup
from vidpub.services.videos.loading import load_videos, videos_json
from vidpub.services.videos.lookup import short_uuid

PLAYLIST_SORTS = {
    "name": sa.func.lower(VideoPlaylist.name), "displayName": sa.func.lower(VideoPlaylist.name),
    "createdAt": VideoPlaylist.created_at, "updatedAt": VideoPlaylist.updated_at,
    # PeerTube 8: the order the channel's owner chose
    "videoChannelPosition": VideoPlaylist.video_channel_position,
}
PROTECTED_PRIVACIES = (VideoPrivacy.PRIVATE, VideoPrivacy.INTERNAL, VideoPrivacy.PASSWORD_PROTECTED)


@dataclass
class PlaylistQuery:
    start: int
    count: int
    sort: str
    playlist_type: int | None = None
    account_id: int | None = None
    channel_id: int | None = None
    channel_ids: list[int] | None = None  # `channelNameOneOf`, resolved
    search: str | None = None
    include_all: bool = False  # the owner's own list: private and unlisted playlists too


async def playlists_json(session: AsyncSession, config: Config,
                         playlists: Sequence[VideoPlaylist]) -> list[VideoPlaylistJson]:
    """JSON of rows loaded with `lookup.JSON_OPTIONS`, with their lengths counted in one query."""
    ids = [playlist.id for playlist in playlists]
    lengths: dict[int, int] = {}
    if ids:
        rows = await session.execute(sa.select(VideoPlaylistElement.video_playlist_id, sa.func.count())
                                     .where(VideoPlaylistElement.video_playlist_id.in_(ids))
                                     .group_by(VideoPlaylistElement.video_playlist_id))
        lengths = dict(rows.all())
    return [playlist_json(config, playlist, lengths.get(playlist.id, 0)) for playlist in playlists]


async def one_playlist_json(session: AsyncSession, config: Config, playlist: VideoPlaylist) -> VideoPlaylistJson:
    return (await playlists_json(session, config, [playlist]))[0]


async def list_playlists(session: AsyncSession, config: Config, query: PlaylistQuery,
                         user: User | None) -> tuple[int, list[VideoPlaylistJson]]:
    conditions = []
    if not query.include_all:
        conditions.append(VideoPlaylist.privacy == VideoPlaylistPrivacy.PUBLIC)
        conditions.append(blocklists.not_muted(VideoPlaylist.owner_account_id, user))
    if query.playlist_type is not None:
        conditions.append(VideoPlaylist.type == query.playlist_type)
    if query.account_id is not None:
        conditions.append(VideoPlaylist.owner_account_id == query.account_id)
    if query.channel_id is not None:
        conditions.append(VideoPlaylist.video_channel_id == query.channel_id)
    if query.channel_ids is not None:
        conditions.append(VideoPlaylist.video_channel_id.in_(query.channel_ids))
    if query.search:
        conditions.append(contains_text(VideoPlaylist.name, query.search))
    total = (await session.execute(sa.select(sa.func.count()).select_from(VideoPlaylist).where(*conditions))
             ).scalar_one()
    column = PLAYLIST_SORTS[query.sort.lstrip("-")]
    order = column.desc() if query.sort.startswith("-") else column.asc()
    ids = list((await session.execute(sa.select(VideoPlaylist.id).where(*conditions)
                                      .order_by(order, VideoPlaylist.id).offset(query.start).limit(query.count))
                ).scalars())
    if not ids:
        return total, []
    rows = (await session.execute(sa.select(VideoPlaylist).options(*JSON_OPTIONS).where(VideoPlaylist.id.in_(ids)))
            ).unique().scalars().all()
    by_id = {row.id: row for row in rows}
    return total, await playlists_json(session, config, [by_id[i] for i in ids if i in by_id])


# -- elements -----------------------------------------------------------------------------------------

def element_type(video: Video | None, user: User | None, muted_accounts: set[int]) -> int:
    """PeerTube's rules: the caller's own videos always show; others' private, internal (to anonymous
    callers) and password-protected ones show as "private"; unpublished ones and those of muted
    accounts as "unavailable"; a deleted video leaves a "deleted" element."""
    if video is None:
        return ElementType.DELETED
    if user is not None and video.channel.account_id == user.account.id:
        return ElementType.REGULAR
    if video.privacy in PROTECTED_PRIVACIES and not (video.privacy == VideoPrivacy.INTERNAL and user is not None):
        return ElementType.PRIVATE
    if video.is_local and not video_lookup.is_listed_state(video):
        return ElementType.UNAVAILABLE
    if video.channel.account_id in muted_accounts:
        return ElementType.UNAVAILABLE
    return ElementType.REGULAR


async def _muted_among(session: AsyncSession, user: User | None, account_ids: set[int]) -> set[int]:
    if not account_ids:
        return set()
    rows = await session.execute(sa.select(Account.id).where(
        Account.id.in_(account_ids), Account.id.in_(blocklists.muted_account_ids_subquery(user))))
    return set(rows.scalars())


async def list_elements(session: AsyncSession, config: Config, playlist: VideoPlaylist, user: User | None,
                        start: int, count: int) -> tuple[int, list[PlaylistElementJson]]:
    total = (await session.execute(sa.select(sa.func.count()).select_from(VideoPlaylistElement).where(
        VideoPlaylistElement.video_playlist_id == playlist.id))).scalar_one()
    elements = (await session.execute(sa.select(VideoPlaylistElement).where(
        VideoPlaylistElement.video_playlist_id == playlist.id).order_by(VideoPlaylistElement.position)
        .offset(start).limit(count))).scalars().all()
    videos = {video.id: video for video in await load_videos(
        session, [element.video_id for element in elements if element.video_id is not None])}
    muted = await _muted_among(session, user, {video.channel.account_id for video in videos.values()})
    types = {element.id: element_type(videos.get(element.video_id), user, muted) for element in elements}
    visible = [videos[element.video_id] for element in elements if types[element.id] == ElementType.REGULAR]
    video_items = {item.id: item for item in await videos_json(session, config, list(dict.fromkeys(visible)), user)}
    return total, [element_json(element, types[element.id],
                                video_items.get(element.video_id) if types[element.id] == ElementType.REGULAR
                                else None)
                   for element in elements]


# -- the caller's playlists holding some videos ------------------------------------------------------------

async def videos_exist(session: AsyncSession, user: User,
                       video_ids: list[int]) -> dict[str, list[VideoExistInPlaylist]]:
    """For each video id, the elements of the caller's playlists holding it (an empty list when none)."""
    found: dict[str, list[VideoExistInPlaylist]] = defaultdict(list)
    rows = await session.execute(
        sa.select(VideoPlaylistElement.id, VideoPlaylistElement.video_id, VideoPlaylistElement.start_timestamp,
                  VideoPlaylistElement.stop_timestamp, VideoPlaylist.id, VideoPlaylist.name, VideoPlaylist.uuid)
        .join(VideoPlaylist, VideoPlaylist.id == VideoPlaylistElement.video_playlist_id)
        .where(VideoPlaylist.owner_account_id == user.account.id, VideoPlaylistElement.video_id.in_(video_ids))
        .order_by(VideoPlaylist.id, VideoPlaylistElement.position))
    for element_id, video_id, start, stop, playlist_id, name, playlist_uuid in rows:
        found[str(video_id)].append(VideoExistInPlaylist(
            playlistElementId=element_id, playlistId=playlist_id, startTimestamp=start, stopTimestamp=stop,
            playlistDisplayName=name, playlistShortUUID=short_uuid(playlist_uuid)))
    return {str(video_id): found.get(str(video_id), []) for video_id in video_ids}
