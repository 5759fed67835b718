"""Enqueueing: a job row joins the caller's transaction, so work is never lost nor done for a
state change that was rolled back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from vidpub.db.base import utcnow
from vidpub.db.models import Application, Job, JobState
from vidpub.db.upsert import insert_for
from vidpub.jobs.registry import REGISTRY, load_handlers

_ENQUEUED = "vidpub_jobs_enqueued"    # session.info flag: wake local workers after the commit
_NEW_JOBS = "vidpub_jobs_new"         # session.info list: jobs added by the open transaction
_listeners: set = set()  # callables run after a commit that enqueued jobs (wakes local workers)


def add_wakeup_listener(callback) -> None:
    _listeners.add(callback)


def remove_wakeup_listener(callback) -> None:
    _listeners.discard(callback)


@event.listens_for(Session, "after_commit")
def _wake_workers(session: Session) -> None:
    session.info.pop(_NEW_JOBS, None)
    if session.info.pop(_ENQUEUED, False):
        for callback in list(_listeners):
            callback()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_ENQUEUED, None)
    session.info.pop(_NEW_JOBS, None)


def _row(type_: str, payload: dict | None, priority: int | None, delay: float,
         dedupe_key: str | None) -> dict[str, Any]:
    if type_ not in REGISTRY:
        load_handlers()  # a process that runs no workers (API only) has not imported them yet
    spec = REGISTRY.get(type_)
    if spec is None:
        raise ValueError(f"unknown job type: {type_}")
    now = utcnow()
    return dict(type=type_, payload=payload or {}, state=JobState.WAITING,
                priority=spec.priority if priority is None else priority, attempts=0,
                max_attempts=spec.attempts, run_at=now + timedelta(seconds=delay), parent_id=None,
                pending_children=0, progress=0, dedupe_key=dedupe_key, created_at=now)


def enqueue(session: AsyncSession, type_: str, payload: dict | None = None, *, priority: int | None = None,
            delay: float = 0, parent: Job | None = None) -> Job:
    """Add a job to the session; it runs once the caller commits.

    With `parent`, the parent runs only after this child and its siblings completed, and fails if
    one of them fails for good. Parent and children are enqueued in one transaction (as a BullMQ
    flow): a parent already committed could be running, too late to wait for anything."""
    info = session.sync_session.info
    job = Job(**_row(type_, payload, priority, delay, None))
    if parent is not None:
        if not any(parent is new for new in info.get(_NEW_JOBS, ())):
            raise ValueError("enqueue children in the transaction that enqueues their parent")
        job.parent = parent
        parent.pending_children += 1
        parent.state = JobState.WAITING_CHILDREN
    session.add(job)
    info.setdefault(_NEW_JOBS, []).append(job)
    info[_ENQUEUED] = True
    return job


async def enqueue_unique(session: AsyncSession, type_: str, dedupe_key: str, payload: dict | None = None,
                         *, priority: int | None = None, delay: float = 0) -> bool:
    """Enqueue unless a job with this key exists, in any state (scheduled jobs seen by several
    processes; idempotent requests). The key is free again once the job is removed."""
    insert = insert_for(session)
    statement = insert(Job).values(**_row(type_, payload, priority, delay, dedupe_key))
    result = await session.execute(statement.on_conflict_do_nothing(index_elements=["dedupe_key"]))
    created = bool(result.rowcount)
    if created:
        session.sync_session.info[_ENQUEUED] = True
    return created


async def set_paused(session: AsyncSession, paused: bool) -> None:
    """Workers stop claiming while paused; jobs already running finish."""
    await session.execute(sa.update(Application).values(jobs_paused=paused))
    if not paused:
        session.sync_session.info[_ENQUEUED] = True  # local workers resume without waiting a poll
