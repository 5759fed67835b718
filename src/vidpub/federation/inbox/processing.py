"""The `activitypub-inbox` job's work: one verified activity through its handler, in one transaction,
counted among the instance's processed activities (successes, errors)."""

from __future__ import annotations

from vidpub.db.models import Actor
from vidpub.federation.fetch_first import transaction_fetching_first
from vidpub.federation.inbox.registry import InboxContext, dispatch
from vidpub.services import server_stats


async def process_queued(runtime, payload: dict) -> dict:
    """The documents the activity leads to (its video, channel, account...) are read with no write
    lock held: `fetch_first` runs the handler again once they are."""

    async def process(session) -> dict:
        actor = await session.get(Actor, payload["actor_id"])
        if actor is None:
            return {"processed": False, "reason": "the sender is gone"}
        ctx = InboxContext(session=session, config=runtime.config, signer=actor, runtime=runtime,
                           inbox_actor_id=payload.get("inbox_actor_id"))
        handled = await dispatch(ctx, payload["activity"])
        # counted with the work it did (the instance statistics, `GET /server/stats`)
        await server_stats.record_inbox_outcome(session, activity_type, success=True)
        return {"processed": handled, "type": activity_type}

    activity_type = payload["activity"].get("type") if isinstance(payload.get("activity"), dict) else None
    try:
        return await transaction_fetching_first(runtime.db, runtime.config, process)
    except Exception:
        async with runtime.db.transaction() as session:
            await server_stats.record_inbox_outcome(session, activity_type, success=False)
        raise
