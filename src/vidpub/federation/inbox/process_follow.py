"""Follow, Accept, Reject and Undo(Follow) received from remote actors."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.models import Actor, ActorFollow, FollowState
from vidpub.federation import follows
from vidpub.federation.ap.common import optional_id
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.outbox_crawl import enqueue_outbox_crawl
from vidpub.services import follows as local_follows

log = logging.getLogger("vidpub.federation.inbox")


async def _local_actor(ctx: InboxContext, url: str | None) -> Actor | None:
    if not url:
        return None
    return (await ctx.session.execute(sa.select(Actor).where(Actor.url == url, Actor.server_id.is_(None)))
            ).scalar_one_or_none()


@handles("Follow")
async def process_follow(ctx: InboxContext, activity: dict) -> None:
    target = await _local_actor(ctx, optional_id(activity.get("object")))
    activity_id = activity.get("id")
    if target is None or not isinstance(activity_id, str):
        log.info("Follow of an unknown local actor by %s: dropped", ctx.signer.url)
        return
    await follows.receive_follow(ctx.session, ctx.config, ctx.signer, target, activity_id)


async def _our_follow(ctx: InboxContext, activity: dict) -> ActorFollow | None:
    """The local actor's follow of the signer that an Accept/Reject answers."""
    inner = activity.get("object")
    follow_id = optional_id(inner)
    query = sa.select(ActorFollow).where(ActorFollow.target_actor_id == ctx.signer.id)
    follow = None
    if follow_id:
        follow = (await ctx.session.execute(query.where(ActorFollow.url == follow_id))).scalar_one_or_none()
    if follow is None and isinstance(inner, dict):
        follower = await _local_actor(ctx, optional_id(inner.get("actor")))
        if follower is not None:
            follow = (await ctx.session.execute(query.where(ActorFollow.actor_id == follower.id))
                      ).scalar_one_or_none()
    return follow


@handles("Accept")
async def process_accept(ctx: InboxContext, activity: dict) -> None:
    follow = await _our_follow(ctx, activity)
    if follow is None:
        log.info("Accept from %s answers no follow of ours: dropped", ctx.signer.url)
        return
    if follow.state != FollowState.ACCEPTED:
        follow.state = FollowState.ACCEPTED
        await ctx.session.flush()
        await local_follows.recount(ctx.session, [follow.actor_id, follow.target_actor_id])
        # what the actor published before we followed it (PeerTube fetches the outbox here too)
        enqueue_outbox_crawl(ctx.session, await ctx.session.get(Actor, follow.target_actor_id))


@handles("Reject")
async def process_reject(ctx: InboxContext, activity: dict) -> None:
    follow = await _our_follow(ctx, activity)
    if follow is None:
        log.info("Reject from %s answers no follow of ours: dropped", ctx.signer.url)
        return
    await local_follows.remove_follow(ctx.session, follow)


@handles("Undo", "Follow")
async def process_undo_follow(ctx: InboxContext, activity: dict) -> None:
    inner = activity["object"]
    if optional_id(inner.get("actor")) != ctx.signer.url:
        log.info("Undo of someone else's Follow by %s: dropped", ctx.signer.url)
        return
    target = await _local_actor(ctx, optional_id(inner.get("object")))
    if target is None:
        return
    follow = await local_follows.find_follow(ctx.session, ctx.signer.id, target.id)
    if follow is not None:
        await local_follows.remove_follow(ctx.session, follow)
