"""What administrators see of the job table (GET /api/v1/jobs/{state}) and pausing the queue."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.base import utcnow
from vidpub.db.models import Job, JobState
from vidpub.jobs.registry import PEERTUBE_JOB_TYPES, REGISTRY
from vidpub.schemas.jobs import JobJson, JobParent

LISTABLE_STATES = ("active", "completed", "failed", "waiting", "delayed")


def public_state(job: Job, now) -> str:
    """BullMQ's vocabulary: a waiting job whose time has not come is `delayed`."""
    if job.state == JobState.WAITING and job.run_at > now:
        return "delayed"
    if job.state == JobState.WAITING_CHILDREN:
        return "waiting"
    return job.state


def _state_filter(state: str | None, now):
    if not state:
        return sa.true()
    if state == "waiting":
        return sa.or_(sa.and_(Job.state == JobState.WAITING, Job.run_at <= now),
                      Job.state == JobState.WAITING_CHILDREN)
    if state == "delayed":
        return sa.and_(Job.state == JobState.WAITING, Job.run_at > now)
    return Job.state == state


async def list_jobs(session: AsyncSession, state: str | None, job_type: str | None, start: int, count: int,
                    sort: str) -> tuple[int, list[JobJson]]:
    now = utcnow()
    query = sa.select(Job).where(_state_filter(state, now))
    if job_type:
        query = query.where(Job.type == job_type)
    else:
        query = query.where(Job.type.in_(sorted(PEERTUBE_JOB_TYPES)))
    total = (await session.execute(sa.select(sa.func.count()).select_from(query.subquery()))).scalar_one()
    order = Job.created_at.desc() if sort.startswith("-") else Job.created_at.asc()
    rows = (await session.execute(query.order_by(order, Job.id.desc()).offset(start).limit(count))).scalars()
    return total, [
        JobJson(id=job.id, state=public_state(job, now), type=job.type, data=job.payload or {},
                priority=job.priority, progress=job.progress, error=job.error if job.state == JobState.FAILED else None,
                createdAt=job.created_at, finishedOn=job.finished_at, processedOn=job.processed_at,
                parent=JobParent(id=job.parent_id) if job.parent_id else None)
        for job in rows]


def known_job_types() -> set[str]:
    return set(PEERTUBE_JOB_TYPES) | set(REGISTRY)
