"""Vidpub's periodic clean-ups (PeerTube runs these as in-process schedulers)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from vidpub.db.base import utcnow
from vidpub.db.models import Job, JobState
from vidpub.jobs.registry import job_type
from vidpub.jobs.worker import JobContext
from vidpub.services.auth import tokens

COMPLETED_RETENTION = timedelta(days=2)   # PeerTube removes completed jobs after 2 days
FAILED_RETENTION = timedelta(days=7)      # and failed ones after 7


@job_type("purge-expired-tokens", attempts=3, timeout=600)
async def purge_expired_tokens(ctx: JobContext) -> dict:
    async with ctx.runtime.db.transaction() as session:
        removed = await tokens.purge_expired(session)
    return {"removed": removed}


@job_type("remove-old-jobs", attempts=3, timeout=600)
async def remove_old_jobs(ctx: JobContext) -> dict:
    now = utcnow()
    async with ctx.runtime.db.transaction() as session:
        result = await session.execute(sa.delete(Job).where(sa.or_(
            sa.and_(Job.state == JobState.COMPLETED, Job.finished_at < now - COMPLETED_RETENTION),
            sa.and_(Job.state == JobState.FAILED, Job.finished_at < now - FAILED_RETENTION),
        )))
    return {"removed": result.rowcount or 0}
