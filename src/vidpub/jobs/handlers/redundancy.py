"""Video redundancy jobs: `video-redundancy` (PeerTube's type: make one copy of a remote video's HLS
playlist) and the strategies' periodic check (PeerTube's VideosRedundancyScheduler)."""

from __future__ import annotations

from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type
from vidpub.services import redundancy_copies
from vidpub.services.redundancy import REDUNDANCY_JOB


# PeerTube: 1 attempt, concurrency 1, 3 hours
@job_type(REDUNDANCY_JOB, attempts=1, concurrency=1, timeout=3 * 3600)
async def video_redundancy(ctx: JobContext) -> dict:
    return await redundancy_copies.run_copy(ctx.runtime.db, ctx.runtime.config, ctx.payload)


@job_type(redundancy_copies.CHECK_JOB, attempts=1, timeout=600)
async def videos_redundancy_check(ctx: JobContext) -> dict:
    return await redundancy_copies.run_check(ctx.runtime.db, ctx.runtime.config, str(ctx.job_id))
