"""Migration 0007's full-text indexes on their own: rows are indexed by triggers whatever writes
them, accents are folded (on PostgreSQL with or without the `unaccent` extension)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from vidpub.db import Database
from vidpub.db.migrate import upgrade
from vidpub.services.search import fulltext
from vidpub.services.search.terms import search_terms


async def _matches(db: Database, text: str) -> list[int]:
    async with db.session(write=False) as session:
        connection = await session.connection()
        matched = fulltext.matched(connection.dialect.name, fulltext.CHANNELS, search_terms(text))
        return list((await connection.execute(sa.select(matched.c.id).order_by(matched.c.id))).scalars())


def test_channels_are_indexed_by_triggers(database_url_factory):
    url = database_url_factory()
    upgrade(url)

    async def scenario():
        db = Database(url)
        try:
            async with db.engine.begin() as connection:
                for actor_id, name in ((901, "forest_channel"), (902, "other_place")):
                    await connection.execute(sa.text(
                        "INSERT INTO actor (id, type, preferred_username, url, inbox_url, followers_count, "
                        "following_count, created_at, updated_at) VALUES (:id, 'Group', :name, :url, :url, 0, 0, "
                        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"id": actor_id, "name": name,
                                                                   "url": f"https://x.example/{name}"})
                await connection.execute(sa.text(
                    "INSERT INTO actor (id, type, preferred_username, url, inbox_url, followers_count, "
                    "following_count, created_at, updated_at) VALUES (900, 'Person', 'owner', "
                    "'https://x.example/owner', 'https://x.example/owner', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
                await connection.execute(sa.text(
                    "INSERT INTO account (id, name, actor_id, created_at, updated_at) "
                    "VALUES (900, 'Owner', 900, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
                await connection.execute(sa.text(
                    "INSERT INTO video_channel (id, name, description, actor_id, account_id, created_at, updated_at) "
                    "VALUES (1, 'Forêt Noire', 'Crème brûlée', 901, 900, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), "
                    "(2, 'Plain', NULL, 902, 900, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            found = [await _matches(db, text) for text in ("foret noire", "CREME brulee", "forest", "plain", "nothing")]
            async with db.engine.begin() as connection:
                await connection.execute(sa.text("UPDATE video_channel SET name = 'Renamed' WHERE id = 1"))
            found += [await _matches(db, "foret"), await _matches(db, "renamed")]
            async with db.engine.begin() as connection:
                await connection.execute(sa.text("DELETE FROM video_channel WHERE id = 1"))
            found.append(await _matches(db, "renamed"))
            return found
        finally:
            await db.dispose()

    assert asyncio.run(scenario()) == [[1], [1], [1], [2], [], [], [1], []]


def test_postgresql_accent_folding_works_without_the_extension(database_url_factory, backend):
    if backend != "postgres":
        pytest.skip("PostgreSQL only")
    url = database_url_factory()
    upgrade(url)

    async def fold():
        db = Database(url)
        try:
            async with db.engine.connect() as connection:
                return (await connection.execute(sa.text(
                    "SELECT vidpub_unaccent_fallback('Élève à la Forêt, ĈĤĴ ŒUF ñ'), "
                    "vidpub_unaccent('Élève à la Forêt')"))).one()
        finally:
            await db.dispose()

    fallback, folded = asyncio.run(fold())
    assert fallback == "Eleve a la Foret, CHJ ŒUF n"
    assert folded == "Eleve a la Foret"
