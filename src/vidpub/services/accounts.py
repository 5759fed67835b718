"""Accounts: the list, who may manage one, its ratings, and the followers of an account or channel.

Rights follow PeerTube: an account's private lists (ratings, followers) are open to its owner and to
holders of MANAGE_USERS, and only for local accounts.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, selectinload

from vidpub.config import Config
from vidpub.db.models import Account, AccountVideoRate, Actor, ActorFollow, FollowState, Server, User, VideoChannel
from vidpub.errors import forbidden
from vidpub.services import handles
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.users import like_pattern

ACCOUNT_SORTS = frozenset({"createdAt"})
RATING_SORTS = frozenset({"createdAt"})
FOLLOWER_SORTS = frozenset({"createdAt"})


def ordered(column, sort: str, tie_breaker):
    """ORDER BY the sort's column (`-` for descending), ties broken by id in the same direction."""
    descending = sort.startswith("-")
    return [c.desc() if descending else c.asc() for c in (column, tie_breaker)]


async def page_of(session: AsyncSession, query, order, start: int, count: int) -> tuple[int, list]:
    """`(total, rows)` of a select of ORM rows."""
    total = (await session.execute(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
             ).scalar_one()
    rows = (await session.execute(query.order_by(*order).offset(start).limit(count))).unique().scalars().all()
    return int(total), list(rows)


# -- who may do what --------------------------------------------------------------------------------

def ensure_can_manage_account(account_id: int, user: User, special_right: UserRight) -> None:
    """The account's owner, or a holder of `special_right` (PeerTube's answer otherwise)."""
    if user.account.id == account_id or has_right(user.role, special_right):
        return
    raise forbidden("Only a user with sufficient right can access this account resource.")


async def manageable_local_account(session: AsyncSession, config: Config, handle: str, user: User) -> Account:
    """The account named `handle`: 404 unknown, 403 another's (without MANAGE_USERS), 403 remote."""
    account = await handles.find_account(session, config, handle)
    ensure_can_manage_account(account.id, user, UserRight.MANAGE_USERS)
    if not account.actor.is_local:
        raise forbidden("This account is not owned.")
    return account


# -- lists ------------------------------------------------------------------------------------------

async def list_accounts(session: AsyncSession, *, start: int, count: int, sort: str) -> tuple[int, list[Account]]:
    """Every account known here, local and remote (the instance's own `peertube` account too)."""
    return await page_of(session, sa.select(Account), ordered(Account.created_at, sort, Account.id), start, count)


async def list_ratings(session: AsyncSession, account_id: int, *, start: int, count: int, sort: str,
                       rating: str | None) -> tuple[int, list[AccountVideoRate]]:
    query = sa.select(AccountVideoRate).where(AccountVideoRate.account_id == account_id)
    if rating is not None:
        query = query.where(AccountVideoRate.type == rating)
    return await page_of(session, query, ordered(AccountVideoRate.created_at, sort, AccountVideoRate.id),
                         start, count)


async def follower_target_ids(session: AsyncSession, account: Account) -> list[int]:
    """The actors whose followers are the account's: the account itself and each of its channels."""
    channels = await session.execute(sa.select(VideoChannel.actor_id).where(VideoChannel.account_id == account.id))
    return [account.actor_id, *channels.scalars()]


async def list_followers(session: AsyncSession, target_actor_ids: list[int], *, start: int, count: int, sort: str,
                         search: str | None) -> tuple[int, list[ActorFollow]]:
    """Accepted follows of the given actors; `search` matches the follower's name or host."""
    query = (sa.select(ActorFollow)
             .options(selectinload(ActorFollow.follower), selectinload(ActorFollow.following))
             .where(ActorFollow.target_actor_id.in_(target_actor_ids), ActorFollow.state == FollowState.ACCEPTED))
    if search:
        pattern = like_pattern(search)
        follower = aliased(Actor)
        query = (query.join(follower, follower.id == ActorFollow.actor_id)
                 .outerjoin(Server, Server.id == follower.server_id)
                 .where(sa.or_(sa.func.lower(follower.preferred_username).like(pattern, escape="\\"),
                               sa.func.lower(Server.host).like(pattern, escape="\\"))))
    return await page_of(session, query, ordered(ActorFollow.created_at, sort, ActorFollow.id), start, count)
