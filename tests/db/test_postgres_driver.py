"""The PostgreSQL driver (`db/postgres_driver.py`): a read session's plain SELECTs run outside a
transaction and pass the read gate; its first other statement opens the transaction that commit and
rollback then end, as in a write session."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from vidpub.db import Database, postgres_driver

_things = sa.Table("thing", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("name", sa.String, nullable=False))
_TIMED_SLEEP = "SELECT clock_timestamp() AS started, pg_sleep(:seconds), clock_timestamp() AS ended"


@pytest.fixture(scope="module")
def database_url(postgres_cluster):
    url = postgres_cluster.create_database()

    async def create():
        db = Database(url)
        async with db.engine.begin() as connection:
            await connection.run_sync(_things.metadata.create_all)
            await connection.execute(sa.insert(_things), [{"id": 1, "name": "one"}, {"id": 2, "name": "two"}])
        await db.dispose()

    asyncio.run(create())
    return url


def _run(url, scenario, **options):
    async def main():
        db, observer = Database(url, **options), Database(url, pool_size=1)
        try:
            return await scenario(db, observer)
        finally:
            await db.dispose()
            await observer.dispose()

    return asyncio.run(main())


async def _state(observer: Database, pid: int) -> str:
    """What the backend `pid` is doing between statements: 'idle', or 'idle in transaction'."""
    async with observer.session(write=False) as session:
        query = sa.text("SELECT state FROM pg_stat_activity WHERE pid = :pid")
        return (await session.execute(query, {"pid": pid})).scalar_one()


def test_a_read_session_holds_no_transaction_between_its_selects(database_url):
    async def scenario(db, observer):
        async with db.session(write=False) as session:
            pid = (await session.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
            after_read = await _state(observer, pid)
            names = (await session.execute(sa.select(_things.c.name).order_by(_things.c.id))).scalars().all()
        async with db.session(write=True) as session:
            await session.execute(sa.select(_things.c.id).limit(1))
            writer_pid = (await session.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
            in_write_session = await _state(observer, writer_pid)
        return after_read, names, in_write_session

    after_read, names, in_write_session = _run(database_url, scenario)
    assert after_read == "idle"
    assert names == ["one", "two"]
    assert in_write_session == "idle in transaction"  # a write session's reads are in its transaction


def test_a_read_session_that_writes_gets_a_transaction_its_rollback_undoes(database_url):
    async def scenario(db, observer):
        async with db.session(write=False) as session:
            await session.execute(sa.select(_things.c.name))
            await session.execute(sa.update(_things).where(_things.c.id == 1).values(name="changed"))
            pid = (await session.execute(sa.text("SELECT pg_backend_pid()"))).scalar_one()
            after_write = await _state(observer, pid)
            seen_inside = (await session.execute(sa.select(_things.c.name).where(_things.c.id == 1))).scalar_one()
            await session.rollback()
        async with db.session(write=False) as session:
            after_rollback = (await session.execute(sa.select(_things.c.name).where(_things.c.id == 1))).scalar_one()
        async with db.session(write=False) as session:
            await session.execute(sa.update(_things).where(_things.c.id == 2).values(name="committed"))
            await session.commit()
        async with db.session(write=False) as session:
            after_commit = (await session.execute(sa.select(_things.c.name).where(_things.c.id == 2))).scalar_one()
        async with db.transaction() as session:
            await session.execute(sa.update(_things).where(_things.c.id == 2).values(name="two"))
        return after_write, seen_inside, after_rollback, after_commit

    after_write, seen_inside, after_rollback, after_commit = _run(database_url, scenario)
    assert after_write == "idle in transaction"
    assert seen_inside == "changed"  # the statements after the write share its transaction
    assert after_rollback == "one"
    assert after_commit == "committed"


def test_a_select_for_update_in_a_read_session_holds_its_lock_to_the_end(database_url):
    async def scenario(db, observer):
        async with db.session(write=False) as session:
            await session.execute(sa.select(_things.c.id).where(_things.c.id == 1).with_for_update())
            async with observer.session(write=True) as other:
                try:
                    await other.execute(sa.select(_things.c.id).where(_things.c.id == 1).with_for_update(nowait=True))
                    locked_out = False
                except DBAPIError:
                    locked_out = True
        return locked_out

    assert _run(database_url, scenario) is True


def _overlap(first, second) -> bool:
    return first.started < second.ended and second.started < first.ended


async def _timed_sleep(db: Database, seconds: float, *, write: bool = False):
    """(started, _, ended) of one `pg_sleep` in a read session, or in a write session's transaction."""
    async with db.session(write=write) as session:
        return (await session.execute(sa.text(_TIMED_SLEEP), {"seconds": seconds})).one()


def test_the_read_gate_runs_no_more_reads_at_once_than_its_limit(database_url, monkeypatch):
    monkeypatch.setattr(postgres_driver, "READ_SLOT_S", 10.0)

    async def scenario(db, _observer):
        async def write_session_read():
            await asyncio.sleep(0.05)  # while the first read holds the only place
            return await _timed_sleep(db, 0.05, write=True)

        return await asyncio.gather(_timed_sleep(db, 0.2), _timed_sleep(db, 0.2), write_session_read())

    first, second, in_transaction = _run(database_url, scenario, reads_in_flight=1)
    assert not _overlap(first, second)
    assert _overlap(first, in_transaction) or _overlap(second, in_transaction)  # transactions never wait


def test_a_read_running_past_its_slot_lets_the_next_one_start(database_url, monkeypatch):
    monkeypatch.setattr(postgres_driver, "READ_SLOT_S", 0.02)

    async def scenario(db, _observer):
        return await asyncio.gather(_timed_sleep(db, 0.3), _timed_sleep(db, 0.3))

    first, second = _run(database_url, scenario, reads_in_flight=1)
    assert _overlap(first, second)
