"""The SQLite driver (`db/sqlite_driver.py`): one trip to aiosqlite's thread per statement, none for
the reads of a read-only session (unless one runs out of time), with what the stock adapter gives
SQLAlchemy (rows, row counts, inserted ids, sqlite3's errors)."""

from __future__ import annotations

import asyncio

import aiosqlite
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from vidpub.db import Database, sqlite_driver

_things = sa.Table("thing", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                   sa.Column("name", sa.String, unique=True, nullable=False))


def _run(tmp_path, scenario):
    async def main():
        db = Database(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}")
        try:
            async with db.engine.begin() as connection:
                await connection.run_sync(_things.metadata.create_all)
            return await scenario(db)
        finally:
            await db.dispose()

    return asyncio.run(main())


def test_rows_counts_and_inserted_ids_are_the_statements(tmp_path):
    async def scenario(db):
        async with db.transaction() as session:
            inserted = await session.execute(sa.insert(_things).values(name="a"))
            many = await session.execute(sa.insert(_things), [{"name": "b"}, {"name": "c"}, {"name": "d"}])
            updated = await session.execute(sa.update(_things).where(_things.c.name != "a").values(name=_things.c.name + "!"))
            returned = (await session.execute(sa.delete(_things).where(_things.c.name == "d!").returning(_things.c.id))).all()
        async with db.session(write=False) as session:
            result = await session.execute(sa.select(_things.c.id, _things.c.name).order_by(_things.c.id))
            columns, rows = list(result.keys()), result.all()
        return inserted.inserted_primary_key, many.rowcount, updated.rowcount, returned, columns, rows

    first_id, many, updated, returned, columns, rows = _run(tmp_path, scenario)
    assert tuple(first_id) == (1,)
    assert many == 3 and updated == 3
    assert returned == [(4,)]
    assert columns == ["id", "name"]
    assert [tuple(row) for row in rows] == [(1, "a"), (2, "b!"), (3, "c!")]


def test_sqlite_errors_reach_the_caller_as_sqlalchemy_errors(tmp_path):
    async def scenario(db):
        caught = []
        for statement in (sa.insert(_things).values(name=None), sa.text("SELECT no_such_column FROM thing")):
            try:
                async with db.transaction() as session:
                    await session.execute(sa.insert(_things).values(name="kept only if committed"))
                    await session.execute(statement)
            except Exception as error:  # noqa: BLE001 - the type is what is checked
                caught.append(error)
        async with db.session(write=False) as session:
            left = (await session.execute(sa.select(sa.func.count()).select_from(_things))).scalar()
            try:  # a read run in the event loop's thread
                await session.execute(sa.text("SELECT no_such_column FROM thing"))
            except Exception as error:  # noqa: BLE001 - the type is what is checked
                caught.append(error)
        return caught, left

    caught, left = _run(tmp_path, scenario)
    assert isinstance(caught[0], IntegrityError) and isinstance(caught[1], OperationalError)
    assert isinstance(caught[2], OperationalError)
    assert left == 0  # both transactions rolled back


def _count_trips(monkeypatch) -> list[str]:
    """The functions sent to a connection's thread from now on."""
    trips = []
    execute = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        trips.append(getattr(fn, "__name__", repr(fn)))
        return await execute(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
    return trips


def test_a_statement_is_one_trip_to_the_connection_thread_and_a_read_none(tmp_path, monkeypatch):
    """The stock adapter makes about four trips per statement (cursor, execute, fetch, close)."""
    async def scenario(db):
        for write in (True, False):  # open the pooled connection first
            async with db.session(write=write) as session:
                await session.execute(sa.text("SELECT 1"))
        trips = _count_trips(monkeypatch)
        counted = {}
        for write in (True, False):
            trips.clear()
            async with db.session(write=write) as session:
                rows = []
                for _ in range(3):
                    rows += (await session.execute(sa.select(_things.c.name))).all()
            counted[write] = (rows, list(trips))
        return counted

    counted = _run(tmp_path, scenario)
    # BEGIN, three SELECTs and the ROLLBACK (the pool's own rollback, with no transaction left, stays home)
    assert counted[True] == ([], ["_run"] * 4 + ["rollback"])
    assert counted[False] == ([], [])  # a read-only session's statements ran in the event loop's thread


def test_a_read_running_out_of_time_moves_to_the_thread_within_its_transaction(tmp_path, monkeypatch):
    """A read longer than INLINE_READ_BUDGET_S is interrupted and run again in the connection's thread,
    in the same read transaction: it still sees the snapshot its transaction started with."""
    slow = sa.text("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000) "
                   "SELECT count(*), (SELECT count(*) FROM thing) FROM n")
    assert sqlite_driver.INLINE_READ_BUDGET_S < 0.1  # the slow read takes far longer on any machine

    async def scenario(db):
        async with db.session(write=False) as session:
            before = (await session.execute(sa.select(sa.func.count()).select_from(_things))).scalar()
            async with db.transaction() as writer:  # committed after the reader's snapshot
                await writer.execute(sa.insert(_things).values(name="later"))
            trips = _count_trips(monkeypatch)
            counted, seen = (await session.execute(slow)).one()
            moved = list(trips)
            after = (await session.execute(sa.select(sa.func.count()).select_from(_things))).scalar()
        async with db.session(write=False) as session:
            fresh = (await session.execute(sa.select(sa.func.count()).select_from(_things))).scalar()
        return before, counted, seen, moved, after, fresh

    before, counted, seen, moved, after, fresh = _run(tmp_path, scenario)
    assert counted == 3000000 and moved == ["_run"]
    assert (before, seen, after, fresh) == (0, 0, 0, 1)


def test_a_read_in_the_event_loop_thread_lets_waiting_tasks_run(tmp_path):
    """A read done in the event loop's thread still goes back to the loop, as a trip to the thread would:
    requests that arrived meanwhile are not kept waiting behind every read of the current one."""
    async def scenario(db):
        ran = []

        async def waiting():
            ran.append("ran")

        async with db.session(write=False) as session:
            await session.execute(sa.text("SELECT 1"))
            task = asyncio.get_running_loop().create_task(waiting())
            await session.execute(sa.select(_things.c.name))
            ran_by_then = list(ran)
        await task
        return ran_by_then

    assert _run(tmp_path, scenario) == ["ran"]
