"""SQLite's full-text indexes (FTS5) kept in few segments.

FTS5 writes every change as a new small segment and merges segments level by level (`automerge`),
which leaves a large index in a dozen or more segments; a query reads and merges the doclists of each.
At 100,000 videos the seeded index had 18: the two-word search's match went 0.49 → 0.37 ms and the
match with its bm25 1.19 → 1.0 ms once FTS5's `optimize` had merged them into one, which took 0.35 s
under the write lock. So the housekeeping job that refreshes the planner statistics (every 15 minutes)
also optimises an index once it has more than MAX_SEGMENTS segments; new changes then land in small
segments beside the big one, and it takes many of them to get there again.

PostgreSQL's GIN indexes keep their pending entries merged by themselves (autovacuum): nothing to do.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from vidpub.db import Database

log = logging.getLogger("vidpub.db.fulltext_segments")

FULLTEXT_TABLES = ("video_fts", "video_channel_fts", "video_playlist_fts")
MAX_SEGMENTS = 8


async def segment_counts(connection: AsyncConnection) -> dict[str, int]:
    """Segments of each full-text index (every segment has at least one row in its `_idx` table)."""
    counts = {}
    for table in FULLTEXT_TABLES:
        counts[table] = (await connection.execute(
            sa.text(f"SELECT count(DISTINCT segid) FROM {table}_idx"))).scalar_one()
    return counts


async def compact(db: Database, max_segments: int = MAX_SEGMENTS) -> list[str]:
    """Merge the segments of each index that has more than `max_segments`; the indexes merged."""
    if not db.is_sqlite:
        return []
    async with db.session(write=False) as session:
        counts = await segment_counts(await session.connection())
    merged = [table for table, count in counts.items() if count > max_segments]
    for table in merged:
        async with db.transaction() as session:  # one index at a time: the write lock is held per index
            await session.execute(sa.text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))
        log.info("full-text index %s merged from %d segments", table, counts[table])
    return merged
