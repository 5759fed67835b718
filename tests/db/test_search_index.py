"""Migration 0007's full-text indexes on their own: rows are indexed by triggers whatever writes
them, accents are folded (on PostgreSQL with or without the `unaccent` extension); on PostgreSQL the
videos' documents are in their rows (0018)."""

from __future__ import annotations

import asyncio

import pytest
import sqlalchemy as sa

from vidpub.db import Database
from vidpub.db.base import utcnow
from vidpub.db.migrate import upgrade
from vidpub.db.models import Tag, Video, video_tag
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


async def _video_matches(db: Database, text: str) -> tuple[list[int], list[int]]:
    """The videos matching `text` as the lists find them (in their rows on PostgreSQL, joined on
    SQLite) and through `matches()`."""
    terms = search_terms(text)
    async with db.session(write=False) as session:
        connection = await session.connection()
        dialect = connection.dialect.name
        in_row = fulltext.in_row(dialect, fulltext.VIDEOS, terms, Video.id)
        if in_row is not None:
            listed = sa.select(Video.id).where(in_row[0]).order_by(in_row[1].desc(), Video.id)
        else:
            matched = fulltext.matched(dialect, fulltext.VIDEOS, terms)
            listed = sa.select(Video.id).join(matched, matched.c.id == Video.id).order_by(matched.c.rank.desc(), Video.id)
        condition = sa.select(Video.id).where(fulltext.matches(Video.id, fulltext.VIDEOS, terms)).order_by(Video.id)
        return list((await connection.execute(listed)).scalars()), list((await connection.execute(condition)).scalars())


def _video(video_id: int, name: str, description: str | None) -> dict:
    return {"id": video_id, "uuid": f"00000000-0000-4000-8000-{video_id:012d}", "name": name, "description": description,
            "privacy": 1, "state": 1, "url": f"https://x.example/videos/{video_id}", "channel_id": 1,
            "published_at": utcnow(), "created_at": utcnow(), "updated_at": utcnow()}


def test_videos_are_indexed_with_their_tags_whatever_writes_them(database_url_factory):
    url = database_url_factory()
    upgrade(url)

    async def scenario():
        db = Database(url)
        found = {}

        async def look(label: str, text: str):
            listed, matching = await _video_matches(db, text)
            assert sorted(listed) == matching, (label, listed, matching)  # both forms agree
            found[label] = listed

        try:
            async with db.engine.begin() as connection:
                await _insert_channels(connection, {1: ("owner_channel", "Channel", None)})
                await connection.execute(sa.insert(Video), [_video(1, "Crème brûlée tutorial", "slow cooking"),
                                                            _video(2, "Sunset", "a wonderful view")])
            await look("accents", "creme brulee")
            await look("description and a prefix", "tutorial cook")
            await look("name", "sunset")
            async with db.engine.begin() as connection:  # tags come after their video, as the API writes them
                await connection.execute(sa.insert(Tag), [{"id": 1, "name": "ocean"}, {"id": 2, "name": "waves"}])
                await connection.execute(sa.insert(video_tag), [{"video_id": 2, "tag_id": 1},
                                                                {"video_id": 2, "tag_id": 2}])
            await look("a tag", "ocean")
            await look("a tag's prefix", "sunset wav")
            await look("the name first", "sun")
            async with db.engine.begin() as connection:
                await connection.execute(sa.update(Video).where(Video.id == 1).values(name="Renamed wonders"))
                await connection.execute(sa.delete(video_tag).where(video_tag.c.tag_id == 1))
            # on PostgreSQL "wonde" stands for the words of the vocabulary: "wonders" must be among them
            await look("the new name's prefix", "wonde")
            await look("the old name", "creme")
            await look("a removed tag", "ocean")
            await look("a kept tag", "waves")
            async with db.engine.begin() as connection:
                await connection.execute(sa.delete(Video).where(Video.id == 1))
            await look("a deleted video", "renamed")
            return found
        finally:
            await db.dispose()

    assert asyncio.run(scenario()) == {
        "accents": [1], "description and a prefix": [1], "name": [2], "a tag": [2], "a tag's prefix": [2],
        "the name first": [2], "the new name's prefix": [1, 2], "the old name": [], "a removed tag": [],
        "a kept tag": [2], "a deleted video": []}
