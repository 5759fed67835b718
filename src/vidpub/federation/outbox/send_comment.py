"""Create/Delete of comments and the approval of replies, as PeerTube addresses them.

A comment goes to the authors of the comments above it in the thread, to the followers of its
author and: on a video of ours, to the followers of the video (its channel, its account and the
instance); on a remote video, to the video's origin, which forwards it to its own audience. A comment
held for review travels only to the origin of a remote video (which decides); on our video it waits
for its approval. Only comments on public or unlisted videos leave the instance.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Account, Actor, Video, VideoChannel, VideoComment, VideoPrivacy
from vidpub.federation import urls
from vidpub.federation.ap.comment import CommentContext, comment_to_ap, load_comment_context
from vidpub.federation.audience import follower_inboxes
from vidpub.federation.context import AS_PUBLIC, context_for
from vidpub.federation.outbox.delivery import deliver
from vidpub.federation.remote_actors import server_actor

FEDERATED_PRIVACIES = (VideoPrivacy.PUBLIC, VideoPrivacy.UNLISTED)


async def _account_actor(session: AsyncSession, account_id: int | None) -> Actor | None:
    if account_id is None:
        return None
    return (await session.execute(sa.select(Actor).join(Account, Account.actor_id == Actor.id)
                                  .where(Account.id == account_id))).scalar_one_or_none()


async def _video_actors(session: AsyncSession, video: Video) -> tuple[Actor, Actor]:
    """(channel actor, owner account actor) of `video`."""
    channel = (await session.execute(sa.select(VideoChannel).where(VideoChannel.id == video.channel_id))).scalar_one()
    owner = await _account_actor(session, channel.account_id)
    return channel.actor, owner


def _inbox(actor: Actor) -> str:
    return actor.shared_inbox_url or actor.inbox_url


async def _recipients(session: AsyncSession, context: CommentContext, author: Actor, *, only_origin: bool
                      ) -> tuple[dict, set[str]]:
    """(audience, inboxes) of an activity about a comment by `author` (a local actor)."""
    video = context.video
    channel_actor, owner_actor = await _video_actors(session, video)
    parents = []
    if context.thread_author_urls:
        parents = list((await session.execute(sa.select(Actor).where(Actor.url.in_(context.thread_author_urls))))
                       .scalars())
    cc = [author.followers_url] if author.followers_url else []
    cc += [parent.url for parent in parents if parent.url != author.url]
    inboxes: set[str] = set()
    if video.is_local:
        cc += [actor.followers_url for actor in (channel_actor, owner_actor) if actor.followers_url]
        if not only_origin:
            instance = await server_actor(session)
            inboxes |= await follower_inboxes(session, [author.id, channel_actor.id, owner_actor.id, instance.id])
    else:
        cc.insert(0, owner_actor.url)
        inboxes.add(_inbox(owner_actor))
        if not only_origin:
            inboxes |= await follower_inboxes(session, [author.id])
    if not only_origin:
        inboxes |= {_inbox(parent) for parent in parents if not parent.is_local}
    return {"to": [AS_PUBLIC], "cc": list(dict.fromkeys(cc))}, inboxes


def _federated(video: Video) -> bool:
    return video.privacy in FEDERATED_PRIVACIES


async def send_create_comment(session: AsyncSession, comment: VideoComment) -> None:
    """A local account's new (or newly approved) comment; runs in the writer's transaction."""
    context = await load_comment_context(session, comment)
    author = await _account_actor(session, comment.account_id)
    if author is None or not author.is_local or not _federated(context.video):
        return
    if comment.held_for_review and context.video.is_local:
        return  # sent once approved
    audience, inboxes = await _recipients(session, context, author, only_origin=comment.held_for_review)
    note = {**comment_to_ap(comment, context), **audience}
    activity = {"@context": context_for("Comment"), "type": "Create", "id": f"{comment.url}/activity",
                "actor": author.url, "object": note, **audience}
    await deliver(session, activity, signer=author, inboxes=inboxes)


async def send_delete_comment(session: AsyncSession, comment: VideoComment) -> None:
    """Before `comment` becomes a tombstone (its author is still known). Sent by its author when
    local, else by the owner of our video (moderating their discussion); a remote comment on a
    remote video is only deleted here."""
    context = await load_comment_context(session, comment)
    if not _federated(context.video):
        return
    author = await _account_actor(session, comment.account_id)
    by = author if author is not None and author.is_local else None
    if by is None and context.video.is_local:
        by = (await _video_actors(session, context.video))[1]
    if by is None:
        return
    audience, inboxes = await _recipients(session, context, by, only_origin=False)
    if author is not None and not author.is_local:
        inboxes.add(_inbox(author))
    activity = {"@context": context_for(None), "type": "Delete", "id": urls.delete_url(comment.url),
                "actor": by.url, "object": comment.url, **audience}
    await deliver(session, activity, signer=by, inboxes=inboxes)


async def send_reply_approval(session: AsyncSession, comment: VideoComment, *, approved: bool) -> None:
    """The owner of our video approved (or rejected) a remote reply held for review: its author's
    server hears it, and, once approved, the followers of the video learn of the comment."""
    context = await load_comment_context(session, comment)
    author = await _account_actor(session, comment.account_id)
    if author is None or author.is_local or not context.video.is_local:
        return
    channel_actor, owner = await _video_actors(session, context.video)
    kind = "ApproveReply" if approved else "RejectReply"
    activity_id = urls.approve_reply_url(comment.url) if approved else urls.reject_reply_url(comment.url)
    activity = {"@context": context_for(kind), "type": kind, "id": activity_id, "actor": owner.url,
                "object": comment.url, "inReplyTo": context.in_reply_to, "to": [author.url]}
    inboxes = {_inbox(author)}
    if approved and _federated(context.video):
        instance = await server_actor(session)
        inboxes |= await follower_inboxes(session, [channel_actor.id, owner.id, instance.id])
        activity["cc"] = [AS_PUBLIC]
    await deliver(session, activity, signer=owner, inboxes=inboxes)
