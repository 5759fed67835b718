"""Following a remote actor named by handle or host, as the `activitypub-follow` job does it: the
actor is found (WebFinger, then its document), stored, and sent a Follow."""

from __future__ import annotations

import logging

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Actor
from vidpub.federation.follows import request_follow
from vidpub.federation.remote_actors import actor_from_handle
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
    async with runtime.db.transaction() as session:
        follower = await session.get(Actor, payload["follower_id"])
        if follower is None:
            return {"followed": False, "reason": "the follower is gone"}
        target = await actor_from_handle(session, runtime.config, payload["handle"])
        if target.id == follower.id:
            return {"followed": False, "reason": "an actor does not follow itself"}
        follow = await request_follow(session, follower, target)
        return {"followed": True, "state": follow.state, "target": target.url}
