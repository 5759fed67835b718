"""Jobs that tell peers about videos: `federate-video` (Create/Update/Delete of a local video, PeerTube's
job of that name), the aggregated view count of a local video (an Update per interval), the view
of a remote video sent to its origin, and the viewer counters (a viewer here of a remote video to its
origin, the viewers of a local video to its followers)."""

from __future__ import annotations

from vidpub.federation.outbox.send_video import run_federate_video, run_views_update
from vidpub.federation.outbox.send_view import run_remote_view, run_remote_viewer, run_viewers_update
from vidpub.federation.video_jobs import (FEDERATE_VIDEO_JOB, REMOTE_VIEW_JOB, REMOTE_VIEWER_JOB, VIEWERS_UPDATE_JOB,
                                         VIEWS_UPDATE_JOB)
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


@job_type(REMOTE_VIEWER_JOB, attempts=1, concurrency=5, priority=100, timeout=120, keep_completed=600)
async def federate_remote_viewer(ctx: JobContext) -> dict:
    # one attempt: a viewer still watching is sent again within FEDERATE_AGAIN_AFTER
    return await run_remote_viewer(ctx.runtime.db, ctx.runtime.config, ctx.payload)


@job_type(VIEWERS_UPDATE_JOB, attempts=1, concurrency=1, priority=100, timeout=120, keep_completed=600)
async def federate_video_viewers(ctx: JobContext) -> dict:
    return await run_viewers_update(ctx.runtime.db, ctx.runtime.config, ctx.payload)
