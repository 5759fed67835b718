"""SQLite's full-text indexes are merged back into one segment once they have too many."""

from __future__ import annotations

import asyncio

import sqlalchemy as sa

from vidpub.db import Database, fulltext_segments
from vidpub.db.migrate import upgrade


def test_an_index_with_too_many_segments_is_merged_and_still_answers(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite3'}"
    upgrade(url)

    async def scenario():
        db = Database(url)
        try:
            for number in range(6):  # each transaction writes its own segment
                async with db.transaction() as session:
                    await session.execute(sa.text(
                        "INSERT INTO video_fts (rowid, name, tags, description) VALUES (:id, :name, '', '')"),
                        {"id": number + 1, "name": f"sunset number{number}"})

            async def state():
                async with db.session(write=False) as session:
                    counts = await fulltext_segments.segment_counts(await session.connection())
                    found = (await session.execute(sa.text(
                        "SELECT rowid FROM video_fts WHERE video_fts MATCH '\"sunset\" \"number3\"'"))).scalars().all()
                return counts["video_fts"], found

            before = await state()
            untouched = await fulltext_segments.compact(db, max_segments=before[0])
            merged = await fulltext_segments.compact(db, max_segments=1)
            return before, untouched, merged, await state()
        finally:
            await db.dispose()

    (segments_before, found_before), untouched, merged, (segments_after, found_after) = asyncio.run(scenario())
    assert segments_before > 1
    assert untouched == []            # at the limit: nothing to do
    assert merged == ["video_fts"]    # the other indexes are empty
    assert segments_after == 1
    assert found_before == found_after == [4]
