"""Periodic work of the upload side (PeerTube runs these as schedulers): dangling resumable uploads
(RemoveDanglingResumableUploadsScheduler, hourly) and scheduled video updates (UpdateVideosScheduler,
every minute)."""

from __future__ import annotations

from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type
from vidpub.services.uploads import sessions
from vidpub.services.videos import scheduled_updates

REMOVE_DANGLING_UPLOADS = "remove-dangling-resumable-uploads"
APPLY_SCHEDULED_UPDATES = "apply-scheduled-video-updates"


@job_type(REMOVE_DANGLING_UPLOADS, attempts=3, timeout=600, keep_completed=3 * 3600)
async def remove_dangling_uploads(ctx: JobContext) -> dict:
    async with ctx.runtime.db.session() as session:
        removed = await sessions.purge_expired(session, ctx.runtime.config)
    return {"removed": removed}


@job_type(APPLY_SCHEDULED_UPDATES, attempts=3, timeout=300, keep_completed=3600)
async def apply_scheduled_updates(ctx: JobContext) -> dict:
    return {"applied": await scheduled_updates.apply_due_updates(ctx.runtime)}
