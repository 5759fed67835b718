"""The query planner's statistics on SQLite (`sqlite_stat1`), kept fresh by Vidpub itself.

SQLite plans with table statistics only once something runs `ANALYZE`, and nothing runs it on its
own. Without them, at 100,000 videos, a two-word search planned the video table first and probed the
full-text index once per video (longer than 3 s, against 3 ms), and the front page took 60 ms
instead of under 1. So a housekeeping job (and `vidpub migrate`) analyses the database again whenever
a table has grown or shrunk by a quarter since it was last analysed: `ANALYZE` of 100,000 videos
takes about 0.1 s, under the write lock, so it does not run when nothing changed.

PostgreSQL's autovacuum analyses its tables by itself: nothing to do there.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from vidpub.db import Database

log = logging.getLogger("vidpub.db.statistics")

DRIFT = 0.25        # a table whose row count moved by this fraction since its last analysis is re-analysed
MIN_ROWS = 1_000    # smaller tables are fast whatever the plan: their growth alone is no reason


async def _analysed_rows(connection: AsyncConnection) -> dict[str, int]:
    """Rows of each table when it was last analysed (the first number of its indexes' `stat`)."""
    exists = (await connection.execute(sa.text(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"))).first()
    if exists is None:
        return {}
    rows: dict[str, int] = {}
    for table, stat in await connection.execute(sa.text("SELECT tbl, stat FROM sqlite_stat1")):
        head = (stat or "").split(" ", 1)[0]
        if head.isdigit():
            rows[table] = max(rows.get(table, 0), int(head))
    return rows


async def _indexed_tables(connection: AsyncConnection) -> list[str]:
    """Ordinary tables with at least one index (statistics are about indexes)."""
    result = await connection.execute(sa.text(
        "SELECT DISTINCT tbl_name FROM sqlite_master WHERE type = 'index' AND tbl_name NOT LIKE 'sqlite_%'"))
    return sorted(result.scalars())


async def stale_tables(connection: AsyncConnection) -> list[str]:
    """The tables whose statistics no longer describe them (absent, or a quarter off)."""
    analysed = await _analysed_rows(connection)
    stale = []
    for table in await _indexed_tables(connection):
        count = (await connection.execute(sa.text(f'SELECT count(*) FROM "{table}"'))).scalar_one()
        before = analysed.get(table)
        if before is None:
            if count >= MIN_ROWS:
                stale.append(table)
        elif max(count, before) >= MIN_ROWS and abs(count - before) > DRIFT * max(before, 1):
            stale.append(table)
    return stale


async def refresh(db: Database) -> list[str]:
    """Analyse the database if some table's statistics are stale; the tables that were, [] when
    nothing needed it (and always on PostgreSQL)."""
    if not db.is_sqlite:
        return []
    async with db.session(write=False) as session:
        stale = await stale_tables(await session.connection())
    if not stale:
        return []
    async with db.transaction() as session:
        # one ANALYZE of everything: tables are compared with each other when planning a join
        await session.execute(sa.text("ANALYZE"))
    log.info("planner statistics refreshed (stale: %s)", ", ".join(stale))
    return stale
