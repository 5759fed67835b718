"""Enqueueing: a job row joins the caller's transaction, so work is never lost nor done for a
state change that was rolled back."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from vidpub.db.base import utcnow
from vidpub.db.models import Application, Job, JobState
from vidpub.jobs.registry import REGISTRY

_ENQUEUED = "vidpub_jobs_enqueued"
_listeners: set = set()  # callables run after a commit that enqueued jobs (wakes local workers)


def add_wakeup_listener(callback) -> None:
    _listeners.add(callback)


def remove_wakeup_listener(callback) -> None:
    _listeners.discard(callback)


@event.listens_for(Session, "after_commit")
def _wake_workers(session: Session) -> None:
    if session.info.pop(_ENQUEUED, False):
        for callback in list(_listeners):
            callback()


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_ENQUEUED, None)


def _row(type_: str, payload: dict | None, priority: int | None, delay: float,
         parent_id: int | None, dedupe_key: str | None) -> dict[str, Any]:
    spec = REGISTRY[type_]
    now = utcnow()
    return dict(type=type_, payload=payload or {}, state=JobState.WAITING,
                priority=spec.priority if priority is None else priority, attempts=0,
                max_attempts=spec.attempts, run_at=now + timedelta(seconds=delay), parent_id=parent_id,
                pending_children=0, progress=0, dedupe_key=dedupe_key, created_at=now)


def enqueue(session: AsyncSession, type_: str, payload: dict | None = None, *, priority: int | None = None,
            delay: float = 0, parent: Job | None = None) -> Job:
    """Add a job to the session; it runs once the caller commits. With `parent`, the parent waits
    for this child (and its siblings) to complete before it runs."""
    job = Job(**_row(type_, payload, priority, delay, None, None))
    if parent is not None:
        if parent.id is None:
            raise ValueError("flush the parent job before enqueueing its children")
        job.parent_id = parent.id
        parent.pending_children += 1
        if parent.state == JobState.WAITING:
            parent.state = JobState.WAITING_CHILDREN
    session.add(job)
    session.sync_session.info[_ENQUEUED] = True
    return job


async def enqueue_unique(session: AsyncSession, type_: str, dedupe_key: str, payload: dict | None = None,
                         *, priority: int | None = None, delay: float = 0) -> bool:
    """Enqueue unless a job with this key exists (scheduled jobs seen by several processes)."""
    dialect = session.bind.dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(Job).values(**_row(type_, payload, priority, delay, None, dedupe_key))
    result = await session.execute(statement.on_conflict_do_nothing(index_elements=["dedupe_key"]))
    created = bool(result.rowcount)
    if created:
        session.sync_session.info[_ENQUEUED] = True
    return created


async def set_paused(session: AsyncSession, paused: bool) -> None:
    await session.execute(sa.update(Application).values(jobs_paused=paused))
