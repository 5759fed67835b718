"""The planner's statistics on SQLite: analysed when a table changed a lot, not otherwise; and the
video search's plan starts from the full-text matches whether statistics exist or not."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from vidpub.config import load_config
from vidpub.db import Database, statistics
from vidpub.db.migrate import refresh_statistics, upgrade
from vidpub.services.videos import queries
from vidpub.services.videos.queries import VideoFilters


async def _add_tags(db: Database, first: int, count: int) -> None:
    async with db.transaction() as session:
        await session.execute(sa.insert(sa.table("tag", sa.column("name"))),
                              [{"name": f"tag{number}"} for number in range(first, first + count)])


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    """A migrated SQLite database, never analysed."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'vidpub.sqlite3'}"
    upgrade(url)
    return url


async def _analysed_tables(db: Database) -> set[str]:
    async with db.session(write=False) as session:
        if (await session.execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"))).first() is None:
            return set()
        return set((await session.execute(sa.text("SELECT DISTINCT tbl FROM sqlite_stat1"))).scalars())


def test_sqlite_tables_are_analysed_once_they_grew(sqlite_url):
    async def scenario():
        db = Database(sqlite_url)
        try:
            rounds = [await statistics.refresh(db)]             # small tables: no reason to analyse
            await _add_tags(db, 0, statistics.MIN_ROWS + 200)
            rounds.append(await statistics.refresh(db))        # a big table never analysed
            analysed = await _analysed_tables(db)
            rounds.append(await statistics.refresh(db))        # nothing changed since
            await _add_tags(db, 10_000, 100)
            rounds.append(await statistics.refresh(db))        # +8 %: still described well enough
            await _add_tags(db, 20_000, 600)
            rounds.append(await statistics.refresh(db))        # +50 % since the analysis
            return rounds, analysed
        finally:
            await db.dispose()

    rounds, analysed = asyncio.run(scenario())
    assert rounds == [[], ["tag"], [], [], ["tag"]]
    assert "tag" in analysed


def test_migrate_refreshes_the_statistics_of_a_grown_database(sqlite_url):
    async def grow():
        db = Database(sqlite_url)
        try:
            await _add_tags(db, 0, statistics.MIN_ROWS)
        finally:
            await db.dispose()

    asyncio.run(grow())
    assert refresh_statistics(sqlite_url) == ["tag"]
    assert refresh_statistics(sqlite_url) == []


def test_postgresql_is_left_to_its_autovacuum(backend, database_url_factory):
    if backend != "postgres":
        pytest.skip("PostgreSQL only")
    url = database_url_factory()
    upgrade(url)

    async def scenario():
        db = Database(url)
        try:
            await _add_tags(db, 0, statistics.MIN_ROWS + 10)
            return await statistics.refresh(db)
        finally:
            await db.dispose()

    assert asyncio.run(scenario()) == []


@pytest.mark.parametrize("sort", ["-match", "-publishedAt"])
def test_sqlite_search_plan_starts_from_the_matches_without_statistics(tmp_path, sqlite_url, sort):
    """Without statistics SQLite assumed the video table small enough to walk, probing the full-text
    index for every row (seconds at 100,000 videos): the matches must lead, whatever the sort."""
    config = load_config(None, tmp_path, environ={})

    async def plan() -> list[str]:
        db = Database(sqlite_url)
        steps: list[str] = []

        def explain(conn, cursor, statement, parameters, context, executemany):
            return f"EXPLAIN QUERY PLAN {statement}", parameters

        def read_plan(conn, cursor, statement, parameters, context, executemany):
            steps.extend(row[3] for row in cursor.fetchall())  # taken before the result reads typed columns

        sa.event.listen(db.engine.sync_engine, "before_cursor_execute", explain, retval=True)
        sa.event.listen(db.engine.sync_engine, "after_cursor_execute", read_plan)
        try:
            async with db.session(write=False) as session:
                connection = await session.connection()
                _, statements = queries.list_statements("sqlite", config, VideoFilters(search="ocean sunset"), sort, None)
                await connection.execute(statements.ids, {"page_start": 0, "page_count": 15})
                return steps
        finally:
            await db.dispose()

    steps = asyncio.run(plan())
    assert not any(step.startswith("SCAN video_fts VIRTUAL TABLE INDEX 0:=") for step in steps), steps
    first_table = next(step for step in steps if step.startswith(("SCAN", "SEARCH")))
    assert first_table.startswith("SCAN video_fts VIRTUAL TABLE"), steps
