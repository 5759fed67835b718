"""Alembic environment: runs migrations on the configured database with the async engine."""

import asyncio

from alembic import context

from vidpub.db import Database
from vidpub.db.base import Base
from vidpub.db import models  # noqa: F401  (registers every table)
from vidpub.db.migrate import include_name

config = context.config
target_metadata = Base.metadata


def _run(connection):
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _main():
    database = Database(config.get_main_option("sqlalchemy.url"), pool_size=1)
    try:
        async with database.engine.connect() as connection:
            await connection.run_sync(_run)
            await connection.commit()
    finally:
        await database.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `vidpub migrate`")
asyncio.run(_main())
