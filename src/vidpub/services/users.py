"""Local users: creation (user + account + default channel), lookup, listing, deletion, and who may
manage whom."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from vidpub.config import Config
from vidpub.db.models import (Account, Actor, ActorType, NotificationSettingValue, User,
                              UserNotificationSetting, VideoChannel)
from vidpub.errors import ProblemError, conflict, invalid_param, not_found
from vidpub.services.actors import (CHANNEL_NAME_RE, SERVER_ACTOR_NAME, USERNAME_RE, available_local_name,
                                    build_local_actor, local_name_taken)
from vidpub.services.auth.passwords import password_too_long
from vidpub.services.playlists.watch_later import build_watch_later
from vidpub.services import follows, quota
from vidpub.services.auth.rights import UserRole, can_manage_role

ROOT_USERNAME = "root"
USER_SORTS = {
    "id": User.id, "username": User.username, "createdAt": User.created_at,
    "lastLoginDate": User.last_login_date, "role": User.role,
    # no video is stored before the videos issue, so every user has used 0 bytes: id keeps it stable
    "videoQuotaUsed": User.id,
}
# Every "new feature" bit PeerTube 8 knows (CHANNEL_COLLABORATION): a new user has nothing to discover.
ALL_NEW_FEATURES_READ = 1
_BOTH = NotificationSettingValue.WEB | NotificationSettingValue.EMAIL


@dataclass
class NewUser:
    username: str
    email: str
    password_hash: str | None
    role: int = UserRole.USER
    video_quota: int | None = None          # None: the instance default
    video_quota_daily: int | None = None
    email_verified: bool | None = None      # False: must verify before logging in; None: never asked
    admin_flags: int = 0
    display_name: str | None = None
    channel_name: str | None = None
    channel_display_name: str | None = None
    plugin_auth: str | None = None


def user_loader():
    """What every user JSON needs, loaded in a fixed number of queries."""
    return (joinedload(User.account).selectinload(Account.channels),
            joinedload(User.notification_setting))


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
    return (await session.execute(sa.select(User).options(*user_loader())
                                  .where(sa.func.lower(User.email) == email.strip().lower()))
            ).scalar_one_or_none()


async def email_taken(session: AsyncSession, email: str, except_user_id: int | None = None) -> bool:
    query = sa.select(User.id).where(sa.func.lower(User.email) == email.strip().lower())
    if except_user_id is not None:
        query = query.where(User.id != except_user_id)
    return (await session.execute(query.limit(1))).first() is not None


async def count_users(session: AsyncSession) -> int:
    return (await session.execute(sa.select(sa.func.count()).select_from(User))).scalar_one()


def check_password_rules(config: Config, password: object, field: str = "password") -> str:
    """`user.password_constraints.min_length` characters at least; at most 72 bytes, what bcrypt reads
    (PeerTube also caps at 255 characters, which 72 bytes already guarantee). The value is never
    echoed back."""
    minimum = int(config.user.password_constraints.min_length)
    if not isinstance(password, str) or len(password) < minimum or password_too_long(password):
        raise invalid_param(field, None, f"Should have a password of at least {minimum} characters "
                                         "and at most 72 bytes")
    return password


# -- names ------------------------------------------------------------------------------------------

def check_username(username: str, field: str = "username") -> str:
    if not isinstance(username, str) or not USERNAME_RE.fullmatch(username) or username == SERVER_ACTOR_NAME:
        raise invalid_param(field, username,
                            "Should have a valid username (lower case letters, digits, . and _)")
    return username


def check_channel_name(name: str, field: str = "channelName") -> str:
    if not isinstance(name, str) or not CHANNEL_NAME_RE.fullmatch(name):
        raise invalid_param(field, name, "Should have a valid channel name (letters, digits, - _ . :)")
    return name


async def ensure_names_available(session: AsyncSession, username: str, email: str, channel_name: str | None,
                                 channel_field: str = "channelName") -> None:
    """The checks PeerTube runs before creating a user, with its answers."""
    check_username(username)
    if channel_name is not None:
        check_channel_name(channel_name, channel_field)
        if channel_name == username:
            raise invalid_param(channel_field, channel_name,
                                "Channel name cannot be the same as user username.")
    taken = sa.select(User.id).where(sa.or_(User.username == username,
                                            sa.func.lower(User.email) == email.strip().lower())).limit(1)
    if (await session.execute(taken)).first() is not None:
        raise conflict("User with this username or email already exists.")
    if await local_name_taken(session, username):
        raise conflict("Another actor (account/channel) with this name on this instance already exists or "
                       "has already existed.")
    if channel_name is not None and await local_name_taken(session, channel_name):
        raise conflict(f"Channel with name {channel_name} already exists.")


# -- creation and deletion --------------------------------------------------------------------------

def _default_notification_settings() -> UserNotificationSetting:
    # PeerTube mails these by default; the rest defaults to the web only (the model's default)
    return UserNotificationSetting(
        abuse_as_moderator=_BOTH, video_auto_blacklist_as_moderator=_BOTH, blacklist_on_my_video=_BOTH,
        abuse_new_message=_BOTH, abuse_state_change=_BOTH, new_peertube_version=_BOTH)


async def create_user(session: AsyncSession, config: Config, new: NewUser) -> User:
    """Create the user, its account (a Person actor) and its default channel (a Group actor)."""
    await ensure_names_available(session, new.username, new.email, new.channel_name)
    quota = config.user.video_quota if new.video_quota is None else new.video_quota
    daily_quota = config.user.video_quota_daily if new.video_quota_daily is None else new.video_quota_daily
    user = User(
        username=new.username, email=new.email, password=new.password_hash, role=int(new.role),
        video_quota=quota, video_quota_daily=daily_quota, email_verified=new.email_verified,
        admin_flags=new.admin_flags, plugin_auth=new.plugin_auth,
        nsfw_policy=config.instance.default_nsfw_policy, p2p_enabled=config.defaults.p2p.webapp.enabled,
        auto_play_video=config.defaults.player.auto_play,
        videos_history_enabled=config.user.history.videos.enabled,
        new_features_info_read=ALL_NEW_FEATURES_READ,
    )
    user.notification_setting = _default_notification_settings()
    try:
        session.add(user)
        actor = build_local_actor(config.url, ActorType.PERSON, new.username)
        session.add(actor)
        await session.flush()
        account = Account(name=new.display_name or new.username, actor_id=actor.id, user_id=user.id)
        session.add(account)
        await session.flush()
        session.add(build_watch_later(config.url, account.id))

        channel_name = new.channel_name or await available_local_name(session, f"{new.username}_channel")
        channel_actor = build_local_actor(config.url, ActorType.GROUP, channel_name)
        session.add(channel_actor)
        await session.flush()
        display = new.channel_display_name or config.user.default_channel_name.replace("$1", new.username)
        session.add(VideoChannel(name=display[:120], actor_id=channel_actor.id, account_id=account.id))
        await session.flush()
    except IntegrityError:
        # another request took one of the names between our checks and the insert
        raise conflict("User with this username or email already exists.") from None
    return await get_user(session, user.id)


async def delete_user(session: AsyncSession, user: User) -> None:
    """Remove the user with everything it owns: removing its actors removes the account and the
    channels (foreign keys cascade), removing the user its sessions and settings.

    PeerTube keeps the names of deleted actors reserved (tombstones); that rule arrives with federation."""
    account = user.account
    actor_ids = [account.actor_id] + [channel.actor_id for channel in account.channels]
    await follows.remove_follows_of(session, actor_ids)
    await session.execute(sa.delete(Actor).where(Actor.id.in_(actor_ids)))
    await session.execute(sa.delete(User).where(User.id == user.id))


# -- listing ----------------------------------------------------------------------------------------

def like_pattern(search: str) -> str:
    """`%search%` for a LIKE with `\\` as escape character, matching the text literally."""
    escaped = search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def contains_text(column, search: str) -> sa.ColumnElement:
    """`column` holds `search`, case aside and literally (no LIKE wildcards of the user's)."""
    return sa.func.lower(column).like(like_pattern(search), escape="\\")


async def list_users(session: AsyncSession, *, start: int, count: int, sort: str, search: str | None,
                     blocked: bool | None, role: int | None = None) -> tuple[int, list[User]]:
    query = sa.select(User)
    if search:
        pattern = like_pattern(search)
        query = query.where(sa.or_(sa.func.lower(User.username).like(pattern, escape="\\"),
                                   sa.func.lower(User.email).like(pattern, escape="\\")))
    if blocked is not None:
        query = query.where(User.blocked == blocked)
    if role is not None:
        query = query.where(User.role == role)
    total = (await session.execute(sa.select(sa.func.count()).select_from(query.subquery()))).scalar_one()
    column = USER_SORTS.get(sort.lstrip("-"))
    if column is None:
        raise invalid_param("sort", sort, "Should have a correct sortable column", "query")
    order = column.desc() if sort.startswith("-") else column.asc()
    rows = (await session.execute(query.options(*user_loader()).order_by(order, User.id.asc())
                                  .offset(start).limit(count))).scalars().all()
    return total, list(rows)


async def video_quota_used(session: AsyncSession, user: User) -> tuple[int, int]:
    """(total, last 24 h) bytes used by the user's videos (services.quota)."""
    return await quota.quota_used(session, user.id)


async def user_stats(session: AsyncSession, user: User) -> dict[str, int]:
    """What `withStats` adds. Comments and abuses do not exist before their issues: those counts
    are truly 0 until then."""
    return dict(videosCount=await quota.videos_count(session, user.id), abusesCount=0, abusesAcceptedCount=0,
                abusesCreatedCount=0, videoCommentsCount=0,
                totalVideoFileSize=await quota.total_file_size(session, user.id))


# -- who manages whom -------------------------------------------------------------------------------

def ensure_can_moderate(manager: User, target: User) -> None:
    """Administrators manage everyone; moderators manage plain users only (so not another moderator,
    nor themselves through the admin routes)."""
    if not can_manage_role(manager.role, target.role):
        raise ProblemError(403, "Users can only be managed by moderators or admins.")


def is_root(user: User) -> bool:
    return user.username == ROOT_USERNAME
