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


async def _insert_channels(connection, channels: dict[int, tuple[str, str, str | None]]) -> None:
    """Channels {id: (handle, name, description)} of one account, their actors' ids 900 + id."""
    await connection.execute(sa.text(
        "INSERT INTO actor (id, type, preferred_username, url, inbox_url, followers_count, "
        "following_count, created_at, updated_at) VALUES (900, 'Person', 'owner', "
        "'https://x.example/owner', 'https://x.example/owner', 0, 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    await connection.execute(sa.text(
        "INSERT INTO account (id, name, actor_id, created_at, updated_at) "
        "VALUES (900, 'Owner', 900, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
    for channel_id, (handle, name, description) in channels.items():
        await connection.execute(sa.text(
            "INSERT INTO actor (id, type, preferred_username, url, inbox_url, followers_count, "
            "following_count, created_at, updated_at) VALUES (:id, 'Group', :handle, :url, :url, 0, 0, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"id": 900 + channel_id, "handle": handle, "url": f"https://x.example/{handle}"})
        await connection.execute(sa.text(
            "INSERT INTO video_channel (id, name, description, actor_id, account_id, created_at, updated_at) "
            "VALUES (:id, :name, :description, :actor_id, 900, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
            {"id": channel_id, "name": name, "description": description, "actor_id": 900 + channel_id})


def test_channels_are_indexed_by_triggers(database_url_factory):
    url = database_url_factory()
    upgrade(url)

    async def scenario():
        db = Database(url)
        try:
            async with db.engine.begin() as connection:
                await _insert_channels(connection, {1: ("forest_channel", "Forêt Noire", "Crème brûlée"),
                                                    2: ("other_place", "Plain", None)})
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


def test_a_last_word_matches_every_word_it_begins_even_words_written_later(database_url_factory, backend):
    """On PostgreSQL a last word standing for a few lexemes is searched as those lexemes (migration
    0016's vocabulary), one standing for many as a prefix: either way, as on SQLite, every row holding a
    word it begins matches, words written after the first search included."""
    url = database_url_factory()
    upgrade(url)
    many = [f"sun{chr(97 + index // 26)}{chr(97 + index % 26)}" for index in range(40)]  # 40 words in "sun"
    channels = {1: ("Sunset", "over the sea"), 2: ("Sunsets daily", "see sunset.example.com"),
                3: ("Sunshine", None), 4: ("Moon", "no star here"), 5: ("Many", " ".join(many))}

    async def scenario():
        db = Database(url)
        try:
            async with db.engine.begin() as connection:
                await _insert_channels(connection, {channel_id: (f"handle{channel_id}", name, description)
                                                    for channel_id, (name, description) in channels.items()})
                if backend == "postgres":  # a lexeme a URL or a path could leave: quoted when expanded
                    await connection.execute(sa.text(
                        "INSERT INTO fulltext_lexeme (lexeme) VALUES ('sunset''s\\path:*|')"))
            # (SQLite indexes prefixes of one to three characters: migration 0017)
            found = {text: await _matches(db, text) for text in ("sunset", "over sunse", "sunsh", "sun", "sunzz",
                                                                 "sunbn", "many sunb", "s", "su", "mo", "daily s")}
            async with db.engine.begin() as connection:
                await connection.execute(sa.text("UPDATE video_channel SET description = 'Sunsetting' WHERE id = 4"))
            found["sunset after an edit"] = await _matches(db, "sunset")
            return found
        finally:
            await db.dispose()

    assert asyncio.run(scenario()) == {
        "sunset": [1, 2], "over sunse": [1], "sunsh": [3], "sun": [1, 2, 3, 5], "sunzz": [], "sunbn": [5],
        "many sunb": [5], "s": [1, 2, 3, 4, 5], "su": [1, 2, 3, 5], "mo": [4], "daily s": [2],
        "sunset after an edit": [1, 2, 4]}
