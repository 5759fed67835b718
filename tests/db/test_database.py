"""The database layer: SQLite's settings and its write lock discipline, migrations on both backends."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from vidpub.db import Database
from vidpub.db.migrate import upgrade
from vidpub.db.models import Application


def test_migrations_create_every_table(database_url_factory):
    url = database_url_factory()
    upgrade(url)
    upgrade(url)  # idempotent

    async def tables():
        db = Database(url)
        async with db.engine.connect() as conn:
            names = await conn.run_sync(lambda sync: sa.inspect(sync).get_table_names())
        await db.dispose()
        return set(names)

    assert {"user", "account", "actor", "video_channel", "oauth_token", "job", "application"} <= asyncio.run(tables())


def test_sqlite_connection_settings(tmp_path):
    async def pragmas():
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
        async with db.session(write=False) as session:
            values = [(await session.execute(sa.text(f"PRAGMA {name}"))).scalar()
                      for name in ("journal_mode", "foreign_keys", "busy_timeout", "mmap_size")]
        await db.dispose()
        return values

    journal, foreign_keys, busy, mmap_size = asyncio.run(pragmas())
    assert journal == "wal" and foreign_keys == 1 and busy >= 5000
    assert mmap_size > 0  # reads through a memory map of the file (0: SQLite built without it)


def test_sqlite_read_then_write_transactions_never_fail_busy(tmp_path):
    """Writers take the lock when they begin, so a read-then-write transaction cannot hit
    SQLITE_BUSY on lock upgrade however many run at once; readers keep going meanwhile."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)

    async def scenario():
        db = Database(url, pool_size=10)
        async with db.transaction() as session:
            session.add(Application(id=1, secret="s", custom_config={}, custom_config_version=0))

        async def increment():
            async with db.transaction() as session:
                version = (await session.execute(sa.select(Application.custom_config_version))).scalar_one()
                await asyncio.sleep(0.001)  # let the other transactions interleave
                await session.execute(sa.update(Application).values(custom_config_version=version + 1))

        async def read():
            async with db.session(write=False) as session:
                return (await session.execute(sa.select(Application.custom_config_version))).scalar_one()

        results = await asyncio.gather(*[increment() for _ in range(30)], *[read() for _ in range(30)])
        final = await read()
        await db.dispose()
        return results, final

    results, final = asyncio.run(scenario())
    assert final == 30  # no lost update, no "database is locked"
    assert all(0 <= r <= 30 for r in results[30:])


def test_migrations_match_the_models(database_url_factory):
    """A model change without its migration would pass every other test on a fresh database."""
    import warnings

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from vidpub.db.base import Base
    from vidpub.db.migrate import include_name

    url = database_url_factory()
    upgrade(url)

    async def diff():
        db = Database(url)
        async with db.engine.connect() as conn:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # expression indexes cannot be reflected on SQLite
                result = await conn.run_sync(lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"include_name": include_name}), Base.metadata))
        await db.dispose()
        return result

    assert asyncio.run(diff()) == []


def test_a_postgresql_connection_dropped_while_idle_is_replaced_before_use(database_url_factory, backend,
                                                                           monkeypatch):
    """A pooled connection idle for longer than POSTGRES_IDLE_PING_S is pinged when taken, and replaced
    if the server dropped it (here: any idle time, and the server ends its session)."""
    if backend != "postgres":
        pytest.skip("PostgreSQL only")
    url = database_url_factory()
    monkeypatch.setattr("vidpub.db.POSTGRES_IDLE_PING_S", 0.0)

    async def scenario():
        db, admin = Database(url, pool_size=1), Database(url, pool_size=1)
        try:
            async with db.session(write=False) as session:
                first = (await session.execute(sa.text("SELECT pg_backend_pid()"))).scalar()
            async with admin.engine.connect() as connection:
                await connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
            await asyncio.sleep(0.2)  # the backend exits
            async with db.session(write=False) as session:
                second = (await session.execute(sa.text("SELECT pg_backend_pid()"))).scalar()
            return first, second
        finally:
            await db.dispose()
            await admin.dispose()

    first, second = asyncio.run(scenario())
    assert second != first
