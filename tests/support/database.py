"""Direct access to a test server's database, for checking what it stores (never to fake state an
API can create)."""

from __future__ import annotations

import asyncio
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.server import ServerProcess


def database_url(server: ServerProcess) -> str:
    url = server.config.get("database", {}).get("url")
    return url or f"sqlite+aiosqlite:///{server.data_dir / 'vidpub.sqlite3'}"


def run_sql(server: ServerProcess, statement: str, params: dict[str, Any] | None = None) -> list[tuple]:
    """Run one statement in its own transaction; returns the rows of a query (else [])."""

    async def run() -> list[tuple]:
        engine = create_async_engine(database_url(server))
        try:
            async with engine.begin() as connection:
                result = await connection.execute(sa.text(statement), params or {})
                return [tuple(row) for row in result] if result.returns_rows else []
        finally:
            await engine.dispose()

    return asyncio.run(run())


def enqueue_job(server: ServerProcess, job_type: str, payload: dict | None = None) -> None:
    """Queue a job of the server's own kinds now (a periodic one whose time has not come, such as
    the hourly clean-ups), through the job queue's own function; the server's workers run it."""
    from vidpub.db import Database
    from vidpub.jobs.queue import enqueue

    async def run() -> None:
        db = Database(database_url(server), pool_size=1)
        try:
            async with db.transaction() as session:
                enqueue(session, job_type, payload or {})
        finally:
            await db.dispose()

    asyncio.run(run())
