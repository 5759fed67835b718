"""The worker loop in-process: outcomes, retries with backoff, timeouts, priority, per-type
concurrency, parent/child flows, pausing and shutting down."""

from __future__ import annotations

import asyncio
import time

from tests.jobs.helpers import job_row, open_runtime, run, running_worker, wait_for_state, wait_until
from vidpub.db.models import JobState
from vidpub.jobs.queue import enqueue, set_paused


async def _enqueue(runtime, type_, payload=None, **options):
    async with runtime.db.transaction() as session:
        job = enqueue(session, type_, payload, **options)
    return job.id


def test_a_job_runs_once_and_keeps_its_result(jobs_config, job_types):
    calls = []

    async def double(ctx):
        calls.append((ctx.payload, ctx.attempt))
        await ctx.set_progress(50)
        return {"double": ctx.payload["n"] * 2}

    type_ = job_types(double)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with running_worker(runtime, [type_]):
                job_id = await _enqueue(runtime, type_, {"n": 21})
                row = await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED)
            assert (row.state, row.result, row.progress, row.attempts, row.error) == (
                JobState.COMPLETED, {"double": 42}, 100, 1, None)
            assert row.processed_at <= row.finished_at and row.lease_expires_at is None
            assert calls == [({"n": 21}, 1)]

    run(scenario())


def test_failures_are_retried_with_exponential_backoff_then_fail(jobs_config, job_types):
    base = 0.3
    calls: list[float] = []

    async def always_fails(ctx):
        calls.append(time.time())
        raise ValueError(f"boom on attempt {ctx.attempt}")

    type_ = job_types(always_fails, attempts=3)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with running_worker(runtime, [type_], retry_backoff=base):
                job_id = await _enqueue(runtime, type_)
                row = await wait_for_state(runtime, job_id, JobState.FAILED)
            assert row.attempts == 3 and len(calls) == 3
            assert row.error["message"] == "boom on attempt 3"
            assert "ValueError: boom on attempt 3" in row.error["stack"]
            # a retry cannot be claimed before its time: base, then 2 × base (jitter at most -20 %)
            assert calls[1] - calls[0] >= 0.8 * base
            assert calls[2] - calls[1] >= 0.8 * 2 * base

    run(scenario())


def test_a_retry_that_succeeds_clears_the_error(jobs_config, job_types):
    async def flaky(ctx):
        if ctx.attempt == 1:
            raise ConnectionError("remote side down")
        return {"attempt": ctx.attempt}

    type_ = job_types(flaky, attempts=2)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with running_worker(runtime, [type_]):
                job_id = await _enqueue(runtime, type_)
                row = await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED)
            assert (row.state, row.result, row.error, row.attempts) == (JobState.COMPLETED, {"attempt": 2}, None, 2)

    run(scenario())


def test_a_job_past_its_timeout_fails(jobs_config, job_types):
    async def hangs(ctx):
        await asyncio.sleep(3600)

    type_ = job_types(hangs, timeout=0.2)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with running_worker(runtime, [type_]):
                job_id = await _enqueue(runtime, type_)
                row = await wait_for_state(runtime, job_id, JobState.FAILED)
            assert row.error["message"] == "job timed out after 0.2 s"

    run(scenario())


def test_priority_orders_claims_across_types(jobs_config, job_types):
    order = []

    async def record(ctx):
        order.append(ctx.payload["name"])

    low = job_types(record, priority=50)
    high = job_types(record, priority=10)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            ids = [await _enqueue(runtime, low, {"name": "low-default"}),
                   await _enqueue(runtime, high, {"name": "high-default"}),
                   await _enqueue(runtime, low, {"name": "urgent"}, priority=1),
                   await _enqueue(runtime, high, {"name": "lazy"}, priority=90)]
            async with running_worker(runtime, [low, high]):
                await wait_until(lambda: _all_done(runtime, ids))
            # each type runs one job at a time: the first claims take the best of the whole table
            # (the type's default priority, or the one given at enqueue), then each type goes on
            # in its own order
            assert order[:2] == ["urgent", "high-default"]
            assert sorted(order[2:]) == ["lazy", "low-default"]

    run(scenario())


def test_jobs_of_one_type_wait_in_priority_order(jobs_config, job_types):
    order = []

    async def record(ctx):
        order.append(ctx.payload["name"])

    type_ = job_types(record, concurrency=1, priority=100)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            ids = [await _enqueue(runtime, type_, {"name": name}, priority=priority)
                   for name, priority in (("c", 30), ("a", 10), ("d", 40), ("b", 20))]
            async with running_worker(runtime, [type_]):
                await wait_until(lambda: _all_done(runtime, ids))
            assert order == ["a", "b", "c", "d"]

    run(scenario())


async def _all_done(runtime, ids):
    rows = [await job_row(runtime, job_id) for job_id in ids]
    return all(row.state == JobState.COMPLETED for row in rows)


def test_per_type_concurrency_is_respected(jobs_config, job_types):
    running, peak = 0, 0
    gate = None

    async def blocked(ctx):
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        try:
            await gate.wait()
        finally:
            running -= 1

    type_ = job_types(blocked, concurrency=2)

    async def scenario():
        nonlocal gate
        gate = asyncio.Event()
        async with open_runtime(jobs_config) as runtime:
            ids = [await _enqueue(runtime, type_, {"i": i}) for i in range(5)]
            async with running_worker(runtime, [type_]):
                await wait_until(lambda: _true(running == 2))
                await asyncio.sleep(0.5)  # ten polls: room for a wrong third claim
                states = [(await job_row(runtime, job_id)).state for job_id in ids]
                assert states.count(JobState.ACTIVE) == 2 and states.count(JobState.WAITING) == 3
                gate.set()
                await wait_until(lambda: _all_done(runtime, ids))
            assert peak == 2

    run(scenario())


