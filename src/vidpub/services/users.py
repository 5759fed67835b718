"""Local users: creation (user + account + default channel), lookup, updates, deletion."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.models import (Account, Actor, ActorType, OAuthToken, User, UserNotificationSetting,
                              VideoChannel)
from vidpub.errors import ProblemError, conflict, invalid_param, not_found
from vidpub.services.actors import (CHANNEL_NAME_RE, SERVER_ACTOR_NAME, USERNAME_RE, available_local_name,
                                    build_local_actor, local_name_taken)
from vidpub.services.auth.rights import UserRole, can_manage_role

NSFW_POLICIES = ("display", "blur", "do_not_list", "warn")
USER_SORTS = {"id": User.id, "username": User.username, "createdAt": User.created_at,
              "lastLoginDate": User.last_login_date, "role": User.role}


@dataclass
class NewUser:
    username: str
    email: str
    password_hash: str | None
    role: int = UserRole.USER
    video_quota: int | None = None          # None: the instance default
    video_quota_daily: int | None = None
    email_verified: bool | None = None
    admin_flags: int = 0
    display_name: str | None = None
    channel_name: str | None = None
    channel_display_name: str | None = None
    plugin_auth: str | None = None


def user_loader():
    """What every user JSON needs, loaded in a fixed number of queries."""
    return (selectinload(User.account).selectinload(Account.channels),
            selectinload(User.notification_setting))


async def get_user(session: AsyncSession, user_id: int) -> User:
    user = (await session.execute(sa.select(User).options(*user_loader()).where(User.id == user_id))
            ).scalar_one_or_none()
    if user is None:
        raise not_found("User not found")
    return user


async def find_for_login(session: AsyncSession, username_or_email: str) -> User | None:
    """PeerTube logs in with the username or the email, case-insensitively (with `@`: the email)."""
    value = username_or_email.strip().lower()
    column = sa.func.lower(User.email) if "@" in value else User.username
    return (await session.execute(sa.select(User).options(*user_loader()).where(column == value))
            ).scalar_one_or_none()


async def find_by_email(session: AsyncSession, email: str) -> User | None:
    return (await session.execute(sa.select(User).where(sa.func.lower(User.email) == email.strip().lower()))
            ).scalar_one_or_none()


async def username_or_email_taken(session: AsyncSession, username: str, email: str) -> bool:
    query = sa.select(sa.literal(1)).where(sa.or_(
        User.username == username.lower(), sa.func.lower(User.email) == email.lower())).limit(1)
    return (await session.execute(query)).first() is not None or await local_name_taken(session, username)


def check_username(username: str, field: str = "username") -> str:
    if not isinstance(username, str) or not USERNAME_RE.fullmatch(username) or username == SERVER_ACTOR_NAME:
        raise invalid_param(field, username, "Should have a valid username (lower case letters, digits, . and _)")
    return username


def check_channel_name(name: str, field: str = "channelName") -> str:
    if not isinstance(name, str) or not CHANNEL_NAME_RE.fullmatch(name):
        raise invalid_param(field, name, "Should have a valid channel name")
    return name


async def create_user(session: AsyncSession, config: Config, new: NewUser) -> User:
    """Create the user, its account (a Person actor) and its default channel (a Group actor)."""
    check_username(new.username)
    if await username_or_email_taken(session, new.username, new.email):
        raise conflict("User with this username or email already exists.")
    if new.channel_name is not None:
        check_channel_name(new.channel_name)
        if new.channel_name == new.username or await local_name_taken(session, new.channel_name):
            raise conflict("Another actor (account/channel) with this name on this instance already exists or "
                           "has already existed.", "channel_name_already_exists")

    user = User(
        username=new.username, email=new.email, password=new.password_hash, role=int(new.role),
        video_quota=config.user.video_quota if new.video_quota is None else new.video_quota,
        video_quota_daily=config.user.video_quota_daily if new.video_quota_daily is None else new.video_quota_daily,
        email_verified=new.email_verified, admin_flags=new.admin_flags, plugin_auth=new.plugin_auth,
        nsfw_policy=config.instance.default_nsfw_policy, p2p_enabled=config.defaults.p2p.webapp.enabled,
        videos_history_enabled=config.user.history.videos.enabled,
    )
    user.notification_setting = UserNotificationSetting()
    session.add(user)
    actor = build_local_actor(config.url, ActorType.PERSON, new.username)
    session.add(actor)
    await session.flush()
    account = Account(name=new.display_name or new.username, actor_id=actor.id, user_id=user.id)
    session.add(account)
    await session.flush()

    channel_name = new.channel_name or await available_local_name(session, f"{new.username}_channel")
    channel_actor = build_local_actor(config.url, ActorType.GROUP, channel_name)
    session.add(channel_actor)
    await session.flush()
    display = new.channel_display_name or config.user.default_channel_name.replace("$1", new.username)
    session.add(VideoChannel(name=display[:120], actor_id=channel_actor.id, account_id=account.id))
    await session.flush()
    return await get_user(session, user.id)


async def delete_user(session: AsyncSession, user: User) -> None:
    """Remove the user with everything it owns: actors go too, which frees their names for nobody
    else on purpose (PeerTube keeps names of deleted actors reserved through tombstones; we keep
    that rule once federation exists)."""
    account = user.account
    actor_ids = [account.actor_id] + [c.actor_id for c in account.channels]
    await session.execute(sa.delete(OAuthToken).where(OAuthToken.user_id == user.id))
    await session.delete(user)
    await session.flush()
    await session.execute(sa.delete(Actor).where(Actor.id.in_(actor_ids)))


async def list_users(session: AsyncSession, *, start: int, count: int, sort: str, search: str | None,
                     blocked: bool | None) -> tuple[int, list[User]]:
    query = sa.select(User)
    if search:
        like = f"%{search.lower()}%"
        query = query.where(sa.or_(User.username.like(like), sa.func.lower(User.email).like(like)))
    if blocked is not None:
        query = query.where(User.blocked.is_(blocked))
    total = (await session.execute(sa.select(sa.func.count()).select_from(query.subquery()))).scalar_one()
    descending = sort.startswith("-")
    column = USER_SORTS.get(sort.lstrip("-"))
    if column is None:
        raise invalid_param("sort", sort, "Should have a correct sortable column", "query")
    order = [column.desc() if descending else column.asc(), User.id.asc()]
    rows = (await session.execute(query.options(*user_loader()).order_by(*order).offset(start).limit(count))
            ).scalars().all()
    return total, list(rows)


async def video_quota_used(session: AsyncSession, user: User) -> tuple[int, int]:
    """(total, last 24 h) bytes used by the user's videos. No video storage exists before the
    videos issue, so nothing can be used yet."""
    return 0, 0


def ensure_can_be_managed(actor_role: int, target: User, acting_user_id: int) -> None:
    if target.username == "root" and actor_role != UserRole.ADMINISTRATOR:
        raise ProblemError(403, "Cannot manage the root user")
    if target.id != acting_user_id and not can_manage_role(actor_role, target.role):
        raise ProblemError(403, "Users with this role can only be managed by an administrator")
