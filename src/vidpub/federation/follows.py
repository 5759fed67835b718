"""Follows that cross servers: asking a remote actor, answering a remote follower, undoing.

Local targets keep `services.follows` (accepted at once). A follow of a remote actor starts
`pending` and becomes `accepted` when its Accept arrives; PeerTube removes it on Reject.
"""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Actor, ActorFollow, ActorType, FollowState
from vidpub.federation import urls
from vidpub.federation.inbox.verification import is_blocked
from vidpub.federation.outbox import send_follow
from vidpub.services import follows as local_follows
from vidpub.services import notifications

log = logging.getLogger("vidpub.federation.follows")


async def request_follow(session: AsyncSession, follower: Actor, target: Actor) -> ActorFollow:
    """`follower` (local) follows `target`; a remote target is sent a Follow (again, while it is
    pending: the first may have been lost). Nothing happens for an accepted follow."""
    if target.is_local:
        return await local_follows.follow_local_actor(session, follower, target)
    follow = await local_follows.find_follow(session, follower.id, target.id)
    if follow is not None and follow.state == FollowState.ACCEPTED:
        return follow
    if follow is None:
        follow = ActorFollow(actor_id=follower.id, target_actor_id=target.id, state=FollowState.PENDING,
                             url=urls.follow_url(follower.url, target.id))
        session.add(follow)
    else:
        follow.state = FollowState.PENDING
    await session.flush()
    await send_follow.send_follow(session, follow, follower, target)
    return follow


async def cancel_follow(session: AsyncSession, follow: ActorFollow) -> None:
    """A local follower stops following (Undo sent when the target is remote)."""
    follower = await session.get(Actor, follow.actor_id)
    target = await session.get(Actor, follow.target_actor_id)
    if not target.is_local and follower.is_local:
        await send_follow.send_undo_follow(session, follow, follower, target)
    await local_follows.remove_follow(session, follow)


async def accept_follower(session: AsyncSession, follow: ActorFollow) -> None:
    follower = await session.get(Actor, follow.actor_id)
    target = await session.get(Actor, follow.target_actor_id)
    follow.state = FollowState.ACCEPTED
    await session.flush()
    await local_follows.recount(session, [follower.id, target.id])
    if not follower.is_local:
        await send_follow.send_accept(session, follow, follower, target)


async def reject_follower(session: AsyncSession, follow: ActorFollow, *, forget: bool = False) -> None:
    """Refuse (or, `forget`, remove) a follower: it is sent a Reject. A rejected row is kept so that
    the same actor asking again is refused at once; a forgotten one may ask again."""
    follower = await session.get(Actor, follow.actor_id)
    target = await session.get(Actor, follow.target_actor_id)
    if not follower.is_local:
        await send_follow.send_reject(session, follow.url or urls.follow_url(follower.url, target.id),
                                      follower, target)
    if forget:
        await local_follows.remove_follow(session, follow)
    else:
        follow.state = FollowState.REJECTED
        await session.flush()
        await local_follows.recount(session, [follower.id, target.id])


async def receive_follow(session: AsyncSession, config: Config, follower: Actor, target: Actor,
                         activity_id: str) -> ActorFollow | None:
    """A remote `follower` asks to follow the local `target` (PeerTube's rules, §5.7)."""
    existing = await local_follows.find_follow(session, follower.id, target.id)
    instance_follow = target.type == ActorType.APPLICATION
    refuse = (await is_blocked(session, follower)
              or (instance_follow and not config.followers.instance.enabled)
              or (target.type == ActorType.GROUP and not config.followers.channels.enabled)
              or (existing is not None and existing.state == FollowState.REJECTED))
    if refuse:
        await send_follow.send_reject(session, activity_id, follower, target)
        return None
    manual = instance_follow and bool(config.followers.instance.manual_approval)
    if existing is None:
        existing = ActorFollow(actor_id=follower.id, target_actor_id=target.id, url=activity_id[:2000],
                               state=FollowState.PENDING if manual else FollowState.ACCEPTED)
        session.add(existing)
        await session.flush()
        if not instance_follow:
            notifications.notify(session, notifications.NEW_FOLLOW, {"actorFollowId": existing.id})
    elif existing.state == FollowState.PENDING and not manual:
        existing.state = FollowState.ACCEPTED
        await session.flush()
    await local_follows.recount(session, [follower.id, target.id])
    if existing.state == FollowState.ACCEPTED:
        await send_follow.send_accept(session, existing, follower, target)
        if instance_follow and follower.type == ActorType.APPLICATION and \
                config.followings.instance.auto_follow_back.enabled:
            await request_follow(session, target, follower)
    return existing
