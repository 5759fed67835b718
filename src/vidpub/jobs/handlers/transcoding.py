"""Jobs that make a video's files: `video-transcoding` (PeerTube's policy: 1 attempt,
`transcoding.concurrency` at once, "required" priority 100, 48 h TTL) and `video-studio-edition`
(1 attempt, 1 at once, priority 150, 10 h). A worker dying mid-run still leads to a retry (the job
table's lease), which the services make safe: see `services/videos/transcoding.py`."""

from __future__ import annotations

from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type
from vidpub.services.videos.studio import STUDIO_JOB, run_edition
from vidpub.services.videos.transcoding import TRANSCODING_JOB, run_transcoding


@job_type(TRANSCODING_JOB, attempts=1, concurrency=1, concurrency_setting="transcoding.concurrency",
          priority=100, timeout=48 * 3600)
async def transcode_video(ctx: JobContext) -> dict:
    return await run_transcoding(ctx.runtime, ctx.job_id, ctx.payload, ctx.set_progress)


@job_type(STUDIO_JOB, attempts=1, concurrency=1, priority=150, timeout=10 * 3600)
async def edit_video(ctx: JobContext) -> dict:
    return await run_edition(ctx.runtime, ctx.job_id, ctx.payload)
