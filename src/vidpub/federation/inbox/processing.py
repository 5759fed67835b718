"""The `activitypub-inbox` job's work: one verified activity through its handler, in one transaction."""

from __future__ import annotations

from vidpub.db.models import Actor
from vidpub.federation.inbox.registry import InboxContext, dispatch


async def process_queued(runtime, payload: dict) -> dict:
    async with runtime.db.transaction() as session:
        actor = await session.get(Actor, payload["actor_id"])
        if actor is None:
            return {"processed": False, "reason": "the sender is gone"}
        ctx = InboxContext(session=session, config=runtime.config, signer=actor, runtime=runtime,
                           inbox_actor_id=payload.get("inbox_actor_id"))
        handled = await dispatch(ctx, payload["activity"])
    return {"processed": handled, "type": payload["activity"].get("type")}
