"""Vidpub's periodic clean-ups (PeerTube runs these as in-process schedulers)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from vidpub.db import fulltext_segments, statistics
from vidpub.db.base import utcnow
from vidpub.db.models import Job, JobState
from vidpub.federation.outbox import send_watch_action
from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import COMPLETED_RETENTION_S, REGISTRY, job_type
from vidpub.services.auth import tokens
from vidpub.services.videos import stats_recording, viewer_counters, views

FAILED_RETENTION = timedelta(days=7)   # PeerTube keeps failed jobs 7 days


@job_type("purge-expired-tokens", attempts=3, timeout=600)
async def purge_expired_tokens(ctx: JobContext) -> dict:
    async with ctx.runtime.db.transaction() as session:
        removed = await tokens.purge_expired(session)
    return {"removed": removed}


@job_type("remove-expired-viewers", attempts=3, timeout=600)
async def remove_expired_viewers(ctx: JobContext) -> dict:
    async with ctx.runtime.db.transaction() as session:
        removed = await views.remove_expired_viewers(session)
        remote = await viewer_counters.remove_expired_remote_viewers(session)
        # the sessions of remote videos go to their origins (`Create WatchAction`), ours are kept
        sent = await send_watch_action.send_ended_remote_sessions(session, ctx.runtime.config, utcnow())
        forgotten = await stats_recording.forget_ended_sessions(session)
    return {"removed": removed, "removedRemoteViewers": remote, "sentWatchActions": sent,
            "forgottenSessionKeys": forgotten}


@job_type("refresh-planner-statistics", attempts=3, timeout=600)
async def refresh_planner_statistics(ctx: JobContext) -> dict:
    """The planner's statistics, and the full-text indexes' segments (both SQLite only)."""
    return {"analysed": await statistics.refresh(ctx.runtime.db),
            "mergedIndexes": await fulltext_segments.compact(ctx.runtime.db)}


@job_type("remove-old-jobs", attempts=3, timeout=600)
async def remove_old_jobs(ctx: JobContext) -> dict:
    async with ctx.runtime.db.transaction() as session:
        removed = await _remove_expired(session)
        removed += await _remove_beyond_cap(session, int(ctx.runtime.config.jobs.max_finished_jobs))
    return {"removed": removed}


async def _remove_expired(session) -> int:
    now = utcnow()
    completed = Job.state == JobState.COMPLETED
    own_retention = {spec.type: spec.keep_completed for spec in REGISTRY.values()
                     if spec.keep_completed != COMPLETED_RETENTION_S}
    expired = [sa.and_(completed, Job.type == type_, Job.finished_at < now - timedelta(seconds=keep))
               for type_, keep in own_retention.items()]
    expired.append(sa.and_(completed, Job.type.not_in(list(own_retention)),
                           Job.finished_at < now - timedelta(seconds=COMPLETED_RETENTION_S)))
    expired.append(sa.and_(Job.state == JobState.FAILED, Job.finished_at < now - FAILED_RETENTION))
    result = await session.execute(sa.delete(Job).where(sa.or_(*expired)))
    return result.rowcount or 0


async def _remove_beyond_cap(session, keep: int) -> int:
    """Past `keep` finished jobs, the oldest go whatever their age (PeerTube keeps 10 000)."""
    finished = Job.state.in_([JobState.COMPLETED, JobState.FAILED])
    oldest_kept = (await session.execute(
        sa.select(Job.id).where(finished).order_by(Job.id.desc()).offset(max(0, keep - 1)).limit(1)
    )).scalar_one_or_none()
    if oldest_kept is None:
        return 0
    if keep <= 0:
        oldest_kept += 1
    result = await session.execute(sa.delete(Job).where(finished, Job.id < oldest_kept))
    return result.rowcount or 0
