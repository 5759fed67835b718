"""The `notify` job (PeerTube: 1 attempt, 5 at once, 5 min TTL): turn one event into users'
notifications and emails (`services/notification_events.py`), all in one transaction — a failed run
leaves no half of its notifications behind."""

from __future__ import annotations

from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type
from vidpub.services.notification_events import handle_event
from vidpub.services.notifications import NOTIFY_JOB


@job_type(NOTIFY_JOB, attempts=1, concurrency=5, priority=100, timeout=300)
async def notify(ctx: JobContext) -> dict:
    async with ctx.runtime.db.transaction() as session:
        return await handle_event(session, ctx.runtime.config, ctx.payload)
