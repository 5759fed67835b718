"""Remote comments: a received `Note` stored as a comment row in its thread.

The thread is found by walking `inReplyTo`: a comment or video we know ends the walk; otherwise the
object is fetched from its origin — a `Video` is resolved (and stored) as a remote video, a `Note`
is stored in turn, then the walk goes on from its own `inReplyTo` (at most `MAX_THREAD_DEPTH` steps,
PeerTube's limit). Documents are trusted for their own host only: a fetched comment must live on the
host it came from, and its author too.

Comments on our videos follow the video's comments policy (refused when disabled, held for review
when approval is required); on a remote video the origin decides, so they are stored as they come.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import (Account, Actor, CommentsPolicy, Video, VideoChannel, VideoComment, VideoCommentMention,
                              VideoPrivacy)
from vidpub.federation import remote_actors, remote_videos
from vidpub.federation.ap.comment import NoteFields, note_from_ap
from vidpub.federation.ap.common import InvalidObject, host_of, same_host
from vidpub.federation.fetch import FetchError, fetch_json
from vidpub.services.comments import notices
from vidpub.services.comments.writing import lock_video, make_tombstone, recount_comments

log = logging.getLogger("vidpub.federation")

MAX_THREAD_DEPTH = 100
VIDEO_TYPES = frozenset({"Video"})
# privacies of our videos that other servers know of (and so may comment on)
FEDERATED_PRIVACIES = (VideoPrivacy.PUBLIC, VideoPrivacy.UNLISTED)


class CommentRefused(Exception):
    """The comment is not accepted (unknown thread, comments disabled, invalid ancestor...)."""


@dataclass
class StoredComment:
    comment: VideoComment
    video: Video
    created: bool


async def find_comment(session: AsyncSession, url: str) -> VideoComment | None:
    return (await session.execute(sa.select(VideoComment).where(VideoComment.url == url))).scalar_one_or_none()


async def _fetch(session: AsyncSession, config: Config, url: str) -> dict:
    if host_of(url) == config.host.lower():
        raise CommentRefused(f"{url} is no object of ours")
    signer = await remote_actors.server_actor(session)
    try:
        return await fetch_json(config, url, signer=signer)
    except FetchError as error:
        raise CommentRefused(f"cannot fetch {url}: {error}") from None


async def _thread_parent(session: AsyncSession, config: Config, url: str, depth: int
                         ) -> tuple[Video, VideoComment | None]:
    """The video and the comment (None for a thread's first comment) that `url` names."""
    parent = await find_comment(session, url)
    if parent is not None:
        return await session.get(Video, parent.video_id), parent
    video = await remote_videos.find_by_url(session, url)
    if video is not None:
        return video, None
    if depth >= MAX_THREAD_DEPTH:
        raise CommentRefused("the thread is too deep")
    document = await _fetch(session, config, url)
    if document.get("type") in VIDEO_TYPES:
        try:
            return await remote_videos.video_from_url(session, config, url), None
        except Exception as error:  # whatever stopped the video from being stored, the comment waits for it
            raise CommentRefused(f"cannot resolve the video {url}: {error}") from None
    try:
        fields = note_from_ap(document)
    except InvalidObject as error:
        raise CommentRefused(f"{url}: {error}") from None
    if fields.deleted or not same_host(fields.id, url):
        raise CommentRefused(f"{url} is no comment we can thread under")
    stored = await store_comment(session, config, fields, depth=depth + 1)
    return stored.video, stored.comment


async def _author_account(session: AsyncSession, config: Config, fields: NoteFields) -> Account:
    if not same_host(fields.attributed_to, fields.id):
        raise CommentRefused("a comment's author lives on the comment's server")
    try:
        actor = await remote_actors.actor_from_url(session, config, fields.attributed_to)
    except remote_actors.ActorError as error:
        raise CommentRefused(f"author: {error}") from None
    account = (await session.execute(sa.select(Account).where(Account.actor_id == actor.id))).scalar_one_or_none()
    if account is None:
        raise CommentRefused("a comment's author must be an account")
    return account


async def _mentioned_accounts(session: AsyncSession, actor_urls: list[str]) -> list[int]:
    """Accounts we already know among the `Mention` tags (nobody is fetched for a mention)."""
    if not actor_urls:
        return []
    rows = await session.execute(sa.select(Account.id).join(Actor, Actor.id == Account.actor_id)
                                 .where(Actor.url.in_(actor_urls)))
    return list(rows.scalars())


async def store_comment(session: AsyncSession, config: Config, fields: NoteFields, *, depth: int = 0
                        ) -> StoredComment:
    """The comment `fields` describes, stored with its thread if new (runs in the caller's transaction)."""
    existing = await find_comment(session, fields.id)
    if existing is not None:
        return StoredComment(existing, await session.get(Video, existing.video_id), False)
    if fields.deleted:
        raise CommentRefused("a deleted comment is not stored")
    if host_of(fields.id) == config.host.lower():
        raise CommentRefused("a remote server cannot create our comments")
    video, parent = await _thread_parent(session, config, fields.in_reply_to, depth)
    account = await _author_account(session, config, fields)
    if video.is_local and (video.comments_policy == CommentsPolicy.DISABLED
                           or video.privacy not in FEDERATED_PRIVACIES):
        raise CommentRefused("comments are not accepted on this video")
    await lock_video(session, video.id)
    comment = VideoComment(
        url=fields.id, text=fields.text, video_id=video.id, account_id=account.id,
        held_for_review=video.is_local and video.comments_policy == CommentsPolicy.REQUIRES_APPROVAL,
        reply_approval=None if video.is_local else fields.reply_approval,
        origin_comment_id=parent.thread_id if parent is not None else None,
        in_reply_to_comment_id=parent.id if parent is not None else None,
        created_at=fields.published, updated_at=fields.updated)
    try:
        async with session.begin_nested():
            session.add(comment)
            await session.flush()
    except IntegrityError:  # the same comment arrived twice at once
        existing = await find_comment(session, fields.id)
        if existing is None:
            raise
        return StoredComment(existing, video, False)
    also = await _mentioned_accounts(session, fields.mention_urls)
    if parent is not None and parent.account_id not in (None, account.id):
        also.append(parent.account_id)
    session.add_all(VideoCommentMention(comment_id=comment.id, account_id=account_id)
                    for account_id in dict.fromkeys(also))
    await recount_comments(session, video.id)
    await notices.comment_created(session, comment)
    return StoredComment(comment, video, True)


async def may_delete(session: AsyncSession, comment: VideoComment, video: Video, actor: Actor) -> bool:
    """The comment's author, or the owner of the video it is about (who moderates their discussion)."""
    allowed = [sa.select(Account.actor_id).join(VideoChannel, VideoChannel.account_id == Account.id)
               .where(VideoChannel.id == video.channel_id)]
    if comment.account_id is not None:
        allowed.append(sa.select(Account.actor_id).where(Account.id == comment.account_id))
    actor_ids = set((await session.execute(sa.union(*allowed) if len(allowed) > 1 else allowed[0])).scalars())
    return actor.id in actor_ids


async def delete_comment(session: AsyncSession, comment: VideoComment) -> None:
    """A remote deletion: the comment becomes a tombstone (its replies stay in the thread)."""
    if comment.is_deleted:
        return
    await lock_video(session, comment.video_id)
    await make_tombstone(session, comment)


async def approve_comment(session: AsyncSession, comment: VideoComment, approval_url: str) -> None:
    """The origin of the video approved our comment: it is public now."""
    await lock_video(session, comment.video_id)
    comment.held_for_review = False
    comment.reply_approval = approval_url
    await session.flush()
    await recount_comments(session, comment.video_id)
    await notices.comment_approved(session, comment)

