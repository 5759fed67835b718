"""The worker loop: claim a runnable job under a lease, run its handler, record the outcome.

A claim is one UPDATE ... RETURNING on the job row: PostgreSQL picks the row with
`FOR UPDATE SKIP LOCKED` so many worker processes share the table without waiting on each other;
on SQLite the claim runs in a `BEGIN IMMEDIATE` transaction, which serialises writers of every
process. A worker renews the leases of its running jobs; a job whose lease lapses (its worker
died) is put back in the queue by any worker, so a crash mid-job means a retry, not a lost job —
delivery is therefore at least once, and handlers must tolerate running twice.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import traceback
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from vidpub.db.base import utcnow
from vidpub.db.models import Application, Job, JobState
from vidpub.jobs import outcomes
from vidpub.jobs.context import JobContext
from vidpub.jobs.queue import add_wakeup_listener, remove_wakeup_listener
from vidpub.jobs.registry import JobSpec

if TYPE_CHECKING:
    from vidpub.runtime import Runtime

__all__ = ["JobContext", "Worker", "backoff_seconds"]

log = logging.getLogger("vidpub.jobs")

MAX_BACKOFF_S = 3600
MAX_STACK_CHARS = 4000


def backoff_seconds(attempt: int, base: float) -> float:
    """Exponential backoff with ±20 % jitter (workers retrying together spread out): base, 2×base,
    4×base ... after the 1st, 2nd, 3rd failed attempt, capped at an hour."""
    delay = min(MAX_BACKOFF_S, base * 2 ** max(0, attempt - 1))
    return delay * random.uniform(0.8, 1.2)


@dataclass(frozen=True)
class ClaimedJob:
    id: int
    type: str
    payload: dict[str, Any]
    attempts: int
    max_attempts: int


class JobTimeout(Exception):
    pass


class Worker:
    def __init__(self, runtime: Runtime, specs: dict[str, JobSpec], *, poll_interval: float = 1.0,
                 lease: float = 300.0, retry_backoff: float = 5.0, shutdown_grace: float = 10.0,
                 worker_id: str | None = None):
        self.runtime = runtime
        self.specs = dict(specs)
        self.poll_interval = poll_interval
        self.lease = lease
        self.retry_backoff = retry_backoff
        self.shutdown_grace = shutdown_grace
        self.worker_id = worker_id or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"[:100]
        self._running: dict[int, asyncio.Task] = {}
        self._finishing: set[int] = set()  # outcome being recorded: not to be cancelled
        self._active_by_type: dict[str, int] = {t: 0 for t in self.specs}
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next_reap = 0.0

    # -- lifecycle ------------------------------------------------------------------------------

    def wake(self) -> None:
        """Called after a commit that enqueued jobs, from any thread."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wake.set)

    async def run(self, stop: asyncio.Event) -> None:
        self._loop = asyncio.get_running_loop()
        add_wakeup_listener(self.wake)
        heartbeat = asyncio.create_task(self._heartbeat())
        try:
            while not stop.is_set():
                self._wake.clear()  # before claiming: a wake-up during the claims is not lost
                try:
                    await self._reap_lost_jobs()
                    while not stop.is_set() and await self._claim_and_start():
                        pass
                except Exception:  # a database hiccup must not kill the loop
                    log.exception("worker loop error")
                await _wait_any(stop, self._wake, self.poll_interval)
        finally:
            remove_wakeup_listener(self.wake)
            await self._shutdown()
            heartbeat.cancel()
            await asyncio.gather(heartbeat, return_exceptions=True)

    async def _shutdown(self) -> None:
        """Let running jobs finish for a grace period, then interrupt and hand back the rest."""
        if not self._running:
            return
        await asyncio.wait(list(self._running.values()), timeout=self.shutdown_grace)
        interrupted = [job_id for job_id, task in self._running.items() if not task.done()]
        tasks = [self._running[job_id] for job_id in interrupted]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if interrupted:
            log.info("handing back %d interrupted job(s): %s", len(interrupted), interrupted)
            try:
                async with self.runtime.db.transaction() as session:
                    await outcomes.release(session, interrupted, self.worker_id)
            except Exception:  # their leases lapse instead and they are reaped
                log.exception("could not hand back interrupted jobs")

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
        self._running[job.id] = asyncio.create_task(self._execute(job), name=f"job-{job.id}-{job.type}")
        return True

    async def _claim(self, types: list[str]) -> ClaimedJob | None:
        now = utcnow()
        db = self.runtime.db
        runnable = sa.and_(Job.state == JobState.WAITING, Job.run_at <= now, Job.type.in_(types))
        candidate = (sa.select(Job.id).where(runnable)
                     .where(~sa.exists().where(Application.jobs_paused.is_(True)))
                     .order_by(Job.priority, Job.run_at, Job.id).limit(1))
        if not db.is_sqlite:
            candidate = candidate.with_for_update(skip_locked=True)
        claim = (sa.update(Job).where(Job.id == candidate.scalar_subquery(), Job.state == JobState.WAITING)
                 .values(state=JobState.ACTIVE, attempts=Job.attempts + 1, worker_id=self.worker_id,
                         lease_expires_at=now + timedelta(seconds=self.lease), processed_at=now,
                         finished_at=None)
                 .returning(Job.id, Job.type, Job.payload, Job.attempts, Job.max_attempts))
        async with db.transaction() as session:
            row = (await session.execute(claim)).first()
        if row is None:
            return None
        return ClaimedJob(row.id, row.type, dict(row.payload or {}), row.attempts, row.max_attempts)

    # -- running --------------------------------------------------------------------------------

    async def _execute(self, job: ClaimedJob) -> None:
        spec = self.specs[job.type]
        context = JobContext(self.runtime, job.id, job.type, job.payload, job.attempts)
        try:
            try:
                result = await _run_with_timeout(spec.handler(context), spec.timeout)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("job %s (%s) failed on attempt %s/%s: %s", job.id, job.type, job.attempts,
                            job.max_attempts, exc)
                self._finishing.add(job.id)
                await self._record_failure(job, exc)
            else:
                self._finishing.add(job.id)
                if result is not None and not isinstance(result, dict):
                    result = {"value": result}  # the column holds a JSON object
                await self._record(outcomes.complete, job.id, self.worker_id, result)
        finally:
            self._active_by_type[job.type] -= 1
            self._running.pop(job.id, None)
            self._finishing.discard(job.id)
            self._wake.set()

    async def _record_failure(self, job: ClaimedJob, exc: BaseException) -> None:
        stack = "".join(traceback.format_exception(exc))
        error = {"message": str(exc) or type(exc).__name__, "stack": stack[-MAX_STACK_CHARS:]}
        retry_at = None
        if job.attempts < job.max_attempts:
            retry_at = utcnow() + timedelta(seconds=backoff_seconds(job.attempts, self.retry_backoff))
        await self._record(outcomes.fail, job.id, self.worker_id, error, retry_at)

    async def _record(self, outcome, *args) -> None:
        try:
            async with self.runtime.db.transaction() as session:
                await outcome(session, *args)
        except Exception:  # the lease lapses and the job runs again: at least once
            log.exception("could not record the outcome of job %s", args[0])

    async def _heartbeat(self) -> None:
        while True:
            await asyncio.sleep(self.lease / 3)
            held = [job_id for job_id in self._running if job_id not in self._finishing]
            if not held:
                continue
            try:
                async with self.runtime.db.transaction() as session:
                    kept = await outcomes.renew_leases(session, held, self.worker_id, self.lease)
            except Exception:
                log.exception("could not renew job leases")
                continue
            for job_id in set(held) - kept:
                task = self._running.get(job_id)
                if task is not None and job_id not in self._finishing:
                    # reaped while we were too slow to renew: another worker runs it now
                    log.warning("job %s lost its lease; stopping our run of it", job_id)
                    task.cancel()

    async def _reap_lost_jobs(self) -> None:
        clock = asyncio.get_running_loop().time()
        if clock < self._next_reap:
            return
        self._next_reap = clock + min(30.0, self.lease / 4)
        async with self.runtime.db.transaction() as session:
            reaped = await outcomes.reap_lost(session)
        if reaped:
            log.warning("%d job(s) lost their worker (lease expired)", reaped)


async def _run_with_timeout(handler_call, timeout: float | None):
    if timeout is None:
        return await handler_call
    try:
        async with asyncio.timeout(timeout) as deadline:
            return await handler_call
    except TimeoutError:
        if deadline.expired():
            raise JobTimeout(f"job timed out after {timeout:g} s") from None
        raise


async def _wait_any(stop: asyncio.Event, wake: asyncio.Event, timeout: float) -> None:
    waiters = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(wake.wait())]
    try:
        await asyncio.wait(waiters, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
