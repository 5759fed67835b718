"""The worker loop: claim a runnable job under a lease, run its handler, record the outcome.

A claim is one UPDATE ... RETURNING on the job row: PostgreSQL picks the row with
`FOR UPDATE SKIP LOCKED` so many worker processes share the table; SQLite serialises writers
anyway. A worker renews the leases of its running jobs; a job whose lease lapses (its worker died)
is put back in the queue by any worker, so a crash mid-job means a retry, not a lost job.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import traceback
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from vidpub.db.base import utcnow
from vidpub.db.models import Application, Job, JobState
from vidpub.jobs.queue import add_wakeup_listener, remove_wakeup_listener
from vidpub.jobs.registry import JobSpec

if TYPE_CHECKING:
    from vidpub.runtime import Runtime

log = logging.getLogger("vidpub.jobs")

CRASH_RETRIES = 2          # extra attempts granted when a worker died (lease expired) mid-job
MAX_BACKOFF_S = 3600


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with jitter: ~5 s, 10 s, 20 s ... capped at an hour."""
    base = min(MAX_BACKOFF_S, 5 * 2 ** max(0, attempt - 1))
    return base * random.uniform(0.8, 1.2)


@dataclass
class JobContext:
    runtime: Runtime
    job_id: int
    type: str
    payload: dict[str, Any]
    attempt: int
    _progress: int = field(default=0, repr=False)

    async def set_progress(self, percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        if percent == self._progress:
            return
        self._progress = percent
        async with self.runtime.db.transaction() as session:
            await session.execute(sa.update(Job).where(Job.id == self.job_id).values(progress=percent))


class Worker:
    def __init__(self, runtime: Runtime, specs: dict[str, JobSpec], *, poll_interval: float = 1.0,
                 lease: float = 300.0, worker_id: str | None = None):
        self.runtime = runtime
        self.specs = specs
        self.poll_interval = poll_interval
        self.lease = lease
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self._running: dict[int, asyncio.Task] = {}
        self._active_by_type: dict[str, int] = {t: 0 for t in specs}
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next_reap = 0.0

    # -- lifecycle ------------------------------------------------------------------------------

    def wake(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self, stop: asyncio.Event) -> None:
        self._loop = asyncio.get_running_loop()
        add_wakeup_listener(self.wake)
        heartbeat = asyncio.create_task(self._heartbeat(stop))
        try:
            while not stop.is_set():
                try:
                    await self._reap_lost_jobs()
                    while not stop.is_set() and await self._claim_and_start():
                        pass
                except Exception:  # a database hiccup must not kill the loop
                    log.exception("worker loop error")
                self._wake.clear()
                await _wait_any(stop, self._wake, self.poll_interval)
        finally:
            remove_wakeup_listener(self.wake)
            heartbeat.cancel()
            await self._drain()

    async def _drain(self) -> None:
        """On shutdown running jobs are cancelled; their lease lapses and another worker retries them."""
        for task in self._running.values():
            task.cancel()
        if self._running:
            await asyncio.gather(*self._running.values(), return_exceptions=True)

    # -- claiming -------------------------------------------------------------------------------

    def _free_types(self) -> list[str]:
        return [t for t, spec in self.specs.items() if self._active_by_type[t] < spec.concurrency]

    async def _claim_and_start(self) -> bool:
        types = self._free_types()
        if not types:
            return False
        job = await self._claim(types)
        if job is None:
            return False
        self._active_by_type[job.type] += 1
        self._running[job.id] = asyncio.create_task(self._execute(job))
        return True

    async def _claim(self, types: list[str]) -> Job | None:
        now = utcnow()
        db = self.runtime.db
        candidate = (sa.select(Job.id)
                     .where(Job.state == JobState.WAITING, Job.run_at <= now, Job.type.in_(types))
                     .where(~sa.exists().where(Application.jobs_paused.is_(True)))
                     .order_by(Job.priority, Job.run_at, Job.id).limit(1))
        if not db.is_sqlite:
            candidate = candidate.with_for_update(skip_locked=True)
        claim = (sa.update(Job).where(Job.id == candidate.scalar_subquery())
                 .values(state=JobState.ACTIVE, attempts=Job.attempts + 1, worker_id=self.worker_id,
                         lease_expires_at=now + timedelta(seconds=self.lease), processed_at=now)
                 .returning(Job.id, Job.type, Job.payload, Job.attempts))
        async with db.transaction() as session:
            row = (await session.execute(claim)).first()
        if row is None:
            return None
        return Job(id=row.id, type=row.type, payload=row.payload, attempts=row.attempts)

    # -- running --------------------------------------------------------------------------------

    async def _execute(self, job: Job) -> None:
        spec = self.specs[job.type]
        context = JobContext(self.runtime, job.id, job.type, dict(job.payload or {}), job.attempts)
        try:
            try:
                result = await asyncio.wait_for(spec.handler(context), timeout=spec.timeout)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # the handler failed: record it, maybe retry later
                log.warning("job %s (%s) failed on attempt %s: %s", job.id, job.type, job.attempts, exc)
                await self._record_failure(job, spec, exc)
            else:
                await self._record_success(job, result)
        finally:
            self._active_by_type[job.type] -= 1
            self._running.pop(job.id, None)
            self._wake.set()

    async def _record_success(self, job: Job, result: dict | None) -> None:
        async with self.runtime.db.transaction() as session:
            done = await session.execute(
                sa.update(Job).where(Job.id == job.id, Job.worker_id == self.worker_id,
                                     Job.state == JobState.ACTIVE)
                .values(state=JobState.COMPLETED, progress=100, finished_at=utcnow(), result=result,
                        lease_expires_at=None, error=None)
                .returning(Job.parent_id))
            row = done.first()
            if row is not None and row.parent_id is not None:
                await _child_completed(session, row.parent_id)

    async def _record_failure(self, job: Job, spec: JobSpec, exc: BaseException) -> None:
        error = {"message": str(exc) or type(exc).__name__,
                 "stack": "".join(traceback.format_exception(exc))[-4000:]}
        now = utcnow()
        async with self.runtime.db.transaction() as session:
            if job.attempts < spec.attempts:
                values = dict(state=JobState.WAITING, error=error, lease_expires_at=None, worker_id=None,
                              run_at=now + timedelta(seconds=backoff_seconds(job.attempts)))
            else:
                values = dict(state=JobState.FAILED, error=error, lease_expires_at=None, finished_at=now)
            failed = await session.execute(
                sa.update(Job).where(Job.id == job.id, Job.worker_id == self.worker_id,
                                     Job.state == JobState.ACTIVE).values(**values).returning(Job.parent_id))
            row = failed.first()
            if row is not None and values["state"] == JobState.FAILED and row.parent_id is not None:
                await _fail_parent(session, row.parent_id, job.id)

    async def _heartbeat(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await _wait_any(stop, None, self.lease / 3)
            if not self._running:
                continue
            try:
                async with self.runtime.db.transaction() as session:
                    await session.execute(
                        sa.update(Job).where(Job.id.in_(list(self._running)), Job.worker_id == self.worker_id)
                        .values(lease_expires_at=utcnow() + timedelta(seconds=self.lease)))
            except Exception:
                log.exception("could not renew job leases")

    async def _reap_lost_jobs(self) -> None:
        """Jobs whose worker stopped renewing the lease: run them again, or give up."""
        clock = asyncio.get_running_loop().time()
        if clock < self._next_reap:
            return
        self._next_reap = clock + min(30.0, self.lease / 4)
        now = utcnow()
        lost = sa.and_(Job.state == JobState.ACTIVE, Job.lease_expires_at < now)
        async with self.runtime.db.transaction() as session:
            await session.execute(
                sa.update(Job).where(lost, Job.attempts < Job.max_attempts + CRASH_RETRIES)
                .values(state=JobState.WAITING, run_at=now, worker_id=None, lease_expires_at=None,
                        error={"message": "the worker running this job stopped; retrying"}))
            given_up = await session.execute(
                sa.update(Job).where(lost).values(
                    state=JobState.FAILED, finished_at=now, lease_expires_at=None,
                    error={"message": "the worker running this job stopped too many times"})
                .returning(Job.id, Job.parent_id))
            for row in given_up:
                if row.parent_id is not None:
                    await _fail_parent(session, row.parent_id, row.id)


async def _child_completed(session, parent_id: int) -> None:
    await session.execute(sa.update(Job).where(Job.id == parent_id).values(
        pending_children=Job.pending_children - 1))
    await session.execute(sa.update(Job).where(
        Job.id == parent_id, Job.pending_children <= 0, Job.state == JobState.WAITING_CHILDREN
    ).values(state=JobState.WAITING, run_at=utcnow()))


async def _fail_parent(session, parent_id: int, child_id: int) -> None:
    await session.execute(sa.update(Job).where(
        Job.id == parent_id, Job.state == JobState.WAITING_CHILDREN
    ).values(state=JobState.FAILED, finished_at=utcnow(), error={"message": f"child job {child_id} failed"}))


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event | None, timeout: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait())]
    if wake is not None:
        waiters.append(asyncio.ensure_future(wake.wait()))
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
