"""Jobs that tell peers about videos: `federate-video` (Create/Update/Delete of a local video, PeerTube's
job of that name), the aggregated view count of a local video (an Update per interval) and the view
of a remote video sent to its origin."""

from __future__ import annotations

from vidpub.federation.outbox.send_video import run_federate_video, run_views_update
from vidpub.federation.outbox.send_view import run_remote_view
from vidpub.federation.video_jobs import FEDERATE_VIDEO_JOB, REMOTE_VIEW_JOB, VIEWS_UPDATE_JOB
from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type


@job_type(FEDERATE_VIDEO_JOB, attempts=3, concurrency=1, priority=50, timeout=300)
async def federate_video(ctx: JobContext) -> dict:
    return await run_federate_video(ctx.runtime.db, ctx.runtime.config, ctx.payload)


@job_type(VIEWS_UPDATE_JOB, attempts=3, concurrency=1, priority=100, timeout=300, keep_completed=3600)
async def federate_video_views(ctx: JobContext) -> dict:
    return await run_views_update(ctx.runtime.db, ctx.runtime.config, ctx.payload)


@job_type(REMOTE_VIEW_JOB, attempts=3, concurrency=5, priority=100, timeout=300, keep_completed=3600)
async def federate_remote_view(ctx: JobContext) -> dict:
    return await run_remote_view(ctx.runtime.db, ctx.runtime.config, ctx.payload)
