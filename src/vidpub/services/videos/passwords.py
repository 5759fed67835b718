"""Passwords of password-protected videos, managed by the video's owner or a moderator."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import User, Video, VideoPassword, VideoPrivacy
from vidpub.errors import ProblemError, bad_request, not_found
from vidpub.services.videos.lookup import ensure_can_manage, get_video

PASSWORD_SORTS = frozenset({"id", "createdAt", "updatedAt"})
_SORT_COLUMNS = {"id": VideoPassword.id, "createdAt": VideoPassword.created_at,
                 "updatedAt": VideoPassword.updated_at}


async def _protected_video(session: AsyncSession, ref: str, user: User, *, lock: bool = False) -> Video:
    video = await get_video(session, ref)
    ensure_can_manage(video, user)
    if video.privacy != VideoPrivacy.PASSWORD_PROTECTED:
        raise bad_request("Video is not password protected")
    if lock:
        # changes of one video's passwords run one at a time: "never the last one" holds under concurrency
        await session.execute(sa.select(Video.id).where(Video.id == video.id).with_for_update())
    return video


async def list_passwords(session: AsyncSession, ref: str, user: User, start: int, count: int,
                         sort: str) -> tuple[int, list[VideoPassword]]:
    video = await _protected_video(session, ref, user)
    column = _SORT_COLUMNS[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    where = VideoPassword.video_id == video.id
    total = (await session.execute(
        sa.select(sa.func.count()).select_from(VideoPassword).where(where))).scalar_one()
    rows = (await session.execute(sa.select(VideoPassword).where(where).order_by(order, VideoPassword.id)
                                  .offset(start).limit(count))).scalars().all()
    return total, list(rows)


async def replace_passwords(session: AsyncSession, ref: str, user: User, passwords: list[str]) -> None:
    """The video's passwords become exactly `passwords` (validated non-empty and unique)."""
    video = await _protected_video(session, ref, user, lock=True)
    await session.execute(sa.delete(VideoPassword).where(VideoPassword.video_id == video.id))
    session.add_all(VideoPassword(video_id=video.id, password=password) for password in passwords)
    await session.commit()


async def delete_password(session: AsyncSession, ref: str, user: User, password_id: int) -> None:
    video = await _protected_video(session, ref, user, lock=True)
    password = (await session.execute(sa.select(VideoPassword).where(
        VideoPassword.id == password_id, VideoPassword.video_id == video.id))).scalar_one_or_none()
    if password is None:
        raise not_found("Video password not found")
    remaining = (await session.execute(sa.select(sa.func.count()).select_from(VideoPassword).where(
        VideoPassword.video_id == video.id))).scalar_one()
    if remaining <= 1:
        raise ProblemError(403, "Cannot delete the last password of the protected video")
    await session.delete(password)
    await session.commit()
