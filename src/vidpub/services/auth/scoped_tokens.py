"""Scoped tokens: today only the feed token, a UUID that opens a user's private subscription feed
without their OAuth token."""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db import Database
from vidpub.db.models import User


async def feed_token(db: Database, user: User) -> str:
    """The user's feed token, created on first read.

    A token nobody has read cannot be used yet, so creating it lazily is invisible to clients. It is
    written in its own transaction because reads (GET) run on a read-only session."""
    if user.feed_token:
        return user.feed_token
    async with db.transaction() as session:
        await session.execute(sa.update(User).where(User.id == user.id, User.feed_token.is_(None))
                              .values(feed_token=str(uuid.uuid4())))
        # a concurrent first read may have won: everybody returns the stored value
        return (await session.execute(sa.select(User.feed_token).where(User.id == user.id))).scalar_one()


async def renew_feed_token(session: AsyncSession, user: User) -> str:
    user.feed_token = str(uuid.uuid4())
    await session.commit()
    return user.feed_token
