"""Enqueueing: the job row belongs to the caller's transaction; dedupe keys; parent/child flows."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.jobs.helpers import job_row, open_runtime, run
from vidpub.db.models import Job, JobState
from vidpub.jobs.queue import enqueue, enqueue_unique


async def _noop(ctx):
    return None


async def _jobs_of(runtime, type_: str) -> list[Job]:
    async with runtime.db.session(write=False) as session:
        return list((await session.execute(sa.select(Job).where(Job.type == type_).order_by(Job.id))).scalars())


def test_enqueue_is_part_of_the_callers_transaction(jobs_config, job_types):
    type_ = job_types(_noop, attempts=4, priority=42)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            with pytest.raises(RuntimeError):
                async with runtime.db.transaction() as session:
                    enqueue(session, type_, {"n": 1})
                    await session.flush()  # the row reached the database, inside the transaction
                    raise RuntimeError("the caller's state change failed")
            assert await _jobs_of(runtime, type_) == []

            async with runtime.db.transaction() as session:
                job = enqueue(session, type_, {"n": 2}, delay=3600)
            row = await job_row(runtime, job.id)
            assert (row.payload, row.state, row.priority, row.max_attempts, row.attempts) == (
                {"n": 2}, JobState.WAITING, 42, 4, 0)
            assert row.run_at > row.created_at
            assert [j.id for j in await _jobs_of(runtime, type_)] == [job.id]

    run(scenario())


def test_enqueue_refuses_unknown_types(jobs_config):
    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with runtime.db.transaction() as session:
                with pytest.raises(ValueError, match="unknown job type"):
                    enqueue(session, "no-such-job-type")

    run(scenario())


def test_dedupe_key_enqueues_once(jobs_config, job_types):
    type_ = job_types(_noop)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with runtime.db.transaction() as session:
                assert await enqueue_unique(session, type_, f"{type_}@slot-1", {"first": True}) is True
            async with runtime.db.transaction() as session:
                assert await enqueue_unique(session, type_, f"{type_}@slot-1", {"first": False}) is False
                assert await enqueue_unique(session, type_, f"{type_}@slot-2") is True
            jobs = await _jobs_of(runtime, type_)
            assert [(j.dedupe_key, j.payload) for j in jobs] == [
                (f"{type_}@slot-1", {"first": True}), (f"{type_}@slot-2", {})]

    run(scenario())


def test_children_are_enqueued_with_their_parent(jobs_config, job_types):
    type_ = job_types(_noop)

    async def scenario():
        async with open_runtime(jobs_config) as runtime:
            async with runtime.db.transaction() as session:
                parent = enqueue(session, type_, {"role": "parent"})
                children = [enqueue(session, type_, {"role": "child"}, parent=parent) for _ in range(2)]
            row = await job_row(runtime, parent.id)
            assert (row.state, row.pending_children) == (JobState.WAITING_CHILDREN, 2)
            for child in children:
                assert (await job_row(runtime, child.id)).parent_id == parent.id

            # a committed parent may already be running: too late to make it wait
            async with runtime.db.transaction() as session:
                stored = await session.get(Job, parent.id)
                with pytest.raises(ValueError, match="transaction that enqueues their parent"):
                    enqueue(session, type_, parent=stored)

    run(scenario())
