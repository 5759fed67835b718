"""What comments tell other people, through the notifications service: the video's owner hears of
a new comment (even one held for review: they are the reviewer), the accounts it mentions — and
the author of the comment answered, recorded as a mention — when it is public."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import UserNotification, VideoComment
from vidpub.services import notifications


async def comment_created(session: AsyncSession, comment: VideoComment) -> None:
    notifications.notify(session, notifications.NEW_COMMENT, {"commentId": comment.id})


async def comment_approved(session: AsyncSession, comment: VideoComment) -> None:
    notifications.notify(session, notifications.COMMENT_APPROVED, {"commentId": comment.id})


async def comment_deleted(session: AsyncSession, comment: VideoComment) -> None:
    """A deleted comment has no author or text left to show: the notifications about it go."""
    await session.execute(sa.delete(UserNotification).where(UserNotification.comment_id == comment.id))
