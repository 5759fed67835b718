"""Accounts and channels named by handle, as PeerTube's routes take them: `name` (local) or
`name@host` (local when the host is ours, else an actor known from that server)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Account, Actor, Server, VideoChannel
from vidpub.errors import not_found


def _actor_condition(config: Config, handle: str):
    name, _, host = handle.partition("@")
    if not name:
        return None
    if not host or host.lower() == config.host.lower():
        return sa.and_(sa.func.lower(Actor.preferred_username) == name.lower(), Actor.server_id.is_(None))
    return sa.and_(Actor.preferred_username == name,
                   Actor.server_id.in_(sa.select(Server.id).where(Server.host == host.lower())))


async def find_channel(session: AsyncSession, config: Config, handle: str) -> VideoChannel:
    condition = _actor_condition(config, handle)
    channel = None
    if condition is not None:
        channel = (await session.execute(sa.select(VideoChannel).join(Actor, Actor.id == VideoChannel.actor_id)
                                         .where(condition))).scalar_one_or_none()
    if channel is None:
        raise not_found("Video channel not found")
    return channel


async def find_account(session: AsyncSession, config: Config, handle: str) -> Account:
    condition = _actor_condition(config, handle)
    account = None
    if condition is not None:
        account = (await session.execute(sa.select(Account).join(Actor, Actor.id == Account.actor_id)
                                         .where(condition))).scalar_one_or_none()
    if account is None:
        raise not_found("Account not found")
    return account


async def channel_ids_of_account(session: AsyncSession, account_id: int, names: list[str]) -> list[int]:
    """Ids of the account's channels among `names` (unknown names are left out)."""
    rows = await session.execute(sa.select(VideoChannel.id).join(Actor, Actor.id == VideoChannel.actor_id).where(
        VideoChannel.account_id == account_id,
        sa.func.lower(Actor.preferred_username).in_([name.lower() for name in names])))
    return list(rows.scalars())
