"""Managing mutes: a user's own blocklist (`/users/me/blocklist`) and the instance's
(`/server/blocklist`, whose blocker is the instance's account), and the block status of handles and
hosts. What a block hides is decided by `services/blocklists.py`."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload

from vidpub.config import Config
from vidpub.db.models import (Account, AccountBlocklist, Actor, ActorFollow, Server, ServerBlocklist, User,
                              UserNotification, VideoComment)
from vidpub.errors import conflict, invalid_param, not_found
from vidpub.schemas.actors import account_json
from vidpub.schemas.blocklists import (AccountBlockJson, AccountBlockList, BlockedServer, BlockState,
                                       BlockStatus, ServerBlockJson, ServerBlockList, normalised_host)
from vidpub.services import handles
from vidpub.services.blocklists import server_account_id

SORT_COLUMNS = frozenset({"createdAt"})


async def instance_account_id(session: AsyncSession) -> int:
    """The blocker of instance-wide blocks."""
    return (await session.execute(sa.select(server_account_id()))).scalar_one()


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _order(sort: str, created_at, row_id) -> list:
    return [created_at.desc(), row_id.desc()] if sort.startswith("-") else [created_at.asc(), row_id.asc()]


# -- accounts -----------------------------------------------------------------------------------------

async def list_account_blocks(session: AsyncSession, config: Config, by_account_id: int, start: int,
                              count: int, sort: str, search: str | None = None) -> AccountBlockList:
    conditions = [AccountBlocklist.account_id == by_account_id]
    if search:
        target, target_actor, target_server = aliased(Account), aliased(Actor), aliased(Server)
        pattern = _like(search)
        conditions.append(AccountBlocklist.target_account_id.in_(
            sa.select(target.id).join(target_actor, target_actor.id == target.actor_id)
            .outerjoin(target_server, target_server.id == target_actor.server_id)
            .where(sa.or_(sa.func.lower(target_actor.preferred_username).like(pattern, escape="\\"),
                          sa.func.lower(target.name).like(pattern, escape="\\"),
                          target_server.host.like(pattern, escape="\\")))))
    total = (await session.execute(sa.select(sa.func.count()).select_from(AccountBlocklist)
                                   .where(*conditions))).scalar_one()
    rows = (await session.execute(
        sa.select(AccountBlocklist)
        .options(joinedload(AccountBlocklist.account), joinedload(AccountBlocklist.target_account))
        .where(*conditions).order_by(*_order(sort, AccountBlocklist.created_at, AccountBlocklist.id))
        .offset(start).limit(count))).unique().scalars().all() if count else []
    return AccountBlockList(total=total, data=[AccountBlockJson(
        byAccount=account_json(row.account, config.url, config.host),
        blockedAccount=account_json(row.target_account, config.url, config.host),
        createdAt=row.created_at) for row in rows])


async def block_account(session: AsyncSession, config: Config, by_account_id: int, handle: str,
                        acting_user: User) -> None:
    """Mute the account named `handle`; muting it again changes nothing."""
    target = await handles.find_account(session, config, handle)
    if target.id in (acting_user.account.id, by_account_id):
        raise conflict("You cannot block yourself.")
    exists = (await session.execute(sa.select(AccountBlocklist.id).where(
        AccountBlocklist.account_id == by_account_id,
        AccountBlocklist.target_account_id == target.id))).first()
    if exists is None:
        session.add(AccountBlocklist(account_id=by_account_id, target_account_id=target.id))
        await _forget_notifications_from(session, by_account_id, [target.id])
    await _commit_ignoring_duplicate(session)


async def unblock_account(session: AsyncSession, config: Config, by_account_id: int, handle: str) -> None:
    target = await handles.find_account(session, config, handle)
    result = await session.execute(sa.delete(AccountBlocklist).where(
        AccountBlocklist.account_id == by_account_id, AccountBlocklist.target_account_id == target.id))
    if result.rowcount == 0:
        raise not_found("Account block entry not found.")
    await session.commit()


# -- servers ------------------------------------------------------------------------------------------

async def list_server_blocks(session: AsyncSession, config: Config, by_account_id: int, start: int,
                             count: int, sort: str, search: str | None = None) -> ServerBlockList:
    conditions = [ServerBlocklist.account_id == by_account_id]
    if search:
        conditions.append(ServerBlocklist.target_server_id.in_(
            sa.select(Server.id).where(Server.host.like(_like(search), escape="\\"))))
    total = (await session.execute(sa.select(sa.func.count()).select_from(ServerBlocklist)
                                   .where(*conditions))).scalar_one()
    rows = (await session.execute(
        sa.select(ServerBlocklist)
        .options(joinedload(ServerBlocklist.account), joinedload(ServerBlocklist.target_server))
        .where(*conditions).order_by(*_order(sort, ServerBlocklist.created_at, ServerBlocklist.id))
        .offset(start).limit(count))).unique().scalars().all() if count else []
    return ServerBlockList(total=total, data=[ServerBlockJson(
        byAccount=account_json(row.account, config.url, config.host),
        blockedServer=BlockedServer(host=row.target_server.host), createdAt=row.created_at) for row in rows])


async def block_server(session: AsyncSession, config: Config, by_account_id: int, host: str) -> None:
    """Mute every account of `host` (a server not met yet is recorded, as PeerTube does, so that the
    block applies from its first contact on)."""
    if host == config.host.lower():
        raise conflict("You cannot block your own server.")
    server_id = (await session.execute(sa.select(Server.id).where(Server.host == host))).scalar_one_or_none()
    if server_id is None:
        server = Server(host=host)
        session.add(server)
        await session.flush()
        server_id = server.id
    exists = (await session.execute(sa.select(ServerBlocklist.id).where(
        ServerBlocklist.account_id == by_account_id, ServerBlocklist.target_server_id == server_id))).first()
    if exists is None:
        session.add(ServerBlocklist(account_id=by_account_id, target_server_id=server_id))
        await _forget_notifications_from(session, by_account_id, sa.select(Account.id).join(
            Actor, Actor.id == Account.actor_id).where(Actor.server_id == server_id))
    await _commit_ignoring_duplicate(session)


async def unblock_server(session: AsyncSession, by_account_id: int, raw_host: str) -> None:
    host = normalised_host(raw_host)
    if host is None:
        raise invalid_param("host", raw_host, "Should have a valid host", "params")
    result = await session.execute(sa.delete(ServerBlocklist).where(
        ServerBlocklist.account_id == by_account_id,
        ServerBlocklist.target_server_id.in_(sa.select(Server.id).where(Server.host == host))))
    if result.rowcount == 0:
        raise not_found("Server block entry not found.")
    await session.commit()


async def _forget_notifications_from(session: AsyncSession, by_account_id: int, muted_account_ids) -> None:
    """Muting also clears what the muted accounts already caused (their follows, their comments, the
    notifications about them) from the muter's notifications — everybody's for the instance's blocks."""
    user_id = (await session.execute(sa.select(Account.user_id).where(Account.id == by_account_id))).scalar()
    muted_actor_ids = sa.select(Account.actor_id).where(Account.id.in_(muted_account_ids))
    their_comments = sa.select(VideoComment.id).where(VideoComment.account_id.in_(muted_account_ids))
    their_follows = sa.select(ActorFollow.id).where(ActorFollow.actor_id.in_(muted_actor_ids))
    about_them = sa.or_(UserNotification.account_id.in_(muted_account_ids),
                        UserNotification.comment_id.in_(their_comments),
                        UserNotification.actor_follow_id.in_(their_follows))
    recipients = [UserNotification.user_id == user_id] if user_id is not None else []
    await session.execute(sa.delete(UserNotification).where(about_them, *recipients)
                          .execution_options(synchronize_session=False))


