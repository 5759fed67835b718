"""The `video-import` job (PeerTube: 1 attempt, `import.videos.concurrency` at once, at most
`import.videos.timeout`, which the job applies itself so that an admin's change takes effect)."""

from __future__ import annotations

from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type
from vidpub.services.videos.import_job import run_import


@job_type("video-import", attempts=1, concurrency=1, concurrency_setting="import.videos.concurrency",
          priority=100, timeout=None)
async def import_video(ctx: JobContext) -> dict:
    return await run_import(ctx.runtime, int(ctx.payload["videoImportId"]))
