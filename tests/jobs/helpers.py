"""Helpers of the job tests: a migrated database, a runtime, an in-process worker, polling."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import sqlalchemy as sa

from vidpub.config import Config, load_config
from vidpub.db import Database
from vidpub.db.migrate import upgrade
from vidpub.db.models import Job
from vidpub.jobs.registry import REGISTRY
from vidpub.jobs.worker import Worker
from vidpub.runtime import Runtime
from vidpub.services.installer import install


def run(coroutine: Awaitable):
    """Each test drives its own event loop (engines are bound to the loop that made them)."""
    return asyncio.run(coroutine)


def make_database(url: str, data_dir, extra_env: dict | None = None) -> Config:
    """Migrate and install a fresh database; the configuration of a process using it."""
    upgrade(url)
    config = load_config(None, data_dir, environ={"VIDPUB_DATABASE__URL": url, **(extra_env or {})})

    async def first_boot():
        db = Database(url, pool_size=1)
        try:
            await install(db, config, "installer-password")
        finally:
            await db.dispose()

    run(first_boot())
    return config


@contextlib.asynccontextmanager
async def open_runtime(config: Config) -> AsyncIterator[Runtime]:
    db = Database(config.database_url, pool_size=5)
    try:
        yield Runtime(config, db)
    finally:
        await db.dispose()


@contextlib.asynccontextmanager
async def running_worker(runtime: Runtime, types: list[str], **options) -> AsyncIterator[Worker]:
    settings = dict(poll_interval=0.05, lease=30.0, retry_backoff=0.05, shutdown_grace=5.0)
    settings.update(options)
    worker = Worker(runtime, {t: REGISTRY[t] for t in types}, **settings)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop))
    try:
        yield worker
    finally:
        stop.set()
        await task


async def job_row(runtime: Runtime, job_id: int) -> Job | None:
    async with runtime.db.session(write=False) as session:
        return (await session.execute(sa.select(Job).where(Job.id == job_id))).scalar_one_or_none()


async def wait_until(predicate: Callable[[], Awaitable], timeout: float = 30, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(interval)


async def wait_for_state(runtime: Runtime, job_id: int, *states: str, timeout: float = 30) -> Job:
    async def reached():
        row = await job_row(runtime, job_id)
        return row if row is not None and row.state in states else None

    return await wait_until(reached, timeout)
