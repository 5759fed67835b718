"""`GET /search/video-playlists`: public playlists (not "Watch later") by the words of their name and
description, by relevance unless asked otherwise; a playlist's URL names the playlist itself. Playlists
of muted accounts and servers are left out.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import (
    Account,
    Actor,
    Server,
    User,
    VideoPlaylist,
    VideoPlaylistPrivacy,
    VideoPlaylistType,
)
from vidpub.schemas.playlists import VideoPlaylistJson
from vidpub.services import blocklists
from vidpub.services.playlists.listing import playlists_json
from vidpub.services.playlists.lookup import JSON_OPTIONS
from vidpub.services.search import fulltext, references
from vidpub.services.search.sorting import ranked_ids
from vidpub.services.search.terms import search_terms

SORT_COLUMNS = frozenset({"match", "displayName", "createdAt"})
DEFAULT_SORT = "-match"
_SORTS = {"displayName": sa.func.lower(VideoPlaylist.name), "createdAt": VideoPlaylist.created_at}


@dataclass
class PlaylistSearch:
    search: str | None
    start: int
    count: int
    sort: str
    host: str | None = None
    uuids: list[str] | None = None


def _referenced(reference: references.Reference):
    if reference.kind == references.PLAYLIST:
        return VideoPlaylist.uuid == reference.uuid if reference.uuid else sa.false()
    if reference.kind == references.ANY and reference.url is not None:
        return VideoPlaylist.url == reference.url
    return sa.false()  # a handle, or the page of a video, channel or account


def _host_condition(config: Config, host: str):
    owners = sa.select(Account.id).join(Actor, Actor.id == Account.actor_id)
    if host.lower() == config.host.lower():
        return VideoPlaylist.owner_account_id.in_(owners.where(Actor.server_id.is_(None)))
    return VideoPlaylist.owner_account_id.in_(owners.join(Server, Server.id == Actor.server_id)
                                              .where(Server.host == host.lower()))


async def search_playlists(session: AsyncSession, config: Config, query: PlaylistSearch,
                           user: User | None) -> tuple[int, list[VideoPlaylistJson]]:
    conditions = [VideoPlaylist.privacy == VideoPlaylistPrivacy.PUBLIC,
                  VideoPlaylist.type == VideoPlaylistType.REGULAR,
                  blocklists.not_muted(VideoPlaylist.owner_account_id, user)]
    if query.host:
        conditions.append(_host_condition(config, query.host))
    if query.uuids:
        conditions.append(VideoPlaylist.uuid.in_([uuid.lower() for uuid in query.uuids]))
    reference = references.parse(config, query.search)
    words = [] if reference is not None else search_terms(query.search)
    if reference is not None:
        conditions.append(_referenced(reference))
    elif query.search and not words:
        conditions.append(sa.false())
    page = functools.partial(ranked_ids, session, VideoPlaylist, fulltext.PLAYLISTS, words=words, conditions=conditions,
                             sort=query.sort, sorts=_SORTS, start=query.start, count=query.count)
    total, ids = await page(fuzzy=False)
    if total == 0 and words and query.start == 0 and await fulltext.fuzzy_available(session):
        total, ids = await page(fuzzy=True)
    if not ids:
        return total, []
    found = (await session.execute(sa.select(VideoPlaylist).options(*JSON_OPTIONS)
                                   .where(VideoPlaylist.id.in_(ids)))).unique().scalars().all()
    by_id = {row.id: row for row in found}
    return total, await playlists_json(session, config, [by_id[i] for i in ids if i in by_id])