async def _commit_ignoring_duplicate(session: AsyncSession) -> None:
    """A concurrent identical block won the race: the block exists, which is what was asked."""
    try:
        await session.commit()
    except IntegrityError:
        await session.rollback()


# -- status -------------------------------------------------------------------------------------------

def _split_handle(config: Config, handle: str) -> tuple[str, str | None]:
    """(lower-cased name, host or None for a local account)."""
    name, _, host = handle.strip().partition("@")
    host = host.lower() or None
    return name.lower(), None if host == config.host.lower() else host


async def block_status(session: AsyncSession, config: Config, user: User | None,
                       account_handles: Sequence[str], hosts: Sequence[str]) -> BlockStatus:
    """Whether the instance (and the caller, when logged in) blocks each handle and host, keyed as
    asked. Only direct blocks count: an account of a blocked server is reported by its host."""
    server_account = await instance_account_id(session)
    blockers = [server_account] + ([user.account.id] if user is not None else [])

    def state(blocked_by: set[int]) -> BlockState:
        return BlockState(blockedByServer=server_account in blocked_by,
                          blockedByUser=(user.account.id in blocked_by) if user is not None else None)

    accounts: dict[str, BlockState] = {}
    if account_handles:
        wanted = {handle: _split_handle(config, handle) for handle in account_handles}
        rows = await session.execute(
            sa.select(AccountBlocklist.account_id, sa.func.lower(Actor.preferred_username), Server.host)
            .join(Account, Account.id == AccountBlocklist.target_account_id)
            .join(Actor, Actor.id == Account.actor_id).outerjoin(Server, Server.id == Actor.server_id)
            .where(AccountBlocklist.account_id.in_(blockers),
                   sa.func.lower(Actor.preferred_username).in_({name for name, _ in wanted.values()})))
        blocked: dict[tuple[str, str | None], set[int]] = {}
        for blocker, name, host in rows:
            blocked.setdefault((name, host), set()).add(blocker)
        accounts = {handle: state(blocked.get(key, set())) for handle, key in wanted.items()}

    host_states: dict[str, BlockState] = {}
    if hosts:
        rows = await session.execute(
            sa.select(ServerBlocklist.account_id, Server.host)
            .join(Server, Server.id == ServerBlocklist.target_server_id)
            .where(ServerBlocklist.account_id.in_(blockers),
                   Server.host.in_({host.lower() for host in hosts})))
        blocked_hosts: dict[str, set[int]] = {}
        for blocker, host in rows:
            blocked_hosts.setdefault(host, set()).add(blocker)
        host_states = {host: state(blocked_hosts.get(host.lower(), set())) for host in hosts}
    return BlockStatus(accounts=accounts, hosts=host_states)
