"""What administrators see of the job table (GET /api/v1/jobs/{state}) and pausing the queue."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.base import utcnow
from vidpub.db.models import Job, JobState
from vidpub.jobs.queue import set_paused
from vidpub.jobs.registry import LEGACY_JOB_TYPES, PEERTUBE_JOB_TYPES, REGISTRY
from vidpub.schemas.jobs import JobJson, JobParent

# BullMQ's state names, as PeerTube 8 accepts them; the 7.0 spec lists only the first five.
LISTABLE_STATES = ("active", "completed", "failed", "waiting", "delayed", "paused", "waiting-children",
                   "prioritized")


def public_state(job: Job, now: datetime) -> str:
    """BullMQ's vocabulary: a waiting job whose time has not come is `delayed`."""
    if job.state == JobState.WAITING and job.run_at > now:
        return "delayed"
    return job.state


def _state_filter(state: str, now: datetime):
    if state == "waiting":
        return sa.and_(Job.state == JobState.WAITING, Job.run_at <= now)
    if state == "delayed":
        return sa.and_(Job.state == JobState.WAITING, Job.run_at > now)
    if state in ("paused", "prioritized"):
        # BullMQ moves jobs to those lists when a queue is paused or a job has a priority; here
        # pausing only stops the workers and priority is a column, so such jobs stay `waiting`.
        return sa.false()
    return Job.state == state


def known_job_types() -> set[str]:
    return set(PEERTUBE_JOB_TYPES) | set(LEGACY_JOB_TYPES) | set(REGISTRY)


def _error_text(error: dict | None) -> str | None:
    if not error:
        return None
    return error.get("stack") or error.get("message")


def to_json(job: Job, state: str) -> JobJson:
    return JobJson(
        id=job.id, state=state, type=job.type, data=job.payload or {}, priority=job.priority,
        progress=job.progress, error=_error_text(job.error), createdAt=job.created_at,
        finishedOn=job.finished_at, processedOn=job.processed_at,
        parent=JobParent(id=str(job.parent_id)) if job.parent_id is not None else None)


async def list_jobs(session: AsyncSession, states: Sequence[str], job_type: str | None, start: int,
                    count: int, ascending: bool) -> tuple[int, list[JobJson]]:
    """Jobs in any of `states` (all when empty). Without `job_type`, only PeerTube's own types:
    Vidpub's housekeeping jobs would be unknown values to PeerTube clients."""
    now = utcnow()
    query = sa.select(Job)
    if states:
        query = query.where(sa.or_(*(_state_filter(state, now) for state in states)))
    if job_type:
        query = query.where(Job.type == job_type)
    else:
        query = query.where(Job.type.in_(sorted(PEERTUBE_JOB_TYPES)))
    total = (await session.execute(sa.select(sa.func.count()).select_from(query.subquery()))).scalar_one()
    order = (Job.created_at.asc(), Job.id.asc()) if ascending else (Job.created_at.desc(), Job.id.desc())
    rows = (await session.execute(query.order_by(*order).offset(start).limit(count))).scalars().all()
    return total, [to_json(job, states[0] if len(states) == 1 else public_state(job, now)) for job in rows]


async def pause(session: AsyncSession) -> None:
    await set_paused(session, True)
    await session.commit()


async def resume(session: AsyncSession) -> None:
    await set_paused(session, False)
    await session.commit()
