"""`GET /search/video-channels`: channels by the words of their display name, name (handle) and
description, by relevance unless asked otherwise; a handle or a URL names the channel itself (an
account's handle or URL: that account's channels). Channels of muted accounts and servers are left out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Account, Actor, Server, User, VideoChannel
from vidpub.schemas.video_channels import VideoChannelList
from vidpub.services import blocklists, channels
from vidpub.services.search import fulltext, references
from vidpub.services.search.sorting import ranked_ids
from vidpub.services.search.terms import search_terms

SORT_COLUMNS = frozenset({"match", "displayName", "createdAt"})
DEFAULT_SORT = "-match"
_SORTS = {"displayName": sa.func.lower(VideoChannel.name), "createdAt": VideoChannel.created_at}


@dataclass
class ChannelSearch:
    search: str | None
    start: int
    count: int
    sort: str
    host: str | None = None
    handles: list[str] | None = None


def actor_named(config: Config, name: str, host: str | None):
    """The condition on `Actor` of the actor `name` (`host`: None or this instance's for a local one)."""
    if host is None or host.lower() == config.host.lower():
        return sa.and_(sa.func.lower(Actor.preferred_username) == name.lower(), Actor.server_id.is_(None))
    return sa.and_(Actor.preferred_username == name,
                   Actor.server_id.in_(sa.select(Server.id).where(Server.host == host.lower())))


def _channels_of_actors(actor_condition) -> sa.Select:
    """Ids of the channels whose actor matches, or whose owning account's actor does."""
    own = sa.select(VideoChannel.id).join(Actor, Actor.id == VideoChannel.actor_id).where(actor_condition)
    owned = (sa.select(VideoChannel.id).join(Account, Account.id == VideoChannel.account_id)
             .join(Actor, Actor.id == Account.actor_id).where(actor_condition))
    return sa.union(own, owned)


def _referenced(config: Config, reference: references.Reference):
    """Ids of the channels a handle or a URL names (a query), or None when it names none."""
    if reference.kind in (references.CHANNEL, references.ACCOUNT) or (reference.kind == references.ANY
                                                                      and reference.name is not None):
        return _channels_of_actors(actor_named(config, reference.name, reference.host))
    if reference.kind == references.ANY and reference.url is not None:
        return _channels_of_actors(Actor.url == reference.url)
    return None


def _handle_ids(config: Config, handles: list[str]):
    conditions = []
    for handle in handles:
        name, _, host = handle.lstrip("@").partition("@")
        if name:
            conditions.append(actor_named(config, name, host or None))
    if not conditions:
        return sa.select(VideoChannel.id).where(sa.false())
    return sa.select(VideoChannel.id).join(Actor, Actor.id == VideoChannel.actor_id).where(sa.or_(*conditions))


def _host_condition(config: Config, host: str):
    if host.lower() == config.host.lower():
        return VideoChannel.actor_id.in_(sa.select(Actor.id).where(Actor.server_id.is_(None)))
    return VideoChannel.actor_id.in_(sa.select(Actor.id).join(Server, Server.id == Actor.server_id)
                                     .where(Server.host == host.lower()))


async def search_channels(session: AsyncSession, config: Config, query: ChannelSearch,
                          user: User | None) -> VideoChannelList:
    conditions = [blocklists.not_muted(VideoChannel.account_id, user)]
    if query.host:
        conditions.append(_host_condition(config, query.host))
    if query.handles:
        conditions.append(VideoChannel.id.in_(_handle_ids(config, query.handles)))
    reference = references.parse(config, query.search)
    words = [] if reference is not None else search_terms(query.search)
    if reference is not None:
        referenced = _referenced(config, reference)
        conditions.append(VideoChannel.id.in_(referenced) if referenced is not None else sa.false())
    elif query.search and not words:
        conditions.append(sa.false())
    page = functools.partial(ranked_ids, session, VideoChannel, fulltext.CHANNELS, words=words, conditions=conditions,
                             sort=query.sort, sorts=_SORTS, start=query.start, count=query.count)
    total, ids = await page(fuzzy=False)
    if total == 0 and words and query.start == 0 and await fulltext.fuzzy_available(session):
        total, ids = await page(fuzzy=True)
    rows = []
    if ids:
        found = (await session.execute(sa.select(VideoChannel).options(channels.with_owner())
                                        .where(VideoChannel.id.in_(ids)))).scalars().all()
        by_id = {row.id: row for row in found}
        rows = [by_id[channel_id] for channel_id in ids if channel_id in by_id]
    return await channels.channel_list_json(session, config, total, rows, with_stats=False)

