"""Comments received: `Create` of a `Note` (PeerTube's comments, Mastodon's replies), their deletion,
and the approval or rejection of a reply held by the video's origin (`ApproveReply`/`RejectReply`).

A new comment on one of our videos is forwarded, as received (its LD signature kept), to the
video's followers — but the sender's server, which has it — unless it waits for review or its author
is muted by the video's owner (PeerTube does not spread what the owner does not want to see).
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.models import Account, AccountBlocklist, Actor, ServerBlocklist, Video, VideoChannel, VideoComment
from vidpub.federation import remote_comments
from vidpub.federation.ap.comment import note_from_ap
from vidpub.federation.ap.common import InvalidObject, object_id
from vidpub.federation.audience import actor_inbox_of
from vidpub.federation.inbox.process_delete import deleter
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.outbox.delivery import forward
from vidpub.federation.remote_actors import server_actor

log = logging.getLogger("vidpub.federation.inbox")


async def _owner_actor(ctx: InboxContext, video: Video) -> tuple[int, int, int]:
    """(channel actor id, owner account actor id, owner account id) of `video`."""
    row = (await ctx.session.execute(
        sa.select(VideoChannel.actor_id, Account.actor_id, Account.id)
        .join(Account, Account.id == VideoChannel.account_id).where(VideoChannel.id == video.channel_id))).one()
    return row[0], row[1], row[2]


async def _muted_by_owner(ctx: InboxContext, owner_account_id: int, author_account_id: int | None) -> bool:
    if author_account_id is None:
        return False
    author_server = (sa.select(Actor.server_id).join(Account, Account.actor_id == Actor.id)
                     .where(Account.id == author_account_id).scalar_subquery())
    muted = sa.union(
        sa.select(AccountBlocklist.id).where(AccountBlocklist.account_id == owner_account_id,
                                             AccountBlocklist.target_account_id == author_account_id),
        sa.select(ServerBlocklist.id).where(ServerBlocklist.account_id == owner_account_id,
                                            ServerBlocklist.target_server_id == author_server))
    return (await ctx.session.execute(sa.select(sa.exists(muted.subquery().select())))).scalar()


async def forward_to_video_audience(ctx: InboxContext, activity: dict, video: Video,
                                    author_account_id: int | None) -> None:
    """Spread an activity about one of our videos to its followers, the sender's server excepted."""
    channel_actor_id, owner_actor_id, owner_account_id = await _owner_actor(ctx, video)
    if await _muted_by_owner(ctx, owner_account_id, author_account_id):
        log.info("not forwarding %s: its author is muted by the video's owner", activity.get("id"))
        return
    instance = await server_actor(ctx.session)
    sender_inbox = await actor_inbox_of(ctx.session, ctx.signer.url)
    await forward(ctx.session, activity, actor_ids=[channel_actor_id, owner_actor_id, instance.id],
                  exclude=[sender_inbox] if sender_inbox else [])


@handles("Create", "Note")
async def process_create_note(ctx: InboxContext, activity: dict) -> None:
    try:
        fields = note_from_ap(activity.get("object"))
    except InvalidObject as error:
        log.info("Create Note dropped: %s", error)
        return
    if fields.deleted or fields.attributed_to != ctx.signer.url:
        log.info("Create Note dropped: %s is not its author", ctx.signer.url)
        return
    try:
        stored = await remote_comments.store_comment(ctx.session, ctx.config, fields)
    except remote_comments.CommentRefused as error:
        log.info("comment %s not accepted: %s", fields.id, error)
        return
    if stored.created and stored.video.is_local and not stored.comment.held_for_review:
        await forward_to_video_audience(ctx, activity, stored.video, stored.comment.account_id)


@deleter
async def delete_comment(ctx: InboxContext, url: str, activity: dict) -> bool:
    comment = await remote_comments.find_comment(ctx.session, url)
    if comment is None:
        return False
    video = await ctx.session.get(Video, comment.video_id)
    if comment.is_deleted:
        return True
    if not await remote_comments.may_delete(ctx.session, comment, video, ctx.signer):
        log.info("%s may not delete the comment %s", ctx.signer.url, url)
        return True
    author_account_id = comment.account_id
    await remote_comments.delete_comment(ctx.session, comment)
    if video.is_local:
        await forward_to_video_audience(ctx, activity, video, author_account_id)
    return True


async def _reply_of_video_from(ctx: InboxContext, activity: dict) -> tuple[VideoComment, Video] | None:
    """The comment an approval is about, when the sender owns the video it answers."""
    try:
        url = object_id(activity.get("object"))
    except InvalidObject:
        return None
    comment = await remote_comments.find_comment(ctx.session, url)
    if comment is None:
        return None
    video = await ctx.session.get(Video, comment.video_id)
    if video.is_local or (await _owner_actor(ctx, video))[1] != ctx.signer.id:
        log.info("%s does not own the video of %s", ctx.signer.url, url)
        return None
    return comment, video


@handles("ApproveReply", None)
async def process_approve_reply(ctx: InboxContext, activity: dict) -> None:
    found = await _reply_of_video_from(ctx, activity)
    if found is None:
        await _learn_approved_reply(ctx, activity)
        return
    comment, _video = found
    if comment.held_for_review and isinstance(activity.get("id"), str):
        await remote_comments.approve_comment(ctx.session, comment, activity["id"])


async def _learn_approved_reply(ctx: InboxContext, activity: dict) -> None:
    """An approval of a comment we do not know: the video's origin tells its followers about a reply
    it made public; the comment is read from its own server."""
    try:
        url = object_id(activity.get("object"))
        document = await ctx.fetch_object(url)
        fields = note_from_ap(document)
    except Exception as error:  # unreachable, invalid: nothing to learn
        log.info("approved reply %s not fetched: %s", activity.get("object"), error)
        return
    if fields.deleted or fields.id != url:
        return
    try:
        stored = await remote_comments.store_comment(ctx.session, ctx.config, fields)
    except remote_comments.CommentRefused as error:
        log.info("approved reply %s not accepted: %s", url, error)
        return
    if stored.video.is_local or (await _owner_actor(ctx, stored.video))[1] != ctx.signer.id:
        log.info("approval of %s by someone else than the video's owner", url)


@handles("RejectReply", None)
async def process_reject_reply(ctx: InboxContext, activity: dict) -> None:
    found = await _reply_of_video_from(ctx, activity)
    if found is not None and found[0].held_for_review:
        await remote_comments.delete_comment(ctx.session, found[0])
