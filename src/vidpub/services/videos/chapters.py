"""Chapters of a video: `(timecode, title)` pairs, replaced as a whole."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import User, Video, VideoChapter
from vidpub.errors import bad_request, invalid_param
from vidpub.services.videos.lookup import ensure_can_manage, ensure_can_see, get_video


async def list_chapters(session: AsyncSession, ref: str, user: User | None,
                        video_password: str | None) -> list[VideoChapter]:
    video = await get_video(session, ref)
    await ensure_can_see(session, video, user, video_password)
    return await chapters_of(session, video.id)


async def chapters_of(session: AsyncSession, video_id: int) -> list[VideoChapter]:
    rows = await session.execute(sa.select(VideoChapter).where(VideoChapter.video_id == video_id)
                                 .order_by(VideoChapter.timecode))
    return list(rows.scalars())


async def replace_chapters(session: AsyncSession, ref: str, user: User,
                           chapters: Sequence[tuple[int, str]]) -> None:
    """`PUT /videos/{id}/chapters`: owner or moderator; timecodes unique (checked by the schema) and
    inside the video."""
    video = await get_video(session, ref)
    ensure_can_manage(video, user)
    if video.is_live:
        raise bad_request("You cannot add chapters to a live video")
    ensure_inside(video, [timecode for timecode, _ in chapters])
    await store_chapters(session, video.id, chapters)
    await session.commit()


def ensure_inside(video: Video, timecodes: Sequence[int]) -> None:
    """A duration of 0 is not known yet (an import in progress): it bounds nothing."""
    beyond = [timecode for timecode in timecodes if video.duration and timecode > video.duration]
    if beyond:
        raise invalid_param("chapters", beyond[0], "Chapter timecodes should be inside the video duration")


async def store_chapters(session: AsyncSession, video_id: int, chapters: Sequence[tuple[int, str]]) -> None:
    """Replace the chapters in the caller's transaction (also for chapters read from a description)."""
    await session.execute(sa.delete(VideoChapter).where(VideoChapter.video_id == video_id))
    session.add_all(VideoChapter(video_id=video_id, timecode=timecode, title=title)
                    for timecode, title in chapters)
