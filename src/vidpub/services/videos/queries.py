"""The video lists (`GET /videos`, a channel's or an account's videos, `GET /users/me/videos`), written
once: filters and sorts become one `select()` of ids, paginated in the database, then the page's
rows and what their JSON needs are batch-loaded (`loading.py`).

Who sees what (PeerTube's rules): public lists show PUBLIC videos, and INTERNAL ones to logged-in
users, in a listed state (published, or transcoding when not asked to wait for it); moderators may
widen that with `privacyOneOf` and `include`. A user's own list shows all of their videos.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import operators

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (Actor, Server, Tag, User, UserVideoHistory, Video, VideoChannel, VideoFile,
                              VideoPrivacy, VideoState, VideoStreamingPlaylist, video_tag)
from vidpub.services import blocklists
from vidpub.services.search import fulltext
from vidpub.services.search.terms import search_terms
from vidpub.services.videos import counting, ranking
from vidpub.services.videos.lookup import SHORT_LENGTH, ref_condition, uuid_from_short
from vidpub.services.videos.sql import NotInSubquery


class VideoInclude:
    """PeerTube's `include` bits (moderators' lists)."""
    NONE = 0
    NOT_PUBLISHED_STATE = 1 << 0
    BLACKLISTED = 1 << 1
    BLOCKED_OWNER = 1 << 2
    FILES = 1 << 3
    CAPTIONS = 1 << 4
    SOURCE = 1 << 5
    AUTOMATIC_TAGS = 1 << 6
    TAGS = 1 << 7
    ALL = (1 << 8) - 1


UNKNOWN_LANGUAGE = "_unknown"
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)

SORT_COLUMNS = frozenset({"name", "duration", "createdAt", "publishedAt", "originallyPublishedAt", "views",
                          "likes", "comments", "trending", "hot", "best", "localVideoFilesSize"})


@dataclass
class VideoFilters:
    """The filters of PeerTube's video lists (`VideosCommonQuery`), already validated."""
    category_one_of: list[int] | None = None
    licence_one_of: list[int] | None = None
    language_one_of: list[str] | None = None
    tags_one_of: list[str] | None = None
    tags_all_of: list[str] | None = None
    nsfw: bool | None = None               # None: both
    nsfw_flags_included: int | None = None  # shown even when nsfw videos are not
    nsfw_flags_excluded: int | None = None  # hidden even when nsfw videos are shown
    is_local: bool | None = None
    is_live: bool | None = None
    privacy_one_of: list[int] | None = None
    state_one_of: list[int] | None = None
    include: int = VideoInclude.NONE
    has_hls_files: bool | None = None
    has_web_video_files: bool | None = None
    search: str | None = None
    host: str | None = None
    uuids: list[str] | None = None
    exclude_already_watched: bool = False
    channel_ids: list[int] | None = None
    account_id: int | None = None
    # a user's own list: every privacy and state
    owned: bool = False
    # the search API's own filters (inclusive bounds)
    published_after: datetime | None = None
    published_before: datetime | None = None
    originally_published_after: datetime | None = None
    originally_published_before: datetime | None = None
    duration_min: int | None = None
    duration_max: int | None = None
    # `search` by name similarity rather than words (PostgreSQL with pg_trgm; services/search)
    fuzzy_search: bool = False


@dataclass(frozen=True)
class Page:
    start: int
    count: int
    sort: str
    skip_count: bool = False


def _constants(values) -> list:
    """Integers written into the SQL rather than bound: PostgreSQL's generic plan then knows that
    privacy 1 is most videos. With a parameter it guessed a quarter of them, and ANDed the list
    index's bitmap (90,000 rows) to a search's (438): 3.5 ms, against 0.7 ms for the search alone.
    (SQLite, built without STAT4, plans literals and parameters alike.)"""
    return [sa.literal_column(str(int(value)), sa.SmallInteger()) for value in values]


def _visibility(filters: VideoFilters, user: User | None) -> list:
    if filters.owned:
        conditions = []
        if filters.privacy_one_of:
            conditions.append(Video.privacy.in_(_constants(filters.privacy_one_of)))
        return conditions
    privacies = filters.privacy_one_of or (
        [VideoPrivacy.PUBLIC, VideoPrivacy.INTERNAL] if user is not None else [VideoPrivacy.PUBLIC])
    conditions = [Video.privacy.in_(_constants(privacies))]
    if not filters.include & VideoInclude.NOT_PUBLISHED_STATE:
        published, to_transcode = _constants((VideoState.PUBLISHED, VideoState.TO_TRANSCODE))
        conditions.append(sa.or_(Video.state == published,
                                 sa.and_(Video.state == to_transcode, Video.wait_transcoding.is_(False))))
    return conditions


