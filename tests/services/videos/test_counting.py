"""Totals of large lists are remembered for a few seconds; small ones are always counted. On a real
database of each backend, with the threshold lowered so that a few rows make a "large" total."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from vidpub.db import Database
from vidpub.services.videos import counting

ROWS = sa.table("counted_rows", sa.column("id"))


async def _scenario(url: str, monkeypatch) -> list[int]:
    monkeypatch.setattr(counting, "LARGE_TOTAL", 3)
    monkeypatch.setattr(counting, "REMEMBERED_SECONDS", 10.0)
    now = [1000.0]
    monkeypatch.setattr(counting, "_clock", lambda: now[0])
    db = Database(url)
    seen = []
    try:
        async with db.engine.begin() as connection:
            await connection.execute(sa.text("CREATE TABLE counted_rows (id integer primary key)"))
        statement = sa.select(sa.func.count()).select_from(ROWS)

        async def add_and_count(key, rows: int) -> int:
            async with db.engine.begin() as connection:
                if rows:
                    start = (await connection.execute(sa.text("SELECT count(*) FROM counted_rows"))).scalar_one()
                    await connection.execute(sa.text("INSERT INTO counted_rows (id) VALUES (:id)"),
                                             [{"id": start + index + 1} for index in range(rows)])
                return await counting.count(connection, key, statement)

        seen.append(await add_and_count("small", 2))   # 2: below the threshold, counted
        seen.append(await add_and_count("small", 0))
        seen.append(await add_and_count("small", 1))   # 3: large from now on, remembered
        seen.append(await add_and_count("small", 5))   # still 3: the remembered total
        seen.append(await add_and_count("other", 0))   # another list (key): counted, 8
        now[0] += 9
        seen.append(await add_and_count("small", 0))   # 9 s later: still 3
        now[0] += 2
        seen.append(await add_and_count("small", 0))   # expired: counted again, 8
        seen.append(await add_and_count("small", 1))   # 9 rows, but 8 remembered
    finally:
        await db.dispose()
    return seen


def test_large_totals_are_remembered(database_url_factory, monkeypatch):
    counting._totals.clear()
    try:
        assert asyncio.run(_scenario(database_url_factory(), monkeypatch)) == [2, 2, 3, 3, 8, 3, 8, 8]
    finally:
        counting._totals.clear()
