"""The scheduler: one job per time slot, however many processes run it."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from tests.jobs.helpers import open_runtime, run
from vidpub.db.models import Job
from vidpub.jobs.registry import load_handlers
from vidpub.jobs.scheduler import SCHEDULES, enqueue_due


async def _slot_jobs(runtime, slot_time: float) -> list[str]:
    keys = [f"{s.type}@{int(slot_time // s.every)}" for s in SCHEDULES]
    async with runtime.db.session(write=False) as session:
        return sorted((await session.execute(sa.select(Job.dedupe_key).where(Job.dedupe_key.in_(keys)))).scalars())


def test_each_slot_is_enqueued_once_across_processes(jobs_config):
    load_handlers()
    # a moment no other test uses: the slot keys are global to the table
    moment = 4_000_000_000.0 + (0 if jobs_config.database_url.startswith("sqlite") else 10 ** 7)

    async def scenario():
        # two processes' worth of engines ticking at the same moment
        async with open_runtime(jobs_config) as first, open_runtime(jobs_config) as second:
            created = await asyncio.gather(*(enqueue_due(runtime, now=moment)
                                             for runtime in (first, second, first, second)))
            assert sum(created) == len(SCHEDULES)
            assert await enqueue_due(first, now=moment + 1) == 0  # same slot
            keys = await _slot_jobs(first, moment)
            assert keys == sorted(f"{s.type}@{int(moment // s.every)}" for s in SCHEDULES)

            later = moment + max(s.every for s in SCHEDULES)
            assert await enqueue_due(second, now=later) == len(SCHEDULES)
            assert len(await _slot_jobs(first, later)) == len(SCHEDULES)

    run(scenario())
