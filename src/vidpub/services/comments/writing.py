"""Writing comments: a new thread or a reply (under the video's comments policy), deletion as a
tombstone, and the approval of a comment held for review. Each keeps the video's `comments`
counter right in the same transaction."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import CommentsPolicy, User, Video, VideoComment
from vidpub.errors import ProblemError, conflict, forbidden, not_found
from vidpub.federation.outbox import send_comment
from vidpub.schemas.comments import VideoCommentJson, comment_json
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.comments import mentions, notices
from vidpub.services.comments.loading import find_comment_of_video, load_comment
from vidpub.services.comments.threads import visible_video
from vidpub.services.comments.visibility import can_see_comment, viewer_of
from vidpub.services.videos.lookup import get_video, is_owner


def comment_url(config: Config, video: Video, comment_id: int) -> str:
    """The ActivityPub id of a local comment."""
    return f"{config.url}/videos/watch/{video.uuid}/comments/{comment_id}"


def is_held_at_creation(video: Video, user: User) -> bool:
    """Under "requires approval", everyone's comments wait for review but the video owner's and
    moderators'."""
    if video.comments_policy != CommentsPolicy.REQUIRES_APPROVAL:
        return False
    return not (is_owner(video, user) or has_right(user.role, UserRight.MANAGE_ANY_VIDEO_COMMENT))


async def lock_video(session: AsyncSession, video_id: int) -> None:
    """One comment write per video at a time, taken before anything is written: the count of
    `recount_comments` (a statement of its own, hence a fresh snapshot on PostgreSQL) then sees
    the comments of the writer before. (Taken after an insert, it would deadlock with the key-share
    lock that the new comment's foreign key holds on the video.)"""
    await session.execute(sa.select(Video.id).where(Video.id == video_id).with_for_update())


async def recount_comments(session: AsyncSession, video_id: int) -> None:
    """`video.comments`: the comments still standing and not waiting for review (after `lock_video`)."""
    standing = (sa.select(sa.func.count(VideoComment.id))
                .where(VideoComment.video_id == video_id, VideoComment.deleted_at.is_(None),
                       VideoComment.held_for_review.is_(False))
                .scalar_subquery())
    await session.execute(sa.update(Video).where(Video.id == video_id).values(comments=standing))


async def create_comment(session: AsyncSession, config: Config, ref: str, user: User, text: str,
                         password: str | None = None, reply_to: int | None = None) -> VideoCommentJson:
    """`POST /videos/{id}/comment-threads` (reply_to None) or `POST /videos/{id}/comments/{reply_to}`."""
    video = await visible_video(session, ref, user, password)
    if video.comments_policy == CommentsPolicy.DISABLED:
        raise conflict("Video comments are disabled for this video.")
    await lock_video(session, video.id)
    parent = None
    if reply_to is not None:
        parent = await find_comment_of_video(session, video, reply_to)
        if not can_see_comment(parent, viewer_of(video, user)):
            raise not_found("Video comment not found")
    comment = VideoComment(
        text=text, held_for_review=is_held_at_creation(video, user), video_id=video.id, account_id=user.account.id,
        origin_comment_id=parent.thread_id if parent is not None else None,
        in_reply_to_comment_id=parent.id if parent is not None else None,
        # the id is in the URL: a unique placeholder until the row has one
        url=f"{config.url}/videos/watch/{video.uuid}/comments/new-{uuid.uuid4()}")
    session.add(comment)
    await session.flush()
    comment.url = comment_url(config, video, comment.id)
    # the author answered hears of it as of a mention (PeerTube's client writes that mention itself)
    answered = [parent.account_id] if parent is not None and parent.account_id not in (None, user.account.id) else []
    await mentions.record_mentions(session, config, comment, also=answered)
    await recount_comments(session, video.id)
    await notices.comment_created(session, comment)
    await send_comment.send_create_comment(session, comment)
    await session.commit()
    return comment_json(await load_comment(session, comment.id), config.url, config.host)


def can_manage_comment(comment: VideoComment, video: Video, user: User) -> bool:
    """The comment's author, the video's owner, or a moderator of comments."""
    return (has_right(user.role, UserRight.MANAGE_ANY_VIDEO_COMMENT) or is_owner(video, user)
            or (comment.account_id is not None and comment.account_id == user.account.id))


async def delete_comment(session: AsyncSession, ref: str, comment_id: int, user: User) -> None:
    """`DELETE /videos/{id}/comments/{commentId}`: the comment becomes a tombstone (its replies,
    if any, stay in the thread under it)."""
    video = await get_video(session, ref)
    await lock_video(session, video.id)  # before reading the comment's state
    comment = await find_comment_of_video(session, video, comment_id)
    if comment.is_deleted:
        raise conflict("This comment is already deleted")
    if not can_manage_comment(comment, video, user):
        raise forbidden("Cannot remove video comment of another user")
    await send_comment.send_delete_comment(session, comment)
    await make_tombstone(session, comment)
    await session.commit()


async def make_tombstone(session: AsyncSession, comment: VideoComment) -> None:
    """Delete `comment` the PeerTube way (after `lock_video`): text and author go, the row stays for
    its replies and its ActivityPub id; the video's counter and the notifications follow."""
    comment.text = ""
    comment.account_id = None
    comment.deleted_at = utcnow()
    await mentions.forget_mentions(session, comment.id)
    await session.flush()
    await recount_comments(session, comment.video_id)
    await notices.comment_deleted(session, comment)


async def approve_comment(session: AsyncSession, ref: str, comment_id: int, user: User) -> None:
    """`POST /videos/{id}/comments/{commentId}/approve`: a held comment becomes public.

    PeerTube lets whoever may delete the comment approve it, its author included; here only the
    video's owner and comment moderators may, or holding comments for review would mean nothing."""
    video = await get_video(session, ref)
    await lock_video(session, video.id)  # before reading the comment's state
    comment = await find_comment_of_video(session, video, comment_id)
    if comment.is_deleted:
        raise conflict("This comment is deleted")
    if not comment.held_for_review:
        raise ProblemError(400, "This comment is not held for review")
    if not (is_owner(video, user) or has_right(user.role, UserRight.MANAGE_ANY_VIDEO_COMMENT)):
        raise forbidden("Cannot approve video comment of another user")
    comment.held_for_review = False
    await session.flush()
    await recount_comments(session, video.id)
    await notices.comment_approved(session, comment)
    if video.is_local:
        # a local author's comment leaves now; a remote author's server hears of the approval
        await send_comment.send_create_comment(session, comment)
        await send_comment.send_reply_approval(session, comment, approved=True)
    await session.commit()
