"""Local actors: names, URLs and the shared name space of accounts and channels."""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Actor, ActorType

USERNAME_RE = re.compile(r"^[a-z0-9._]{1,50}$")
CHANNEL_NAME_RE = re.compile(r"^[a-zA-Z0-9\-_.:]{1,50}$")
SERVER_ACTOR_NAME = "peertube"


def actor_url(base_url: str, actor_type: str, name: str) -> str:
    folder = "video-channels" if actor_type == ActorType.GROUP else "accounts"
    return f"{base_url}/{folder}/{name}"


def build_local_actor(base_url: str, actor_type: str, name: str) -> Actor:
    url = actor_url(base_url, actor_type, name)
    return Actor(
        type=actor_type, preferred_username=name, url=url,
        inbox_url=f"{url}/inbox", outbox_url=f"{url}/outbox", shared_inbox_url=f"{base_url}/inbox",
        followers_url=f"{url}/followers", following_url=f"{url}/following",
    )


async def local_name_taken(session: AsyncSession, name: str) -> bool:
    """Accounts and channels share one name space per host (WebFinger `acct:` resolves both)."""
    query = sa.select(sa.literal(1)).where(
        Actor.server_id.is_(None), sa.func.lower(Actor.preferred_username) == name.lower()).limit(1)
    return (await session.execute(query)).first() is not None


async def available_local_name(session: AsyncSession, wanted: str) -> str:
    name, suffix = wanted, 1
    while await local_name_taken(session, name):
        suffix += 1
        name = f"{wanted[:45]}-{suffix}"
    return name
