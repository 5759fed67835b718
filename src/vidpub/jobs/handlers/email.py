"""The `email` job: deliver one message (PeerTube: 5 attempts, 5 at once)."""

from __future__ import annotations

from vidpub.jobs.registry import job_type
from vidpub.jobs.worker import JobContext
from vidpub.services.mail import deliver


@job_type("email", attempts=5, concurrency=5, priority=100, timeout=600)
async def send_email(ctx: JobContext) -> None:
    payload = ctx.payload
    await deliver(ctx.runtime.config, list(payload["to"]), payload["subject"], payload["text"])
