"""Who receives an activity: `to`/`cc` of public and unlisted objects, and the inboxes of an
actor's remote followers (one shared inbox per server when it has one)."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Actor, ActorFollow, FollowState
from vidpub.federation.context import AS_PUBLIC


def public_audience(followers_url: str | None) -> dict[str, list[str]]:
    return {"to": [AS_PUBLIC], "cc": [followers_url] if followers_url else []}


def unlisted_audience(followers_url: str | None = None) -> dict[str, list[str]]:
    # PeerTube: unlisted objects are addressed to nobody in particular, the public only in copy
    return {"to": [], "cc": [AS_PUBLIC]}


def audience_for(public: bool, followers_url: str | None) -> dict[str, list[str]]:
    return public_audience(followers_url) if public else unlisted_audience(followers_url)


async def follower_inboxes(session: AsyncSession, actor_ids: Iterable[int], *,
                           exclude: Iterable[str] = frozenset()) -> set[str]:
    """Inboxes of the remote actors that follow (accepted) any of `actor_ids`: their server's shared
    inbox when it has one, else their own."""
    ids = list(set(actor_ids))
    if not ids:
        return set()
    inbox = sa.func.coalesce(Actor.shared_inbox_url, Actor.inbox_url)
    query = (sa.select(inbox).distinct().select_from(ActorFollow)
             .join(Actor, Actor.id == ActorFollow.actor_id)
             .where(ActorFollow.target_actor_id.in_(ids), ActorFollow.state == FollowState.ACCEPTED,
                    Actor.server_id.is_not(None)))
    excluded = set(exclude)
    return {url for url in (await session.execute(query)).scalars() if url and url not in excluded}


async def actor_inbox_of(session: AsyncSession, actor_url: str) -> str | None:
    """The inbox to reach a stored remote actor's server (shared preferred), for exclusions."""
    row = (await session.execute(sa.select(Actor.shared_inbox_url, Actor.inbox_url)
                                 .where(Actor.url == actor_url))).first()
    return (row.shared_inbox_url or row.inbox_url) if row else None