def _nsfw(filters: VideoFilters) -> list:
    conditions = []
    if filters.nsfw is True:
        conditions.append(Video.nsfw.is_(True))
    elif filters.nsfw is False:
        if filters.nsfw_flags_included:
            conditions.append(sa.or_(Video.nsfw.is_(False),
                                     Video.nsfw_flags.op("&")(filters.nsfw_flags_included) != 0))
        else:
            conditions.append(Video.nsfw.is_(False))
    if filters.nsfw_flags_excluded:
        conditions.append(sa.or_(Video.nsfw.is_(False), Video.nsfw_flags.op("&")(filters.nsfw_flags_excluded) == 0))
    return conditions


def named_video(search: str):
    """A search that names one video by its UUID or its (22-character) short UUID finds that video
    only; None for any other text. (Shorter base58 strings would include most words.)"""
    if _UUID.match(search) or (len(search) == SHORT_LENGTH and uuid_from_short(search) is not None):
        return ref_condition(search)
    return None


def search_words(filters: VideoFilters) -> list[str]:
    """The words the list matches in full text (none when the search names a video)."""
    if not filters.search or named_video(filters.search) is not None:
        return []
    return search_terms(filters.search)


def _search(filters: VideoFilters, full_text: bool):
    """Every word of the search in the name, the tags or the description (full text, accents and case
    folded: services/search/fulltext.py), or the video its UUID names. Without `full_text` the caller
    joins the matches itself (`list_video_ids`)."""
    named = named_video(filters.search)
    if named is not None:
        return named
    terms = search_terms(filters.search)
    if not terms:
        return sa.false()
    return fulltext.matches(Video.id, fulltext.VIDEOS, terms) if full_text else None


def _tag_video_ids(tags: list[str]):
    return (sa.select(video_tag.c.video_id).join(Tag, Tag.id == video_tag.c.tag_id)
            .where(sa.func.lower(Tag.name).in_([tag.lower() for tag in tags])))


def _conditions(config: Config, filters: VideoFilters, user: User | None, full_text: bool = True) -> list:
    conditions = _visibility(filters, user) + _nsfw(filters)
    if filters.category_one_of:
        conditions.append(Video.category.in_(filters.category_one_of))
    if filters.licence_one_of:
        conditions.append(Video.licence.in_(filters.licence_one_of))
    if filters.language_one_of:
        known = [language for language in filters.language_one_of if language != UNKNOWN_LANGUAGE]
        options = [Video.language.in_(known)] if known else []
        if UNKNOWN_LANGUAGE in filters.language_one_of:
            options.append(Video.language.is_(None))
        conditions.append(sa.or_(*options))
    if filters.tags_one_of:
        conditions.append(Video.id.in_(_tag_video_ids(filters.tags_one_of)))
    if filters.tags_all_of:
        wanted = {tag.lower() for tag in filters.tags_all_of}
        conditions.append(Video.id.in_(
            _tag_video_ids(list(wanted)).group_by(video_tag.c.video_id)
            .having(sa.func.count(sa.distinct(sa.func.lower(Tag.name))) == len(wanted))))
    if filters.is_local is not None:
        conditions.append(Video.remote.is_(not filters.is_local))
    if filters.is_live is not None:
        conditions.append(Video.is_live.is_(filters.is_live))
    if filters.state_one_of:
        conditions.append(Video.state.in_(filters.state_one_of))
    if filters.has_hls_files is not None:
        has_hls = sa.exists().where(VideoStreamingPlaylist.video_id == Video.id)
        conditions.append(has_hls if filters.has_hls_files else ~has_hls)
    if filters.has_web_video_files is not None:
        has_web = sa.exists().where(VideoFile.video_id == Video.id)
        conditions.append(has_web if filters.has_web_video_files else ~has_web)
    if filters.search:
        search = _search(filters, full_text)
        if search is not None:
            conditions.append(search)
    if filters.host:
        if filters.host.lower() == config.host.lower():
            conditions.append(Video.remote.is_(False))
        else:
            conditions.append(Video.channel_id.in_(
                sa.select(VideoChannel.id).join(Actor, Actor.id == VideoChannel.actor_id)
                .join(Server, Server.id == Actor.server_id).where(Server.host == filters.host.lower())))
    if filters.uuids:
        conditions.append(Video.uuid.in_([uuid.lower() for uuid in filters.uuids]))
    if filters.exclude_already_watched and user is not None:
        conditions.append(~sa.exists().where(UserVideoHistory.video_id == Video.id,
                                             UserVideoHistory.user_id == user.id))
    if filters.channel_ids is not None:
        conditions.append(Video.channel_id.in_(filters.channel_ids))
    if filters.account_id is not None:
        conditions.append(Video.channel_id.in_(
            sa.select(VideoChannel.id).where(VideoChannel.account_id == filters.account_id)))
    conditions += _ranges(filters)
    # blocklists: muted accounts and servers (the viewer's and the instance's) are hidden, unless a
    # moderator asks for them with `include` (services/blocklists.py)
    if not filters.owned and not filters.include & VideoInclude.BLOCKED_OWNER:
        conditions.append(NotInSubquery(Video.channel_id, blocklists.muted_channel_ids_subquery(user)))
    return conditions