async def _true(value):
    return value


def test_a_parent_runs_after_its_children(jobs_config, job_types):
    events = []

    async def step(ctx):
        events.append(ctx.payload["name"])

    type_ = job_types(step, concurrency=3)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with runtime.db.transaction() as session:
                parent = enqueue(session, type_, {"name": "parent"})
                children = [enqueue(session, type_, {"name": f"child-{i}"}, parent=parent) for i in range(2)]
            async with running_worker(runtime, [type_]):
                row = await wait_for_state(runtime, parent.id, JobState.COMPLETED, JobState.FAILED)
            assert row.state == JobState.COMPLETED and row.pending_children == 0
            assert events[-1] == "parent" and sorted(events[:2]) == ["child-0", "child-1"]
            for child in children:
                assert (await job_row(runtime, child.id)).state == JobState.COMPLETED

    run(scenario())


def test_a_child_failing_for_good_fails_its_parents(jobs_config, job_types):
    ran = []

    async def step(ctx):
        ran.append(ctx.payload["name"])
        if ctx.payload["name"] == "bad-child":
            raise RuntimeError("cannot do it")

    type_ = job_types(step, attempts=2)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with runtime.db.transaction() as session:
                grandparent = enqueue(session, type_, {"name": "grandparent"})
                parent = enqueue(session, type_, {"name": "parent"}, parent=grandparent)
                bad = enqueue(session, type_, {"name": "bad-child"}, parent=parent)
                good = enqueue(session, type_, {"name": "good-child"}, parent=parent)
            async with running_worker(runtime, [type_]):
                top = await wait_for_state(runtime, grandparent.id, JobState.FAILED, JobState.COMPLETED)
                await wait_for_state(runtime, good.id, JobState.COMPLETED)
            middle = await job_row(runtime, parent.id)
            assert (middle.state, middle.error["message"]) == (JobState.FAILED, f"child job {bad.id} failed")
            assert (top.state, top.error["message"]) == (JobState.FAILED, f"child job {parent.id} failed")
            assert (await job_row(runtime, bad.id)).attempts == 2  # retried before giving up
            assert "parent" not in ran and "grandparent" not in ran

    run(scenario())


def test_pausing_stops_claims_but_lets_running_jobs_finish(jobs_config, job_types):
    gate = None
    started = []

    async def gated(ctx):
        started.append(ctx.payload["name"])
        if ctx.payload["name"] == "first":
            await gate.wait()

    type_ = job_types(gated)

    async def scenario():
        nonlocal gate
        gate = asyncio.Event()
        async with open_runtime(jobs_config) as runtime:
            try:
                async with running_worker(runtime, [type_]):
                    first = await _enqueue(runtime, type_, {"name": "first"})
                    await wait_for_state(runtime, first, JobState.ACTIVE)
                    async with runtime.db.transaction() as session:
                        await set_paused(session, True)
                    second = await _enqueue(runtime, type_, {"name": "second"})
                    gate.set()
                    await wait_for_state(runtime, first, JobState.COMPLETED)
                    await asyncio.sleep(0.5)  # ten polls: room for a wrong claim
                    assert (await job_row(runtime, second)).state == JobState.WAITING
                    assert started == ["first"]
                    async with runtime.db.transaction() as session:
                        await set_paused(session, False)
                    await wait_for_state(runtime, second, JobState.COMPLETED)
            finally:
                async with runtime.db.transaction() as session:
                    await set_paused(session, False)
            assert started == ["first", "second"]

    run(scenario())


def test_shutdown_hands_back_unfinished_jobs(jobs_config, job_types):
    runs = []

    async def slow(ctx):
        runs.append(ctx.attempt)
        if len(runs) == 1:
            await asyncio.sleep(3600)

    type_ = job_types(slow)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with running_worker(runtime, [type_], shutdown_grace=0.2):
                job_id = await _enqueue(runtime, type_)
                await wait_for_state(runtime, job_id, JobState.ACTIVE)
            row = await job_row(runtime, job_id)
            # handed back at once, and the interrupted run is not counted against the job
            assert (row.state, row.attempts, row.worker_id) == (JobState.WAITING, 0, None)
            async with running_worker(runtime, [type_]):
                row = await wait_for_state(runtime, job_id, JobState.COMPLETED)
            assert runs == [1, 1]

    run(scenario())


def test_a_running_job_keeps_its_lease(jobs_config, job_types):
    """A job running for several lease periods is renewed, so no other worker takes it."""
    runs = []

    async def long_running(ctx):
        runs.append(ctx.attempt)
        await asyncio.sleep(5)

    type_ = job_types(long_running)

    async def scenario():
        # 2.5 lease periods: renewals are needed, and a loaded test machine still renews in time
        async with open_runtime(jobs_config) as runtime:
            async with running_worker(runtime, [type_], lease=2.0) as first:
                async with running_worker(runtime, [type_], lease=2.0) as second:
                    job_id = await _enqueue(runtime, type_)
                    row = await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED)
            assert row.state == JobState.COMPLETED and runs == [1] and row.attempts == 1
            assert first.worker_id != second.worker_id

    run(scenario())
