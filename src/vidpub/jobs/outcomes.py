"""State changes of claimed jobs, each guarded by the claiming worker's id: a worker that lost its
lease (another one reaped the job) can no longer record anything for it.

    waiting ──claim──▶ active ──▶ completed
       ▲                 │ ├───▶ failed (attempts used up; its parent fails too)
       └── retry/reap ◀──┘ └───▶ waiting (shutdown: handed back, the attempt not counted)
    waiting-children ──last child completed──▶ waiting
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.base import utcnow
from vidpub.db.models import Job, JobState

# Extra runs granted to a job whose worker died under it (lease lapsed), beyond its own attempts:
# a crash is retried, a job that kills its worker every time is not retried forever.
CRASH_RETRIES = 2


def _owned(job_id: int, worker_id: str):
    return sa.and_(Job.id == job_id, Job.worker_id == worker_id, Job.state == JobState.ACTIVE)


async def complete(session: AsyncSession, job_id: int, worker_id: str, result: dict | None) -> bool:
    done = await session.execute(
        sa.update(Job).where(_owned(job_id, worker_id))
        .values(state=JobState.COMPLETED, progress=100, finished_at=utcnow(), result=result,
                lease_expires_at=None, error=None)
        .returning(Job.parent_id))
    row = done.first()
    if row is None:
        return False
    if row.parent_id is not None:
        await _child_completed(session, row.parent_id)
    return True


async def fail(session: AsyncSession, job_id: int, worker_id: str, error: dict,
               retry_at: datetime | None) -> bool:
    """Record a failed run: back to waiting until `retry_at`, or failed for good without one."""
    now = utcnow()
    if retry_at is not None:
        values = dict(state=JobState.WAITING, run_at=retry_at, worker_id=None)
    else:
        values = dict(state=JobState.FAILED, finished_at=now)
    failed = await session.execute(
        sa.update(Job).where(_owned(job_id, worker_id))
        .values(error=error, lease_expires_at=None, **values).returning(Job.parent_id))
    row = failed.first()
    if row is None:
        return False
    if retry_at is None and row.parent_id is not None:
        await _fail_parents(session, row.parent_id, job_id)
    return True


async def release(session: AsyncSession, job_ids: list[int], worker_id: str) -> None:
    """Hand interrupted jobs back at shutdown, without counting the cut-short run as an attempt."""
    if job_ids:
        await session.execute(
            sa.update(Job).where(Job.id.in_(job_ids), Job.worker_id == worker_id, Job.state == JobState.ACTIVE)
            .values(state=JobState.WAITING, attempts=Job.attempts - 1, worker_id=None, lease_expires_at=None,
                    run_at=utcnow()))


async def renew_leases(session: AsyncSession, job_ids: list[int], worker_id: str, lease: float) -> set[int]:
    """Extend the leases of running jobs; returns the ids still held (the others were reaped)."""
    if not job_ids:
        return set()
    renewed = await session.execute(
        sa.update(Job).where(Job.id.in_(job_ids), Job.worker_id == worker_id, Job.state == JobState.ACTIVE)
        .values(lease_expires_at=utcnow() + timedelta(seconds=lease)).returning(Job.id))
    return {row.id for row in renewed}


async def reap_lost(session: AsyncSession) -> int:
    """Jobs whose worker stopped renewing the lease (it died): run them again, within a bound."""
    now = utcnow()
    lost = sa.and_(Job.state == JobState.ACTIVE, Job.lease_expires_at < now)
    retried = await session.execute(
        sa.update(Job).where(lost, Job.attempts < Job.max_attempts + CRASH_RETRIES)
        .values(state=JobState.WAITING, run_at=now, worker_id=None, lease_expires_at=None,
                error={"message": "the worker running this job stopped; retrying", "stack": None})
        .returning(Job.id))
    count = len(retried.all())
    given_up = await session.execute(
        sa.update(Job).where(lost).values(
            state=JobState.FAILED, finished_at=now, lease_expires_at=None,
            error={"message": "the worker running this job stopped too many times", "stack": None})
        .returning(Job.id, Job.parent_id))
    for row in given_up.all():
        count += 1
        if row.parent_id is not None:
            await _fail_parents(session, row.parent_id, row.id)
    return count


async def _child_completed(session: AsyncSession, parent_id: int) -> None:
    await session.execute(sa.update(Job).where(Job.id == parent_id).values(
        pending_children=Job.pending_children - 1))
    await session.execute(sa.update(Job).where(
        Job.id == parent_id, Job.pending_children <= 0, Job.state == JobState.WAITING_CHILDREN
    ).values(state=JobState.WAITING, run_at=utcnow()))


async def _fail_parents(session: AsyncSession, parent_id: int | None, child_id: int) -> None:
    """A child failed for good: its parent can never run, nor can the parent's own parent."""
    while parent_id is not None:
        failed = await session.execute(
            sa.update(Job).where(Job.id == parent_id, Job.state == JobState.WAITING_CHILDREN)
            .values(state=JobState.FAILED, finished_at=utcnow(),
                    error={"message": f"child job {child_id} failed", "stack": None})
            .returning(Job.parent_id))
        row = failed.first()
        if row is None:
            return
        parent_id, child_id = row.parent_id, parent_id