def list_conditions(config: Config, filters: VideoFilters, user: User | None) -> list:
    """The WHERE clauses of a video list, for lists ordered by something of their own (the watch
    history, ordered by when each video was watched)."""
    return _conditions(config, filters, user)


def _ranges(filters: VideoFilters) -> list:
    conditions = []
    if filters.published_after is not None:
        conditions.append(Video.published_at >= filters.published_after)
    if filters.published_before is not None:
        conditions.append(Video.published_at <= filters.published_before)
    if filters.originally_published_after is not None:
        conditions.append(Video.originally_published_at >= filters.originally_published_after)
    if filters.originally_published_before is not None:
        conditions.append(Video.originally_published_at <= filters.originally_published_before)
    if filters.duration_min is not None:
        conditions.append(Video.duration >= filters.duration_min)
    if filters.duration_max is not None:
        conditions.append(Video.duration <= filters.duration_max)
    return conditions


# sorts on a column of the row (built once: building SQL expressions costs on every request)
_COLUMN_SORTS = {"name": Video.name, "duration": Video.duration, "createdAt": Video.created_at,
                 "publishedAt": Video.published_at, "views": Video.views, "likes": Video.likes,
                 "comments": Video.comments,
                 "originallyPublishedAt": sa.func.coalesce(Video.originally_published_at, Video.published_at)}
# the search API's sort by relevance (and the video lists' sorts)
MATCH_SORT = "match"


def sort_order(config: Config, sort: str, user: User | None, now: datetime | None = None, *,
               relevance: sa.ColumnElement | None = None) -> list:
    """ORDER BY of a PeerTube sort (`-` = descending); ties broken by id, as PeerTube does.
    `match` (the search API's) orders by `relevance`; without one it is `-publishedAt`."""
    descending = sort.startswith("-")
    column = sort.lstrip("-")

    def directed(expression):
        return expression.desc() if descending else expression.asc()

    if column in _COLUMN_SORTS:
        return [directed(_COLUMN_SORTS[column]), Video.id.asc()]
    if column == "localVideoFilesSize":
        return [directed(ranking.local_files_size()), Video.id.asc()]
    if column == MATCH_SORT:
        if relevance is None:
            return [Video.published_at.desc(), Video.id.asc()]
        return [directed(relevance), Video.published_at.desc(), Video.id.asc()]
    if column == "trending":
        score = ranking.trending_score(int(config.trending.videos.interval_days), now or utcnow())
    elif column in ("hot", "best"):
        score = ranking.hot_score(user.id if column == "best" and user is not None else None)
    else:
        raise ValueError(f"unknown video sort {sort!r}")
    return [directed(score), directed(Video.views), Video.id.asc()]


@dataclass
class ListStatements:
    """The statements of one list (filters, sort, viewer), reusable from request to request."""
    ids: sa.Select    # id, then the sort keys (`key0`, `key1`...); LIMIT/OFFSET bound as `page_count`/`page_start`
    count: sa.Select
    order: list[tuple[str, bool]]  # (sort key column, descending) in order
    # full-text searches also select `matches`, the number of rows before LIMIT (a window count): their
    # page already visits every match, a separate COUNT would run the search twice
    counted_in_page: bool = False
    derived: dict[str, sa.Select] = field(default_factory=dict)  # statements other modules build on `ids`


