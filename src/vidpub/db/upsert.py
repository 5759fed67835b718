"""`INSERT ... ON CONFLICT` in the session's own dialect (SQLite and PostgreSQL spell it alike, but
SQLAlchemy builds it from each dialect's `insert`)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession


def insert_for(session: AsyncSession):
    """The `insert()` of the session's database, with `on_conflict_do_update/nothing`."""
    return postgresql.insert if session.bind.dialect.name == "postgresql" else sqlite.insert
