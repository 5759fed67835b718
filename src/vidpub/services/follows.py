"""Follows between actors (`ActorFollow`): creating and removing them, keeping the actors' follower
and following counts right, and announcing a new follower.

Only local targets exist before federation: a follow of a local actor is accepted at once (PeerTube
accepts follows of accounts and channels automatically). Remote follows will start `pending` and be
settled by the target's Accept or Reject.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import ActorFollow, Actor, FollowState
from vidpub.services import notifications


def follow_activity_url(follower: Actor, target: Actor) -> str:
    """The Follow activity's id (peertube-internals §5.1): `<follower>/follows/<target actor id>`."""
    return f"{follower.url}/follows/{target.id}"


async def find_follow(session: AsyncSession, follower_id: int, target_id: int) -> ActorFollow | None:
    query = sa.select(ActorFollow).where(ActorFollow.actor_id == follower_id,
                                         ActorFollow.target_actor_id == target_id)
    return (await session.execute(query)).scalar_one_or_none()


async def follow_local_actor(session: AsyncSession, follower: Actor, target: Actor) -> ActorFollow:
    """`follower` follows the local actor `target`: accepted at once, the counts updated and the
    target's owner notified (once: following again changes nothing). In the caller's transaction."""
    existing = await find_follow(session, follower.id, target.id)
    if existing is not None and existing.state == FollowState.ACCEPTED:
        return existing
    if existing is None:
        follow = ActorFollow(actor_id=follower.id, target_actor_id=target.id, state=FollowState.ACCEPTED,
                             url=follow_activity_url(follower, target))
        try:
            async with session.begin_nested():
                session.add(follow)
        except IntegrityError:  # the same follow, created meanwhile by a concurrent request
            return await find_follow(session, follower.id, target.id)
    else:
        follow = existing
        follow.state = FollowState.ACCEPTED
        await session.flush()
    await recount(session, [follower.id, target.id])
    notifications.notify(session, notifications.NEW_FOLLOW, {"actorFollowId": follow.id})
    return follow


async def remove_follow(session: AsyncSession, follow: ActorFollow) -> None:
    """Forget a follow (an unsubscription) and update both actors' counts."""
    actor_ids = [follow.actor_id, follow.target_actor_id]
    await session.delete(follow)
    await session.flush()
    await recount(session, actor_ids)


async def remove_follows_of(session: AsyncSession, actor_ids: list[int]) -> None:
    """Before actors go (a deleted user): drop their follows both ways and recount the actors on the
    other side, whose counts a cascading delete would leave behind."""
    involved = sa.or_(ActorFollow.actor_id.in_(actor_ids), ActorFollow.target_actor_id.in_(actor_ids))
    pairs = (await session.execute(sa.select(ActorFollow.actor_id, ActorFollow.target_actor_id)
                                   .where(involved))).all()
    others = {actor_id for pair in pairs for actor_id in pair} - set(actor_ids)
    await session.execute(sa.delete(ActorFollow).where(involved).execution_options(synchronize_session=False))
    if others:
        await recount(session, list(others))


def _accepted_count(column):
    return (sa.select(sa.func.count()).select_from(ActorFollow)
            .where(column == Actor.id, ActorFollow.state == FollowState.ACCEPTED).scalar_subquery())


async def recount(session: AsyncSession, actor_ids: list[int]) -> None:
    """Set `followers_count` and `following_count` of the actors from their accepted follows.

    Counted again rather than incremented: concurrent follows and unfollows cannot drift them."""
    await session.execute(
        sa.update(Actor).where(Actor.id.in_(set(actor_ids)))
        .values(followers_count=_accepted_count(ActorFollow.target_actor_id),
                following_count=_accepted_count(ActorFollow.actor_id))
        .execution_options(synchronize_session=False))
    loaded = [actor for actor in session.sync_session.identity_map.values()
              if isinstance(actor, Actor) and actor.id in actor_ids]
    for actor in loaded:  # rows already in the session show the new counts too
        await session.refresh(actor, ["followers_count", "following_count"])
