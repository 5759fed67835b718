"""Schema migrations (Alembic), driven from code so that `vidpub migrate` needs no alembic.ini."""

from __future__ import annotations

import asyncio
from importlib import resources

from alembic import command
from alembic.config import Config as AlembicConfig


def alembic_config(database_url: str) -> AlembicConfig:
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(resources.files("vidpub.db").joinpath("migrations")))
    cfg.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


async def upgrade_async(database_url: str) -> None:
    """Alembic's env runs its own event loop: keep it off the caller's loop."""
    await asyncio.to_thread(upgrade, database_url)
