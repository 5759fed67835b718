"""The video lists (`GET /videos`, a channel's or an account's videos, `GET /users/me/videos`), written
once: filters and sorts become one `select()` of ids, paginated in the database, then the page's
rows and what their JSON needs are batch-loaded (`loading.py`).

Who sees what (PeerTube's rules): public lists show PUBLIC videos, and INTERNAL ones to logged-in
users, in a listed state (published, or transcoding when not asked to wait for it); moderators may
widen that with `privacyOneOf` and `include`. A user's own list shows all of their videos.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (Actor, Server, Tag, User, UserVideoHistory, Video, VideoChannel, VideoFile,
                              VideoPrivacy, VideoState, VideoStreamingPlaylist, video_tag)
from vidpub.services.videos import ranking
from vidpub.services.videos.lookup import ref_condition


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


@dataclass(frozen=True)
class Page:
    start: int
    count: int
    sort: str
    skip_count: bool = False


def _visibility(filters: VideoFilters, user: User | None) -> list:
    if filters.owned:
        conditions = []
        if filters.privacy_one_of:
            conditions.append(Video.privacy.in_(filters.privacy_one_of))
        return conditions
    privacies = filters.privacy_one_of or (
        [VideoPrivacy.PUBLIC, VideoPrivacy.INTERNAL] if user is not None else [VideoPrivacy.PUBLIC])
    conditions = [Video.privacy.in_(privacies)]
    if not filters.include & VideoInclude.NOT_PUBLISHED_STATE:
        conditions.append(sa.or_(Video.state == VideoState.PUBLISHED,
                                 sa.and_(Video.state == VideoState.TO_TRANSCODE, Video.wait_transcoding.is_(False))))
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


def _like(value: str) -> str:
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _search(search: str):
    """A simple match on the name, the description or a tag; an id, UUID or short UUID names the
    video itself (full text search comes with the search API)."""
    pattern = _like(search)
    matches = [sa.func.lower(Video.name).like(pattern, escape="\\"),
               sa.func.lower(Video.description).like(pattern, escape="\\"),
               Video.id.in_(sa.select(video_tag.c.video_id).join(Tag, Tag.id == video_tag.c.tag_id)
                            .where(sa.func.lower(Tag.name) == search.lower()))]
    exact = ref_condition(search) if not search.isdigit() else None
    if exact is not None:
        matches.append(exact)
    return sa.or_(*matches)


def _tag_video_ids(tags: list[str]):
    return (sa.select(video_tag.c.video_id).join(Tag, Tag.id == video_tag.c.tag_id)
            .where(sa.func.lower(Tag.name).in_([tag.lower() for tag in tags])))


def _conditions(config: Config, filters: VideoFilters, user: User | None) -> list:
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
        conditions.append(_search(filters.search))
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
    return conditions


def sort_order(config: Config, sort: str, user: User | None, now: datetime | None = None) -> list:
    """ORDER BY of a PeerTube sort (`-` = descending); ties broken by id, as PeerTube does."""
    descending = sort.startswith("-")
    column = sort.lstrip("-")

    def directed(expression):
        return expression.desc() if descending else expression.asc()

    plain = {"name": Video.name, "duration": Video.duration, "createdAt": Video.created_at,
             "publishedAt": Video.published_at, "views": Video.views, "likes": Video.likes,
             "comments": Video.comments,
             "originallyPublishedAt": sa.func.coalesce(Video.originally_published_at, Video.published_at),
             "localVideoFilesSize": ranking.local_files_size()}
    if column in plain:
        return [directed(plain[column]), Video.id.asc()]
    if column == "trending":
        score = ranking.trending_score(int(config.trending.videos.interval_days), now or utcnow())
    elif column in ("hot", "best"):
        score = ranking.hot_score(user.id if column == "best" and user is not None else None)
    else:
        raise ValueError(f"unknown video sort {sort!r}")
    return [directed(score), directed(Video.views), Video.id.asc()]


async def list_video_ids(session: AsyncSession, config: Config, filters: VideoFilters, page: Page,
                         user: User | None) -> tuple[int | None, list[int]]:
    """(total — None when `skip_count` —, ids of the page in order)."""
    conditions = _conditions(config, filters, user)
    query = (sa.select(Video.id).where(*conditions).order_by(*sort_order(config, page.sort, user))
             .offset(page.start).limit(page.count))
    ids = list((await session.execute(query)).scalars()) if page.count else []
    total = None
    if not page.skip_count:
        total = (await session.execute(sa.select(sa.func.count()).select_from(Video).where(*conditions))).scalar_one()
    return total, ids
