"""Following a remote actor named by handle or host, as the `activitypub-follow` job does it: the
actor is found (WebFinger, then its document), stored, and sent a Follow."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Actor
from vidpub.federation.fetch_first import transaction_fetching_first
from vidpub.federation.follows import request_follow
from vidpub.db.base import utcnow
from vidpub.federation.remote_actors import (REFRESH_AFTER, fetch_actor_document, find_actor, server_actor,
                                             store_actor, webfinger_actor_url)
from vidpub.jobs.queue import enqueue
from vidpub.services.actors import SERVER_ACTOR_NAME

log = logging.getLogger("vidpub.federation.follows")

FOLLOW_JOB = "activitypub-follow"


def handle_for_host(host: str) -> str:
    """An instance follow targets the remote server's Application actor."""
    return f"{SERVER_ACTOR_NAME}@{host}"


def enqueue_follow(session: AsyncSession, follower: Actor, handle: str) -> None:
    enqueue(session, FOLLOW_JOB, {"follower_id": follower.id, "handle": handle})


async def run_follow_job(runtime, payload: dict) -> dict:
    """Find the actor (WebFinger, then its document, both read with no transaction open), store it,
    and send the Follow."""
    config = runtime.config
    actor_url = await webfinger_actor_url(config, payload["handle"])
    async with runtime.db.session(write=False) as session:
        known = await find_actor(session, actor_url)
        instance = await server_actor(session)
    document = None
    if known is None or (not known.is_local and utcnow() - known.updated_at > REFRESH_AFTER):
        document = await fetch_actor_document(None, config, actor_url, signer=instance)

    async def follow(session) -> dict:  # a channel's owner may still be read: with no lock held (fetch_first)
        follower = await session.get(Actor, payload["follower_id"])
        if follower is None:
            return {"followed": False, "reason": "the follower is gone"}
        target = await store_actor(session, config, document) if document else await session.get(Actor, known.id)
        if target.id == follower.id:
            return {"followed": False, "reason": "an actor does not follow itself"}
        follow = await request_follow(session, follower, target)
        return {"followed": True, "state": follow.state, "target": target.url}

    return await transaction_fetching_first(runtime.db, config, follow)
