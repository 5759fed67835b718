"""A crash mid-job means a retry: leases lapse, any worker puts the job back, within a bound.

Delivery is *at least once*. A worker killed after the remote side accepted a message but before
it recorded the job as completed leaves an active job with no one renewing its lease; the next
worker runs it again and the message goes out twice. The job table cannot know whether the remote
side acted, so no guarantee stronger than at-least-once is possible without the remote side's
help (an idempotency key). In the SMTP test below the kill lands *before* the server accepted the
message (its handler is stalled), so the message is accepted exactly once although it reached the
server twice."""

from __future__ import annotations

import time
from datetime import timedelta

import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run, running_worker, wait_for_state
from tests.jobs.processes import RecordingSMTP, WorkerProcess
from vidpub.db.base import utcnow
from vidpub.db.models import Job, JobState
from vidpub.jobs.outcomes import CRASH_RETRIES
from vidpub.jobs.queue import enqueue
from vidpub.services.mail import queue_email


async def _orphan(runtime, type_: str, *, attempts: int, max_attempts: int, parent_id: int | None = None) -> int:
    """A job left active by a worker that died: its lease ran out."""
    now = utcnow()
    async with runtime.db.transaction() as session:
        job = Job(type=type_, payload={"orphan": True}, state=JobState.ACTIVE, priority=100, attempts=attempts,
                  max_attempts=max_attempts, run_at=now, worker_id="host:1:dead", parent_id=parent_id,
                  lease_expires_at=now - timedelta(seconds=1), processed_at=now, created_at=now,
                  pending_children=0, progress=0)
        session.add(job)
        await session.flush()
        return job.id


def test_a_job_whose_worker_died_runs_again(jobs_config, job_types):
    attempts_seen = []

    async def resumable(ctx):
        attempts_seen.append(ctx.attempt)
        return {"payload": ctx.payload}

    type_ = job_types(resumable)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            job_id = await _orphan(runtime, type_, attempts=1, max_attempts=1)
            async with running_worker(runtime, [type_]):
                row = await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED)
            assert (row.state, row.result, row.attempts) == (JobState.COMPLETED, {"payload": {"orphan": True}}, 2)
            assert attempts_seen == [2]

    run(scenario())


def test_a_job_that_keeps_killing_its_worker_is_given_up(jobs_config, job_types):
    async def never_called(ctx):
        raise AssertionError("a job past its crash allowance must not run")

    type_ = job_types(never_called, attempts=2)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with runtime.db.transaction() as session:
                parent = enqueue(session, type_, {"role": "parent"})
                await session.flush()
            exhausted = await _orphan(runtime, type_, attempts=2 + CRASH_RETRIES, max_attempts=2,
                                      parent_id=parent.id)
            async with runtime.db.transaction() as session:
                await session.execute(sa.update(Job).where(Job.id == parent.id).values(
                    state=JobState.WAITING_CHILDREN, pending_children=1))
            async with running_worker(runtime, [type_]):
                row = await wait_for_state(runtime, exhausted, JobState.FAILED, JobState.COMPLETED)
                parent_row = await wait_for_state(runtime, parent.id, JobState.FAILED, JobState.COMPLETED)
            assert row.error["message"] == "the worker running this job stopped too many times"
            assert (parent_row.state, parent_row.error["message"]) == (JobState.FAILED, f"child job {exhausted} failed")

    run(scenario())


def _worker_settings(config, smtp: RecordingSMTP, **jobs) -> dict:
    return {"database": {"url": config.database_url}, "smtp": smtp.smtp_settings,
            "jobs": {"poll_interval": "100ms", **jobs}}


def _wait(predicate, timeout: float = 60, what: str = "condition"):
    deadline = time.time() + timeout
    while not predicate():
        if time.time() > deadline:
            raise AssertionError(f"{what}: not met in {timeout}s")
        time.sleep(0.05)


def test_email_survives_a_worker_killed_mid_delivery(database_url_factory, tmp_path):
    config = make_database(database_url_factory(), tmp_path / "data")
    subject = "crash-test message"
    with RecordingSMTP(stall={subject}) as smtp:

        async def enqueue_mail():
            async with open_runtime(config) as runtime:
                async with runtime.db.transaction() as session:
                    queue_email(session, config.with_overrides({"email": {"subject": {"prefix": ""}}}),
                                ["someone@example.com"], subject, "hello")
                async with runtime.db.session(write=False) as session:
                    return (await session.execute(sa.select(Job.id).where(Job.type == "email"))).scalar_one()

        job_id = run(enqueue_mail())
        first = WorkerProcess(tmp_path / "first", _worker_settings(config, smtp, lease="2 seconds"))
        second = WorkerProcess(tmp_path / "second", _worker_settings(config, smtp, lease="2 seconds"))
        try:
            first.start()
            _wait(lambda: smtp.received == [subject], what="the first worker reaching DATA")
            first.kill()
            assert smtp.accepted == []

            second.start()
            _wait(lambda: smtp.accepted == [subject], what="the second worker delivering")

            async def final_row():
                async with open_runtime(config) as runtime:
                    return await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED)

            row = run(final_row())
        finally:
            first.kill()
            second.stop()
        assert row.state == JobState.COMPLETED
        assert row.attempts == 2  # the killed run counts: a job that always kills its worker ends
        assert smtp.received == [subject, subject] and smtp.accepted == [subject]


def test_two_worker_processes_deliver_each_email_once(database_url_factory, tmp_path):
    config = make_database(database_url_factory(), tmp_path / "data")
    subjects = [f"drain message {i}" for i in range(30)]
    with RecordingSMTP() as smtp:
        workers = [WorkerProcess(tmp_path / f"worker-{i}", _worker_settings(config, smtp)) for i in range(2)]
        try:
            for worker in workers:
                worker.start()

            async def enqueue_and_wait():
                async with open_runtime(config) as runtime:
                    prefixless = config.with_overrides({"email": {"subject": {"prefix": ""}}})
                    async with runtime.db.transaction() as session:  # all at once: both workers race
                        for subject in subjects:
                            queue_email(session, prefixless, ["someone@example.com"], subject, "hello")
                    async with runtime.db.session(write=False) as session:
                        ids = (await session.execute(sa.select(Job.id).where(Job.type == "email"))).scalars().all()
                    return [await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED, timeout=120)
                            for job_id in ids]

            rows = run(enqueue_and_wait())
        finally:
            for worker in workers:
                worker.stop()
        assert [row.state for row in rows] == [JobState.COMPLETED] * len(subjects)
        assert all(row.attempts == 1 for row in rows)
        assert sorted(smtp.accepted) == sorted(subjects)  # each once: no job was claimed twice
        assert sorted(smtp.received) == sorted(subjects)
