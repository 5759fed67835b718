"""Video quota (peertube-internals §3.4): what a user's videos occupy, and whether a new file fits.

A video counts for its largest file among web videos and HLS renditions (its top resolution, not the
sum of the ladder); lives do not count. The daily quota counts the videos created in the last 24 h.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.base import utcnow
from vidpub.db.models import Account, User, Video, VideoChannel, VideoFile, VideoStreamingPlaylist
from vidpub.errors import ProblemError

UNLIMITED = -1
DAILY_WINDOW = timedelta(hours=24)


def _user_videos(user_id: int, *, with_lives: bool = False):
    query = (sa.select(Video.id, Video.created_at)
             .join(VideoChannel, VideoChannel.id == Video.channel_id)
             .join(Account, Account.id == VideoChannel.account_id)
             .where(Account.user_id == user_id))
    return query if with_lives else query.where(Video.is_live.is_(False))


def _user_file_sizes(user_id: int):
    """(video id, created_at, size) of every web-video and HLS file of the user's non-live videos."""
    videos = _user_videos(user_id).subquery()
    web_videos = (sa.select(videos.c.id.label("video_id"), videos.c.created_at, VideoFile.size)
                  .join(VideoFile, VideoFile.video_id == videos.c.id))
    hls = (sa.select(videos.c.id.label("video_id"), videos.c.created_at, VideoFile.size)
           .join(VideoStreamingPlaylist, VideoStreamingPlaylist.video_id == videos.c.id)
           .join(VideoFile, VideoFile.video_streaming_playlist_id == VideoStreamingPlaylist.id))
    return sa.union_all(web_videos, hls).subquery()


async def quota_used(session: AsyncSession, user_id: int) -> tuple[int, int]:
    """(total, last 24 h) bytes counted against the user's quota."""
    files = _user_file_sizes(user_id)
    per_video = (sa.select(files.c.video_id, sa.func.max(files.c.created_at).label("created_at"),
                           sa.func.max(files.c.size).label("size"))
                 .group_by(files.c.video_id).subquery())
    since = utcnow() - DAILY_WINDOW
    daily = sa.case((per_video.c.created_at > sa.bindparam("since", since, type_=Video.created_at.type),
                     per_video.c.size), else_=0)
    row = (await session.execute(sa.select(sa.func.coalesce(sa.func.sum(per_video.c.size), 0),
                                           sa.func.coalesce(sa.func.sum(daily), 0)))).one()
    return int(row[0]), int(row[1])


async def total_file_size(session: AsyncSession, user_id: int) -> int:
    """Bytes of every file of the user's videos (all renditions): `totalVideoFileSize` of user stats."""
    files = _user_file_sizes(user_id)
    return int((await session.execute(sa.select(sa.func.coalesce(sa.func.sum(files.c.size), 0)))).scalar_one())


async def videos_count(session: AsyncSession, user_id: int) -> int:
    videos = _user_videos(user_id, with_lives=True).subquery()
    return int((await session.execute(sa.select(sa.func.count()).select_from(videos))).scalar_one())


def quota_reached() -> ProblemError:
    return ProblemError(413, "The user video quota is exceeded with this video.", "quota_reached")


def fits(quota: int, used: int, size: int) -> bool:
    """PeerTube's rule: the new total must stay strictly below the quota."""
    return quota == UNLIMITED or used + size < quota


async def ensure_quota(session: AsyncSession, user: User, size: int) -> None:
    """413 `quota_reached` unless a file of `size` bytes fits the user's total and daily quotas."""
    if user.video_quota == UNLIMITED and user.video_quota_daily == UNLIMITED:
        return
    used, used_daily = await quota_used(session, user.id)
    if not (fits(user.video_quota, used, size) and fits(user.video_quota_daily, used_daily, size)):
        raise quota_reached()


async def largest_fitting_size(session: AsyncSession, user: User) -> int | None:
    """The largest file that still fits the user's quotas; None when both are unlimited."""
    if user.video_quota == UNLIMITED and user.video_quota_daily == UNLIMITED:
        return None
    used, used_daily = await quota_used(session, user.id)
    room = [quota - spent - 1 for quota, spent in ((user.video_quota, used), (user.video_quota_daily, used_daily))
            if quota != UNLIMITED]
    return max(0, min(room))
