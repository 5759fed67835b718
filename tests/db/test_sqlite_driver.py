"""The SQLite driver (`db/sqlite_driver.py`): one trip to aiosqlite's thread per statement, with what
the stock adapter gives SQLAlchemy (rows, row counts, inserted ids, sqlite3's errors)."""

from __future__ import annotations

import asyncio

import aiosqlite
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, OperationalError

from vidpub.db import Database

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
        return caught, left

    caught, left = _run(tmp_path, scenario)
    assert isinstance(caught[0], IntegrityError) and isinstance(caught[1], OperationalError)
    assert left == 0  # both transactions rolled back


def test_a_statement_is_one_trip_to_the_connection_thread(tmp_path, monkeypatch):
    """The stock adapter makes about four trips per statement (cursor, execute, fetch, close)."""
    trips = []
    execute = aiosqlite.Connection._execute

    async def counted(self, fn, *args, **kwargs):
        trips.append(getattr(fn, "__name__", repr(fn)))
        return await execute(self, fn, *args, **kwargs)

    async def scenario(db):
        async with db.session(write=False) as session:
            await session.execute(sa.text("SELECT 1"))  # opens the pooled connection first
        trips.clear()
        monkeypatch.setattr(aiosqlite.Connection, "_execute", counted)
        async with db.session(write=False) as session:
            rows = []
            for _ in range(3):
                rows += (await session.execute(sa.select(_things.c.name))).all()
        return rows, list(trips)

    rows, trips = _run(tmp_path, scenario)
    assert rows == []
    # BEGIN, three SELECTs and the ROLLBACK (the pool's own rollback, with no transaction left, stays home)
    assert trips == ["_run"] * 4 + ["rollback"], trips
