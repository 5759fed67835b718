"""Federation jobs: deliveries (one inbox each) and processing of received activities.

Deliveries: a broadcast (many inboxes, 30 requests at once, one attempt: its failed inboxes become
unicast jobs) and unicasts (one inbox, 5 attempts with exponential backoff, 30 at once).
Received activities run one at a time, in arrival order: a Follow and its Undo, or a Create and its
Update, must not overtake each other. `activitypub-follow` resolves a remote actor (WebFinger) and
sends the Follow, out of the admin's or user's request; once it is accepted, `activitypub-http-fetcher`
reads the actor's outbox for the videos it had before.
"""

from __future__ import annotations

from vidpub.federation.follow_jobs import run_follow_job
from vidpub.federation.inbox.processing import process_queued
from vidpub.federation.outbox.delivery import BROADCAST_JOB, DELIVERY_JOB, run_broadcast, run_delivery
from vidpub.federation.outbox_crawl import FETCH_OUTBOX_JOB, run_outbox_crawl
from vidpub.federation.remote_actors import REFRESH_JOB, run_refresh_job
from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type


@job_type(DELIVERY_JOB, attempts=5, concurrency=30, priority=50, timeout=600, keep_completed=3600)
async def deliver_activity(ctx: JobContext) -> dict:
    return await run_delivery(ctx.runtime.db, ctx.runtime.config, ctx.payload)


@job_type(BROADCAST_JOB, attempts=1, concurrency=30, priority=50, timeout=600, keep_completed=600)
async def broadcast_activity(ctx: JobContext) -> dict:
    return await run_broadcast(ctx.runtime.db, ctx.runtime.config, ctx.payload)


@job_type("activitypub-inbox", attempts=2, concurrency=1, priority=40, timeout=600, keep_completed=3600)
async def process_inbox_activity(ctx: JobContext) -> dict:
    return await process_queued(ctx.runtime, ctx.payload)


@job_type("activitypub-follow", attempts=5, concurrency=1, priority=50, timeout=600)
async def follow_remote_actor(ctx: JobContext) -> dict:
    return await run_follow_job(ctx.runtime, ctx.payload)


@job_type(REFRESH_JOB, attempts=1, concurrency=1, priority=100, timeout=600, keep_completed=36000)
async def refresh_remote_actor(ctx: JobContext) -> dict:
    return await run_refresh_job(ctx.runtime, ctx.payload)


@job_type(FETCH_OUTBOX_JOB, attempts=3, concurrency=3, priority=100, timeout=3600)
async def crawl_outbox(ctx: JobContext) -> dict:
    return await run_outbox_crawl(ctx.runtime, ctx.payload)
