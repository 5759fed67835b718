"""Reading a video's discussion: the page of threads and one thread as a tree."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from vidpub.config import Config
from vidpub.db.models import CommentsPolicy, User, Video, VideoComment
from vidpub.errors import ProblemError, not_found
from vidpub.schemas.comments import (ReplyCounts, VideoCommentThreads, VideoCommentThreadTree, comment_json)
from vidpub.services.comments.loading import COMMENT_OPTIONS, PageRequest, find_comment_of_video, load_comments
from vidpub.services.comments.visibility import CommentViewer, viewer_of, visible_to
from vidpub.services.videos.lookup import ensure_can_see, get_video

THREAD_SORTS = frozenset({"createdAt", "totalReplies"})


async def visible_video(session: AsyncSession, ref: str, user: User | None, password: str | None) -> Video:
    video = await get_video(session, ref)
    await ensure_can_see(session, video, user, password)
    return video


def _reply_count(video: Video, viewer: CommentViewer):
    """Per thread (correlated with `VideoComment`): its replies still standing that the viewer sees."""
    replies = aliased(VideoComment)
    return (sa.select(sa.func.count(replies.id))
            .where(replies.video_id == video.id, replies.origin_comment_id == VideoComment.id,
                   replies.deleted_at.is_(None), visible_to(replies, viewer))
            .scalar_subquery())


async def _count(session: AsyncSession, *where) -> int:
    return (await session.execute(sa.select(sa.func.count(VideoComment.id)).where(*where))).scalar_one()


async def list_threads(session: AsyncSession, config: Config, ref: str, user: User | None, page: PageRequest,
                       password: str | None) -> VideoCommentThreads:
    """`GET /videos/{id}/comment-threads`: the threads the caller sees, with their reply counters;
    `totalNotDeletedComments` counts every visible comment (threads and replies). A video whose
    comments are disabled answers an empty list, as PeerTube."""
    video = await visible_video(session, ref, user, password)
    if video.comments_policy == CommentsPolicy.DISABLED:
        return VideoCommentThreads(total=0, data=[], totalNotDeletedComments=0)
    viewer = viewer_of(video, user)
    of_video = (VideoComment.video_id == video.id, visible_to(VideoComment, viewer))
    is_thread = VideoComment.in_reply_to_comment_id.is_(None)
    reply_count = _reply_count(video, viewer)
    key = reply_count if page.sort.lstrip("-") == "totalReplies" else VideoComment.created_at
    descending = page.sort.startswith("-")
    order = (key.desc(), VideoComment.id.desc()) if descending else (key.asc(), VideoComment.id.asc())
    rows = (await session.execute(
        sa.select(VideoComment.id, reply_count).where(*of_video, is_thread)
        .order_by(*order).offset(page.start).limit(page.count))).all()
    counts = {thread_id: ReplyCounts(total=total) for thread_id, total in rows}
    if counts:
        from_author = await session.execute(
            sa.select(VideoComment.origin_comment_id, sa.func.count(VideoComment.id))
            .where(VideoComment.video_id == video.id, VideoComment.origin_comment_id.in_(list(counts)),
                   VideoComment.account_id == viewer.owner_account_id)
            .group_by(VideoComment.origin_comment_id))
        for thread_id, total in from_author:
            counts[thread_id].from_video_author = total
    threads = await load_comments(session, [thread_id for thread_id, _ in rows])
    return VideoCommentThreads(
        total=await _count(session, *of_video, is_thread),
        data=[comment_json(thread, config.url, config.host, counts[thread.id]) for thread in threads],
        totalNotDeletedComments=await _count(session, *of_video, VideoComment.deleted_at.is_(None)))


async def thread_tree(session: AsyncSession, config: Config, ref: str, thread_id: int, user: User | None,
                      password: str | None) -> VideoCommentThreadTree:
    """`GET /videos/{id}/comment-threads/{threadId}`: the thread's first comment and its replies
    as a tree, oldest first. A reply whose parent the viewer cannot see is left out with its
    own replies."""
    video = await visible_video(session, ref, user, password)
    root = await find_comment_of_video(session, video, thread_id, "Video comment thread not found")
    if root.in_reply_to_comment_id is not None:
        raise ProblemError(400, "Video comment is not a thread.")
    viewer = viewer_of(video, user)
    rows = []
    if video.comments_policy != CommentsPolicy.DISABLED:
        rows = (await session.execute(
            sa.select(VideoComment).options(*COMMENT_OPTIONS)
            .where(VideoComment.video_id == video.id, visible_to(VideoComment, viewer),
                   sa.or_(VideoComment.id == root.id, VideoComment.origin_comment_id == root.id))
            .order_by(VideoComment.created_at, VideoComment.id))).scalars().all()
    if not rows or rows[0].id != root.id:
        raise not_found("No comments were found")
    return _build_tree(config, rows, viewer.owner_account_id)


def _build_tree(config: Config, rows: list[VideoComment], owner_account_id: int) -> VideoCommentThreadTree:
    counts = {row.id: ReplyCounts() for row in rows}
    root = rows[0]
    for row in rows[1:]:
        # the thread's first comment counts every reply of the thread; a reply, its direct answers
        for parent_id in {root.id, row.in_reply_to_comment_id}:
            if parent_id in counts:
                counts[parent_id].total += row.deleted_at is None
                counts[parent_id].from_video_author += row.account_id == owner_account_id
    nodes: dict[int, VideoCommentThreadTree] = {}
    for row in rows:
        node = VideoCommentThreadTree(comment=comment_json(row, config.url, config.host, counts[row.id]), children=[])
        if row.id == root.id:
            nodes[row.id] = node
        elif row.in_reply_to_comment_id in nodes:
            nodes[row.in_reply_to_comment_id].children.append(node)
            nodes[row.id] = node
    return nodes[root.id]

