"""Video redundancy (peertube-internals §8.2): the rows of the HLS copies we hold of remote videos
and of the copies other instances hold of ours, what the admin API lists and changes, and the
removal and extension of our copies (each told to the peers with its CacheFile activity).

Downloading a copy and the strategies' periodic check are in `services/redundancy_copies.py`.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (
    Actor,
    Server,
    Video,
    VideoChannel,
    VideoFile,
    VideoRedundancy,
    VideoStreamingPlaylist,
)
from vidpub.errors import bad_request, conflict, not_found
from vidpub.federation.outbox.send_cache_file import send_undo_cache_file, send_update_cache_file
from vidpub.federation.remote_actors import server_actor
from vidpub.jobs.queue import enqueue
from vidpub.services.videos.lookup import with_owner
from vidpub.storage import layout

REDUNDANCY_JOB = "video-redundancy"  # PeerTube's job type: make one copy ({videoId, strategy?})
MANUAL = "manual"
SORT_COLUMNS = frozenset({"name"})


# -- reading ---------------------------------------------------------------------------------------------

async def playlist_size(session: AsyncSession, playlist_id: int) -> int:
    # int(): PostgreSQL sums bigints as numeric
    return int((await session.execute(sa.select(sa.func.coalesce(sa.func.sum(VideoFile.size), 0))
                                      .where(VideoFile.video_streaming_playlist_id == playlist_id))).scalar_one())


async def our_copy_of(session: AsyncSession, playlist_id: int) -> VideoRedundancy | None:
    instance = await server_actor(session)
    return (await session.execute(sa.select(VideoRedundancy).where(
        VideoRedundancy.video_streaming_playlist_id == playlist_id, VideoRedundancy.actor_id == instance.id))
    ).scalar_one_or_none()


@dataclass
class RedundantVideo:
    video: Video
    redundancies: list[tuple[VideoRedundancy, int]]  # with the playlist's size


async def list_redundancies(session: AsyncSession, *, target: str, start: int, count: int,
                            sort: str) -> tuple[int, list[RedundantVideo]]:
    """`my-videos`: our videos and the copies other instances hold; `remote-videos`: remote videos
    and our copies of them."""
    instance = await server_actor(session)
    holder = (VideoRedundancy.actor_id != instance.id if target == "my-videos"
              else VideoRedundancy.actor_id == instance.id)
    condition = sa.and_(Video.remote.is_(target != "my-videos"), holder)
    video_ids = (sa.select(Video.id).join(VideoStreamingPlaylist, VideoStreamingPlaylist.video_id == Video.id)
                 .join(VideoRedundancy, VideoRedundancy.video_streaming_playlist_id == VideoStreamingPlaylist.id)
                 .where(condition).distinct())
    total = (await session.execute(sa.select(sa.func.count()).select_from(video_ids.subquery()))).scalar_one()
    order = Video.name.desc() if sort.startswith("-") else Video.name.asc()
    ids = list((await session.execute(sa.select(Video.id).where(Video.id.in_(video_ids))
                                      .order_by(order, Video.id).offset(start).limit(count))).scalars())
    if not ids:
        return total, []
    videos = {video.id: video for video in (await session.execute(sa.select(Video).where(Video.id.in_(ids)))).scalars()}
    sizes = sa.select(VideoFile.video_streaming_playlist_id, sa.func.sum(VideoFile.size).label("size")) \
        .group_by(VideoFile.video_streaming_playlist_id).subquery()
    rows = await session.execute(
        sa.select(VideoRedundancy, VideoStreamingPlaylist.video_id, sa.func.coalesce(sizes.c.size, 0))
        .join(VideoStreamingPlaylist, VideoStreamingPlaylist.id == VideoRedundancy.video_streaming_playlist_id)
        .outerjoin(sizes, sizes.c.video_streaming_playlist_id == VideoStreamingPlaylist.id)
        .where(VideoStreamingPlaylist.video_id.in_(ids), holder)
        .order_by(VideoRedundancy.id))
    by_video: dict[int, list[tuple[VideoRedundancy, int]]] = {video_id: [] for video_id in ids}
    for redundancy, video_id, size in rows:
        by_video[video_id].append((redundancy, int(size)))
    return total, [RedundantVideo(videos[video_id], by_video[video_id]) for video_id in ids]


# -- instance policy ---------------------------------------------------------------------------------------

async def set_server_redundancy(session: AsyncSession, config: Config, host: str, allowed: bool) -> list[str]:
    """PUT /server/redundancy/{host}. Disallowing removes our copies of that server's videos; the
    directories to delete after the commit are returned."""
    server = (await session.execute(sa.select(Server).where(Server.host == host.lower()))).scalar_one_or_none()
    if server is None:
        raise not_found(f"Server {host} not found")
    server.redundancy_allowed = allowed
    if allowed:
        return []
    instance = await server_actor(session)
    copies = (await session.execute(
        sa.select(VideoRedundancy)
        .join(VideoStreamingPlaylist, VideoStreamingPlaylist.id == VideoRedundancy.video_streaming_playlist_id)
        .join(Video, Video.id == VideoStreamingPlaylist.video_id)
        .join(VideoChannel, VideoChannel.id == Video.channel_id)
        .join(Actor, Actor.id == VideoChannel.actor_id)
        .where(VideoRedundancy.actor_id == instance.id, Actor.server_id == server.id))).scalars().all()
    return [await remove_copy(session, config, copy) for copy in copies]


# -- manual copies -----------------------------------------------------------------------------------------

async def request_manual_copy(session: AsyncSession, video_condition) -> None:
    """POST /server/redundancy/videos (the video named by a `lookup.ref_condition`): checks, then the
    copy is made by a `video-redundancy` job."""
    video = (await session.execute(sa.select(Video).where(video_condition))).scalar_one_or_none()
    if video is None:
        raise not_found("Video not found")
    if not video.remote:
        raise bad_request("Cannot create a redundancy on a local video")
    playlist = (await session.execute(sa.select(VideoStreamingPlaylist).where(
        VideoStreamingPlaylist.video_id == video.id))).scalar_one_or_none()
    if playlist is None:
        raise not_found("This video has no HLS playlist to duplicate")
    if await our_copy_of(session, playlist.id) is not None:
        raise conflict("This video is already duplicated by your instance.")
    enqueue(session, REDUNDANCY_JOB, {"videoId": video.id})


async def find_our_copy(session: AsyncSession, redundancy_id: int) -> VideoRedundancy:
    instance = await server_actor(session)
    redundancy = await session.get(VideoRedundancy, redundancy_id)
    if redundancy is None or redundancy.actor_id != instance.id:
        raise not_found("Video redundancy not found")
    return redundancy


# -- removal and extension of our copies ----------------------------------------------------------------------

async def _video_of(session: AsyncSession, redundancy: VideoRedundancy) -> Video:
    return (await session.execute(
        sa.select(Video).options(with_owner())
        .join(VideoStreamingPlaylist, VideoStreamingPlaylist.video_id == Video.id)
        .where(VideoStreamingPlaylist.id == redundancy.video_streaming_playlist_id))).unique().scalar_one()


async def remove_copy(session: AsyncSession, config: Config, redundancy: VideoRedundancy) -> str:
    """Undo our CacheFile and drop the row; returns the directory to delete once committed."""
    video = await _video_of(session, redundancy)
    await send_undo_cache_file(session, redundancy, video)
    await session.delete(redundancy)
    return str(layout.redundancy_hls_dir(config, video.uuid))


def remove_directories(directories: list[str]) -> None:
    for directory in directories:
        shutil.rmtree(directory, ignore_errors=True)


async def extend_copy(session: AsyncSession, redundancy: VideoRedundancy, lifetime: timedelta,
                      now: datetime | None = None) -> None:
    """Keep an expired copy `lifetime` longer, and say so with an Update of its CacheFile."""
    now = now or utcnow()
    redundancy.expires_on = now + lifetime
    redundancy.updated_at = now
    await send_update_cache_file(session, redundancy, await _video_of(session, redundancy), now)
