"""The computed sorts' SQL pieces, on the session's database."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from vidpub.db import Database
from vidpub.db.migrate import upgrade
from vidpub.services.videos.ranking import epoch_seconds


def test_epoch_seconds_keep_their_fraction(database_url_factory):
    """The hot sort's age term: two publications within one second must not tie (they did on SQLite,
    whose EXTRACT(EPOCH) SQLAlchemy spells with whole seconds)."""
    url = database_url_factory()
    upgrade(url)
    moments = [datetime(2026, 11, 27, 4, 30, 15, 250000, tzinfo=UTC),
               datetime(2026, 11, 27, 4, 30, 15, 750000, tzinfo=UTC)]

    async def read() -> list[float]:
        db = Database(url)
        try:
            async with db.session(write=False) as session:
                values = []
                for moment in moments:  # bound as each database stores the column (naive UTC text on SQLite)
                    stored = sa.literal(moment.replace(tzinfo=None) if db.is_sqlite else moment,
                                        sa.DateTime(timezone=not db.is_sqlite))
                    values.append((await session.execute(sa.select(epoch_seconds(stored)))).scalar_one())
                return values
        finally:
            await db.dispose()

    values = asyncio.run(read())
    assert values == [pytest.approx(moment.timestamp(), abs=1e-3) for moment in moments]
    assert values[1] - values[0] == pytest.approx(0.5, abs=1e-3)
