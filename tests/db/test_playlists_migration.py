"""Migration 0004 gives every user that existed before it the "Watch later" playlist new users get."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import sqlalchemy as sa

from vidpub.db import Database
from vidpub.db.migrate import upgrade


def _user_row(username: str) -> dict:
    """The columns `user` requires at revision 0003 (written out: the model may have grown since)."""
    flags = ("email_public", "p2p_enabled", "videos_history_enabled", "auto_play_video", "auto_play_next_video",
             "auto_play_next_video_playlist", "blocked", "no_instance_config_warning_modal", "no_welcome_modal",
             "no_account_setup_warning_modal")
    numbers = ("role", "admin_flags", "video_quota", "video_quota_daily", "nsfw_flags_displayed",
               "nsfw_flags_hidden", "nsfw_flags_blurred", "nsfw_flags_warned", "new_features_info_read")
    now = datetime.now(UTC).replace(tzinfo=None)
    return {"username": username, "email": f"{username}@example.com", "nsfw_policy": "display", "theme": "instance-default",
            "created_at": now, "updated_at": now, **{name: False for name in flags}, **{name: 0 for name in numbers}}


def test_existing_users_get_their_watch_later_playlist(database_url_factory):
    url = database_url_factory()
    upgrade(url, "0003")
    base_url = "https://videos.example.org"

    async def seed() -> list[int]:
        db = Database(url)
        meta = sa.MetaData()
        async with db.engine.begin() as conn:
            await conn.run_sync(meta.reflect, only=["user", "actor", "account"])
            user, actor, account = meta.tables["user"], meta.tables["actor"], meta.tables["account"]
            now = datetime.now(UTC).replace(tzinfo=None)
            account_ids = []
            for index, name in enumerate(("alice", "bob", "remote_carol")):
                user_id = None
                if not name.startswith("remote"):
                    user_id = (await conn.execute(user.insert().values(_user_row(name)))).inserted_primary_key[0]
                host = "https://elsewhere.example" if user_id is None else base_url
                actor_id = (await conn.execute(actor.insert().values(
                    type="Person", preferred_username=name, url=f"{host}/accounts/{name}", followers_count=0,
                    following_count=0, inbox_url=f"{host}/accounts/{name}/inbox", created_at=now, updated_at=now))
                ).inserted_primary_key[0]
                account_ids.append((await conn.execute(account.insert().values(
                    name=name, actor_id=actor_id, user_id=user_id, created_at=now, updated_at=now))
                ).inserted_primary_key[0])
        await db.dispose()
        return account_ids

    async def playlists() -> list[tuple]:
        db = Database(url)
        async with db.engine.connect() as conn:
            rows = (await conn.execute(sa.text(
                "SELECT owner_account_id, name, type, privacy, url, uuid FROM video_playlist ORDER BY owner_account_id"
            ))).all()
        await db.dispose()
        return [tuple(row) for row in rows]

    alice, bob, carol = asyncio.run(seed())
    upgrade(url)
    found = asyncio.run(playlists())
    assert [(owner, name, kind, privacy) for owner, name, kind, privacy, _, _ in found] == [
        (alice, "Watch later", 2, 3), (bob, "Watch later", 2, 3)]  # accounts without a user get none
    for _, _, _, _, playlist_url, playlist_uuid in found:
        assert playlist_url == f"{base_url}/video-playlists/{playlist_uuid}"
    assert len({row[5] for row in found}) == 2
