"""A user's watch history (`UserVideoHistory`, written by the views service while
`videosHistoryEnabled` is on): the videos watched, latest first, and forgetting them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User, UserVideoHistory, Video
from vidpub.schemas.videos import VideoList
from vidpub.services.videos import loading, queries


async def list_watched(session: AsyncSession, config: Config, user: User, *, start: int, count: int,
                       search: str | None = None) -> VideoList:
    """The watched videos the user may still see in the lists (PeerTube lists the history through
    its video list: the same visibility, every NSFW video), most recently watched first."""
    filters = queries.VideoFilters(search=search or None)
    conditions = queries.list_conditions(config, filters, user)
    watched = (sa.select(Video.id)
               .join(UserVideoHistory, sa.and_(UserVideoHistory.video_id == Video.id,
                                               UserVideoHistory.user_id == user.id))
               .where(*conditions))
    total = (await session.execute(sa.select(sa.func.count()).select_from(watched.subquery()))).scalar_one()
    ids: list[int] = []
    if count and total > start:
        ids = list((await session.execute(
            watched.order_by(UserVideoHistory.updated_at.desc(), UserVideoHistory.id.desc())
            .offset(start).limit(count))).scalars())
    videos = await loading.load_videos(session, ids)
    return VideoList(total=total, data=await loading.videos_json(session, config, videos, user))


async def forget_video(session: AsyncSession, user: User, video_id: int) -> None:
    """Remove one video from the history (nothing happens for a video not in it, as in PeerTube)."""
    await session.execute(sa.delete(UserVideoHistory).where(
        UserVideoHistory.user_id == user.id, UserVideoHistory.video_id == video_id))
    await session.commit()


async def forget_before(session: AsyncSession, user: User, before: datetime | None) -> None:
    """Remove the history last updated before `before`, or all of it."""
    statement = sa.delete(UserVideoHistory).where(UserVideoHistory.user_id == user.id)
    if before is not None:
        statement = statement.where(UserVideoHistory.updated_at < before)
    await session.execute(statement)
    await session.commit()
