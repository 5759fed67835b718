"""The `email` job: deliver one message (PeerTube: 5 attempts, 5 at once, 10 min TTL).

Delivery is at least once: if the worker dies after the SMTP server accepted the message but
before the job is recorded as completed, the job runs again and the message is sent twice."""

from __future__ import annotations

from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type
from vidpub.services.mail import deliver


@job_type("email", attempts=5, concurrency=5, priority=100, timeout=600)
async def send_email(ctx: JobContext) -> None:
    payload = ctx.payload
    await deliver(ctx.runtime.config, list(payload["to"]), payload["subject"], payload["text"])