# Built statements, reused: building one costs more than running it (hundreds of microseconds for the
# visibility and blocklist conditions), and a reused statement also skips SQLAlchemy's cache-key walk.
# Keyed by what they are built from; the sorts that read the clock are built each time.
_STATEMENTS: OrderedDict[tuple, ListStatements] = OrderedDict()
MAX_STATEMENTS = 512
_CLOCK_SORTS = frozenset({"trending"})


def _list_statements(dialect: str, config: Config, filters: VideoFilters, sort: str,
                     user: User | None) -> ListStatements:
    words = search_words(filters)
    from_ = Video.__table__
    count_query, relevance = sa.select(sa.func.count()).select_from(Video), None
    conditions = _conditions(config, filters, user, full_text=not words)
    if words:
        ranked = sort.lstrip("-") == MATCH_SORT  # relevance costs (bm25 reads every match's positions)
        in_row = fulltext.in_row(dialect, fulltext.VIDEOS, words, Video.id, fuzzy=filters.fuzzy_search,
                                 ranked=ranked)
        if in_row is not None:  # PostgreSQL: each match's document and visibility come in one fetch
            matching, relevance = in_row
            conditions.append(matching)
        else:
            matched = fulltext.matched(dialect, fulltext.VIDEOS, words, fuzzy=filters.fuzzy_search, ranked=ranked)
            from_ = from_.join(matched, matched.c.id == Video.id)
            count_query = count_query.join(matched, matched.c.id == Video.id)
            relevance = matched.c.rank if ranked else None
    order = sort_order(config, sort, user, relevance=relevance)
    # the sort keys are selected too, so that a query joining this page can keep its order
    keys = [(clause.element.label(f"key{index}"), clause.modifier is operators.desc_op)
            for index, clause in enumerate(order)]
    columns = [Video.id, *(key for key, _ in keys)]
    if words:
        columns.append(sa.func.count().over().label("matches"))
    # The page bounds are written into the SQL at execution (`literal_execute`), the rest stays bound:
    # PostgreSQL then keeps one generic plan per prepared statement. With LIMIT as a parameter its
    # generic plan cannot use the sort index, so it re-planned the many joins on every request
    # (1.3 ms of its CPU per front page, against 0.3 ms to run the query).
    ids_query = (sa.select(*columns).select_from(from_).where(*conditions).order_by(*order)
                 .offset(sa.bindparam("page_start", type_=sa.Integer(), literal_execute=True))
                 .limit(sa.bindparam("page_count", type_=sa.Integer(), literal_execute=True)))
    return ListStatements(ids=ids_query, count=count_query.where(*conditions),
                          order=[(key.name, descending) for key, descending in keys], counted_in_page=bool(words))


def list_statements(dialect: str, config: Config, filters: VideoFilters, sort: str,
                    user: User | None) -> tuple[tuple, ListStatements]:
    """(the key naming the list for caches, its statements)."""
    key = (dialect, config.host, repr(filters), sort, user.id if user is not None else None)
    if sort.lstrip("-") in _CLOCK_SORTS:
        return key, _list_statements(dialect, config, filters, sort, user)
    statements = _STATEMENTS.get(key)
    if statements is None:
        statements = _STATEMENTS[key] = _list_statements(dialect, config, filters, sort, user)
        while len(_STATEMENTS) > MAX_STATEMENTS:
            _STATEMENTS.popitem(last=False)
    else:
        _STATEMENTS.move_to_end(key)
    return key, statements


async def list_total(connection, key: tuple, statements: ListStatements) -> int:
    return await counting.count(connection, key, statements.count)


async def list_video_ids(session: AsyncSession, config: Config, filters: VideoFilters, page: Page,
                         user: User | None) -> tuple[int | None, list[int]]:
    """(total — None when `skip_count` —, ids of the page in order).

    A full-text search joins its matches with their relevance (the matches lead the query plan);
    other lists walk the video table in the sort's order. Statements run on the session's connection
    (Core: no ORM work for ids)."""
    connection = await session.connection()
    key, statements = list_statements(connection.dialect.name, config, filters, page.sort, user)
    ids, total = [], None
    if page.count:
        rows = (await connection.execute(statements.ids, {"page_start": page.start, "page_count": page.count})).all()
        ids = [row.id for row in rows]
        if rows and statements.counted_in_page and not page.skip_count:
            total = rows[0].matches
    if total is None and not page.skip_count:
        total = await list_total(connection, key, statements)
    return total, ids
