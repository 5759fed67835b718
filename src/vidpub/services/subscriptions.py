"""A user's subscriptions: the channels their account follows (`ActorFollow` rows whose follower is
the account's actor), named by handle as PeerTube's routes take them (`name` or `name@host`).

A remote channel is followed by an `activitypub-follow` job (WebFinger, Follow, then the channel's
Accept): PeerTube too answers before its follow job runs.
"""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from vidpub.config import Config
from vidpub.db.models import Actor, ActorFollow, FollowState, Server, User, VideoChannel
from vidpub.errors import not_found
from vidpub.federation.follow_jobs import enqueue_follow
from vidpub.federation.follows import cancel_follow
from vidpub.services import follows

log = logging.getLogger("vidpub.subscriptions")

# PeerTube's actor handles in these routes: `name@host` (the host is required, even our own), the
# name in actor-name characters, the host a domain or address with an optional port
HANDLE_RE = re.compile(r"^([a-zA-Z0-9\-_.:]{1,255})@([a-zA-Z0-9\-.]{1,253}(?::\d{1,5})?)$")
SORT_COLUMNS = frozenset({"id", "createdAt", "channelUpdatedAt"})


def parse_handle(handle: str) -> tuple[str, str] | None:
    """(name, host) of a valid handle, else None."""
    match = HANDLE_RE.fullmatch(handle or "")
    return (match.group(1), match.group(2)) if match else None


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _is_local(config: Config, host: str | None) -> bool:
    return host is None or host.lower() == config.host.lower()


def _target_condition(config: Config, name: str, host: str | None):
    """The followed actor named `name@host`."""
    if _is_local(config, host):
        return sa.and_(sa.func.lower(Actor.preferred_username) == name.lower(), Actor.server_id.is_(None))
    return sa.and_(Actor.preferred_username == name,
                   Actor.server_id.in_(sa.select(Server.id).where(Server.host == host.lower())))


def _my_follows(user: User):
    return sa.and_(ActorFollow.actor_id == user.account.actor_id, ActorFollow.state == FollowState.ACCEPTED)


# -- subscribing --------------------------------------------------------------------------------------

async def subscribe(session: AsyncSession, config: Config, user: User, handle: str) -> None:
    """Follow the channel `handle`. A local channel is followed at once; PeerTube answers before
    anything is looked up, so an unknown or non-channel handle changes nothing and is no error."""
    name, host = parse_handle(handle)
    if not _is_local(config, host):
        # as PeerTube: a job finds the remote channel (WebFinger) and sends the Follow; the
        # subscription is listed once the channel's server accepted it
        enqueue_follow(session, user.account.actor, f"{name}@{host.lower()}")
        await session.commit()
        return
    channel = (await session.execute(
        sa.select(VideoChannel).join(Actor, Actor.id == VideoChannel.actor_id)
        .where(_target_condition(config, name, None)))).unique().scalar_one_or_none()
    if channel is None:
        log.info("subscription of %s to %s: no such local channel", user.username, handle)
        return
    await follows.follow_local_actor(session, user.account.actor, channel.actor)
    await session.commit()


async def _subscription(session: AsyncSession, config: Config, user: User, handle: str
                        ) -> tuple[ActorFollow, VideoChannel]:
    parsed = parse_handle(handle)
    row = None
    if parsed is not None:
        query = (sa.select(ActorFollow, VideoChannel)
                 .join(Actor, Actor.id == ActorFollow.target_actor_id)
                 .join(VideoChannel, VideoChannel.actor_id == Actor.id)
                 .where(_my_follows(user), _target_condition(config, *parsed))
                 .options(joinedload(VideoChannel.account)))
        row = (await session.execute(query)).unique().first()
    if row is None:
        raise not_found(f"Subscription {handle} not found.")
    return row[0], row[1]


async def get_subscription(session: AsyncSession, config: Config, user: User, handle: str) -> VideoChannel:
    """The followed channel (with its owner account loaded); 404 when not subscribed."""
    return (await _subscription(session, config, user, handle))[1]


async def unsubscribe(session: AsyncSession, config: Config, user: User, handle: str) -> None:
    follow, channel = await _subscription(session, config, user, handle)
    if channel.actor.is_local:
        await follows.remove_follow(session, follow)
    else:
        await cancel_follow(session, follow)  # sends the Undo
    await session.commit()


# -- reading ----------------------------------------------------------------------------------------

def _order(sort: str) -> list:
    column = {"id": ActorFollow.id, "createdAt": ActorFollow.created_at,
              "channelUpdatedAt": VideoChannel.updated_at}[sort.lstrip("-")]
    return [column.desc() if sort.startswith("-") else column.asc(), ActorFollow.id.desc()]


async def list_subscriptions(session: AsyncSession, user: User, *, start: int, count: int, sort: str,
                             search: str | None = None) -> tuple[int, list[VideoChannel]]:
    """The channels the user follows, with their owner accounts; `search` matches the channel's
    name or display name."""
    conditions = [_my_follows(user)]
    if search:
        pattern = _like(search)
        conditions.append(sa.or_(sa.func.lower(Actor.preferred_username).like(pattern, escape="\\"),
                                 sa.func.lower(VideoChannel.name).like(pattern, escape="\\")))
    base = (sa.select(VideoChannel).join(Actor, Actor.id == VideoChannel.actor_id)
            .join(ActorFollow, ActorFollow.target_actor_id == Actor.id).where(*conditions))
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.subquery()))).scalar_one()
    channels: list[VideoChannel] = []
    if count and total > start:
        channels = list((await session.execute(
            base.options(joinedload(VideoChannel.account)).order_by(*_order(sort)).offset(start).limit(count)
        )).unique().scalars())
    return total, channels


async def subscriptions_exist(session: AsyncSession, config: Config, user: User,
                              uris: list[str]) -> dict[str, bool]:
    """`{uri: subscribed?}` for each given handle (answered as given)."""
    parsed = {uri: parse_handle(uri) for uri in uris}
    conditions = [_target_condition(config, *handle) for handle in parsed.values() if handle is not None]
    followed: set[tuple[str, str | None]] = set()
    if conditions:
        rows = await session.execute(
            sa.select(Actor.preferred_username, Server.host)
            .join(ActorFollow, ActorFollow.target_actor_id == Actor.id)
            .outerjoin(Server, Server.id == Actor.server_id).where(_my_follows(user), sa.or_(*conditions)))
        followed = {(name.lower(), host) for name, host in rows}
    out = {}
    for uri, handle in parsed.items():
        if handle is None:
            out[uri] = False
            continue
        name, host = handle
        key_host = None if _is_local(config, host) else host.lower()
        out[uri] = (name.lower(), key_host) in followed
    return out


def followed_channel_ids(user: User) -> sa.Select:
    """The ids of the channels `user` follows, as a subquery for the video lists."""
    return (sa.select(VideoChannel.id).join(ActorFollow, ActorFollow.target_actor_id == VideoChannel.actor_id)
            .where(_my_follows(user)))
