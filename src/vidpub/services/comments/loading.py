"""Finding comments and loading them ready for JSON (a fixed number of queries per page)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.db.models import Video, VideoChannel, VideoComment
from vidpub.errors import ProblemError, not_found

# the author (account, actor, server and avatars) of each comment
COMMENT_OPTIONS = (selectinload(VideoComment.account),)
# ... and the video with its channel, for the moderation lists
ADMIN_COMMENT_OPTIONS = (selectinload(VideoComment.account),
                         selectinload(VideoComment.video).joinedload(Video.channel).joinedload(VideoChannel.actor))

COMMENT_NOT_ASSOCIATED = "comment_not_associated_to_video"


class PageRequest(Protocol):
    """`start`/`count`/`sort` of a list, as the API's pagination parses them."""
    start: int
    count: int
    sort: str


async def load_comments(session: AsyncSession, ids: Sequence[int], options: Sequence = COMMENT_OPTIONS
                        ) -> list[VideoComment]:
    """The rows of `ids`, in that order."""
    if not ids:
        return []
    rows = (await session.execute(sa.select(VideoComment).options(*options)
                                  .where(VideoComment.id.in_(ids)))).unique().scalars().all()
    by_id = {comment.id: comment for comment in rows}
    return [by_id[comment_id] for comment_id in ids if comment_id in by_id]


async def load_comment(session: AsyncSession, comment_id: int) -> VideoComment:
    """One comment with its author, fresh from the database (after a write)."""
    comment = (await session.execute(sa.select(VideoComment).options(*COMMENT_OPTIONS)
                                     .where(VideoComment.id == comment_id)
                                     .execution_options(populate_existing=True))).scalar_one()
    return comment


async def find_comment_of_video(session: AsyncSession, video: Video, comment_id: int,
                                missing: str = "Video comment not found") -> VideoComment:
    """The comment `comment_id`, which must belong to `video` (PeerTube: 404 if unknown, 400 if it
    is about another video)."""
    comment = await session.get(VideoComment, comment_id)
    if comment is None:
        raise not_found(missing)
    if comment.video_id != video.id:
        raise ProblemError(400, "Video comment is not associated to this video.", COMMENT_NOT_ASSOCIATED)
    return comment
