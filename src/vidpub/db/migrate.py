"""Schema migrations (Alembic), driven from code so that `vidpub migrate` needs no alembic.ini."""

from __future__ import annotations

import asyncio
from importlib import resources

from alembic import command
from alembic.config import Config as AlembicConfig


# Tables that migrations manage outside the ORM models: the full-text indexes of migration 0007 (and,
# on SQLite, the shadow tables FTS5 keeps next to them), their vocabulary (0016, PostgreSQL).
# Autogenerate must neither drop nor compare them.
UNMANAGED_TABLE_PREFIXES = ("video_fts", "video_channel_fts", "video_playlist_fts", "fulltext_lexeme")
# and, on PostgreSQL, the videos' full-text documents, kept in their rows (0018)
UNMANAGED_COLUMNS = {("video", "search_document")}
UNMANAGED_INDEXES = {"ix_video_search_document"}


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """Alembic's `include_name` hook: leave the unmanaged tables, columns and indexes out of autogenerate."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(UNMANAGED_TABLE_PREFIXES)
    if type_ == "column":
        return (parent_names.get("table_name"), name) not in UNMANAGED_COLUMNS
    if type_ == "index":
        return name not in UNMANAGED_INDEXES
    return True


def alembic_config(database_url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(resources.files("vidpub.db").joinpath("migrations")))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def refresh_statistics(database_url: str) -> list[str]:
    """After an upgrade, the planner's statistics of a database that changed a lot (db/statistics.py)."""
    from vidpub.db import Database, statistics

    async def refresh() -> list[str]:
        db = Database(database_url, pool_size=1)
        try:
            return await statistics.refresh(db)
        finally:
            await db.dispose()

    return asyncio.run(refresh())


async def upgrade_async(database_url: str) -> None:
    """Alembic's env runs its own event loop: keep it off the caller's loop."""
    await asyncio.to_thread(upgrade, database_url)
