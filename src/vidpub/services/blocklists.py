"""Who must not be seen by whom: user mutes and the instance's server blocklist.

PeerTube's rule, applied by every list that shows other people's content (videos, comments,
notifications, search): an account is hidden from a viewer when the instance's own account or the
viewer's account blocks it, or blocks the server it lives on. Anonymous viewers only get the
instance's blocks. The helpers here return SQL to embed in those queries, so that the filter costs
no extra round trip.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Account, AccountBlocklist, Actor, ServerBlocklist, User, VideoChannel
from vidpub.services.actors import SERVER_ACTOR_NAME


def server_account_id():
    """The instance's own account (the blocker of instance-wide blocks), as a scalar subquery.

    Found through its actor's local name, which the unique local-name index answers at once."""
    return (sa.select(Account.id).join(Actor, Actor.id == Account.actor_id)
            .where(sa.func.lower(Actor.preferred_username) == SERVER_ACTOR_NAME, Actor.server_id.is_(None),
                   Account.application_id.is_not(None))
            .scalar_subquery())


def _blocked_by(column, user: User | None):
    """`column` (a blocklist's blocker) is the instance's account, or the viewer's."""
    if user is None:
        return column == server_account_id()
    return sa.or_(column == server_account_id(), column == user.account.id)


def muted_account_ids_subquery(user: User | None) -> sa.Select:
    """Ids of the accounts `user` (None: an anonymous viewer) must not see: blocked themselves, or
    living on a blocked server. Use as `SomeModel.account_id.not_in(muted_account_ids_subquery(user))`."""
    blocked_servers = (sa.select(ServerBlocklist.target_server_id)
                       .where(_blocked_by(ServerBlocklist.account_id, user)))
    return sa.union(
        sa.select(AccountBlocklist.target_account_id.label("id"))
        .where(_blocked_by(AccountBlocklist.account_id, user)),
        sa.select(Account.id).join(Actor, Actor.id == Account.actor_id)
        .where(Actor.server_id.in_(blocked_servers)),
    )


def muted_channel_ids_subquery(user: User | None) -> sa.Select:
    """Ids of the channels whose owner `user` must not see (for tables keyed by channel, like videos)."""
    return sa.select(VideoChannel.id).where(VideoChannel.account_id.in_(muted_account_ids_subquery(user)))


def not_muted(account_id_column, user: User | None):
    """WHERE clause keeping the rows whose `account_id_column` is not muted for `user`."""
    return account_id_column.not_in(muted_account_ids_subquery(user))


async def is_muted(session: AsyncSession, user: User | None, account_id: int) -> bool:
    """Whether `user` (or, for None, anyone) must not hear from the account `account_id`."""
    query = sa.select(sa.literal(1)).where(sa.literal(account_id).in_(muted_account_ids_subquery(user)))
    return (await session.execute(query)).first() is not None


async def is_muted_by_server(session: AsyncSession, account_id: int) -> bool:
    return await is_muted(session, None, account_id)


async def user_ids_muting(session: AsyncSession, account_id: int, user_ids: Iterable[int]) -> set[int]:
    """Among `user_ids`, those who must not hear from the account `account_id` (all of them when the
    instance blocks it): the recipients a notification about that account's action skips."""
    candidates = set(user_ids)
    if not candidates:
        return set()
    if await is_muted_by_server(session, account_id):
        return candidates
    target_server = (sa.select(Actor.server_id).join(Account, Account.actor_id == Actor.id)
                     .where(Account.id == account_id).scalar_subquery())
    mutes_account = sa.exists().where(AccountBlocklist.account_id == Account.id,
                                      AccountBlocklist.target_account_id == account_id)
    mutes_server = sa.exists().where(ServerBlocklist.account_id == Account.id,
                                     ServerBlocklist.target_server_id == target_server)
    rows = await session.execute(sa.select(Account.user_id).where(
        Account.user_id.in_(candidates), sa.or_(mutes_account, mutes_server)))
    return set(rows.scalars())
