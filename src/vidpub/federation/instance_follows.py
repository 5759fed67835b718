"""The instance's own follows (Instance Follows API): the server actor following remote instances,
channels or accounts, and the remote actors following it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload

from vidpub.config import Config
from vidpub.db.models import Actor, ActorFollow, Server
from vidpub.errors import bad_request, invalid_param, not_found
from vidpub.federation.follow_jobs import enqueue_follow, handle_for_host
from vidpub.federation.remote_actors import server_actor
from vidpub.schemas.blocklists import normalised_host
from vidpub.services.actors import SERVER_ACTOR_NAME
from vidpub.services.subscriptions import parse_handle

SORT_COLUMNS = frozenset({"createdAt", "state", "score", "id"})
ACTOR_TYPES = frozenset({"Person", "Application", "Group", "Service", "Organization"})


async def list_follows(session: AsyncSession, *, followers: bool, state: str | None, actor_type: str | None,
                       search: str | None, start: int, count: int, sort: str) -> tuple[int, list[ActorFollow]]:
    """Follows of the server actor (`followers`) or by it; filtered by the other side's type/name."""
    instance = await server_actor(session)
    other = aliased(Actor)
    mine, theirs = ((ActorFollow.target_actor_id, ActorFollow.actor_id) if followers
                    else (ActorFollow.actor_id, ActorFollow.target_actor_id))
    conditions = [mine == instance.id]
    if state:
        conditions.append(ActorFollow.state == state)
    if actor_type:
        conditions.append(other.type == actor_type)
    base = sa.select(ActorFollow).join(other, other.id == theirs).outerjoin(Server, Server.id == other.server_id)
    if search:
        pattern = f"%{search.lower()}%"
        conditions.append(sa.or_(sa.func.lower(other.preferred_username).like(pattern),
                                 sa.func.lower(sa.func.coalesce(Server.host, "")).like(pattern)))
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.where(*conditions).subquery()))).scalar()
    column = {"createdAt": ActorFollow.created_at, "state": ActorFollow.state, "score": ActorFollow.score,
              "id": ActorFollow.id}[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    rows = await session.execute(
        base.where(*conditions).order_by(order, ActorFollow.id).offset(start).limit(count)
        .options(joinedload(ActorFollow.follower), joinedload(ActorFollow.following)))
    return total, list(rows.scalars().unique())


async def follow_remotes(session: AsyncSession, config: Config, hosts: list[str], handles: list[str]) -> None:
    """Queue the server actor's follows (resolved and sent by `activitypub-follow` jobs)."""
    if not hosts and not handles:
        raise bad_request("Provide hosts or handles to follow")
    targets = []
    for host in hosts:
        normalised = normalised_host(host)
        if normalised is None:
            raise invalid_param("hosts", hosts, "Should have an array of unique hosts")
        if normalised == config.host.lower():
            raise bad_request("Cannot follow your own instance")
        targets.append(handle_for_host(normalised))
    for handle in handles:
        parsed = parse_handle(handle)
        if parsed is None:
            raise invalid_param("handles", handles, "Should have an array of handles")
        if parsed[1].lower() == config.host.lower():
            raise bad_request("Cannot follow a local actor")
        targets.append(handle)
    instance = await server_actor(session)
    for target in dict.fromkeys(targets):
        enqueue_follow(session, instance, target)
    await session.commit()


def _remote_actor_condition(actor, name: str, host: str):
    return sa.and_(actor.preferred_username == name,
                   actor.server_id.in_(sa.select(Server.id).where(Server.host == host.lower())))


async def _find(session: AsyncSession, *, followers: bool, name: str, host: str) -> ActorFollow:
    instance = await server_actor(session)
    other = aliased(Actor)
    mine, theirs = ((ActorFollow.target_actor_id, ActorFollow.actor_id) if followers
                    else (ActorFollow.actor_id, ActorFollow.target_actor_id))
    follow = (await session.execute(
        sa.select(ActorFollow).join(other, other.id == theirs)
        .where(mine == instance.id, _remote_actor_condition(other, name, host)))).scalar_one_or_none()
    if follow is None:
        raise not_found("Follower not found" if followers else "Subscription not found")
    return follow


async def find_following(session: AsyncSession, host_or_handle: str) -> ActorFollow:
    parsed = parse_handle(host_or_handle)
    if parsed is not None:
        return await _find(session, followers=False, name=parsed[0], host=parsed[1])
    host = normalised_host(host_or_handle)
    if host is None:
        raise invalid_param("hostOrHandle", host_or_handle, "Should have a valid host or handle", "params")
    return await _find(session, followers=False, name=SERVER_ACTOR_NAME, host=host)


async def find_follower(session: AsyncSession, name_with_host: str) -> ActorFollow:
    parsed = parse_handle(name_with_host)
    if parsed is None:
        raise invalid_param("nameWithHost", name_with_host, "Should have a valid nameWithHost", "params")
    return await _find(session, followers=True, name=parsed[0], host=parsed[1])
