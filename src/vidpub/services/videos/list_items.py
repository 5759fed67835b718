"""A page of video list items in one query, whatever the page size: the list's page of ids (with its
sort keys) joined with each video's owner, thumbnails, schedule, current viewers, the caller's watch
position, and the avatars of the account and the channel (aggregated as JSON, one spelling per
database).

The lists and the search are the hot path of an instance: this skips the ORM (identity map, lazy
relationships) and builds plain dicts (`schemas/video_items.py`). Statements are built once per list
(`queries.list_statements` keeps them); each request only binds the page's bounds. Lists that ask for
files, tags or sources (`include`) still take the ORM path of `loading.py`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (Account, Actor, ActorImageType, ScheduleVideoUpdate, Server, Thumbnail, ThumbnailType,
                              User, UserVideoHistory, Video, VideoChannel)
from vidpub.schemas.video_items import timestamp, video_item
from vidpub.schemas.videos import TRUNCATED_DESCRIPTION_LENGTH
from vidpub.services.videos import queries, viewer_counters

_video = Video.__table__
_channel = VideoChannel.__table__
_account = Account.__table__
_channel_actor = Actor.__table__.alias("channel_actor")
_account_actor = Actor.__table__.alias("account_actor")
_channel_server = Server.__table__.alias("channel_server")
_account_server = Server.__table__.alias("account_server")
_miniature = Thumbnail.__table__.alias("miniature")
_preview = Thumbnail.__table__.alias("preview")
_schedule = ScheduleVideoUpdate.__table__
_history = UserVideoHistory.__table__

_VIDEO_COLUMNS = ("id", "uuid", "url", "name", "category", "licence", "language", "privacy", "nsfw", "nsfw_flags",
                  "nsfw_summary", "remote", "is_live", "duration", "aspect_ratio", "views",
                  "downloads", "likes", "dislikes", "comments", "created_at", "updated_at", "published_at",
                  "originally_published_at", "wait_transcoding", "state")


class AvatarsJson(ColumnElement):
    """The avatars of the actor `actor_id` as a JSON array of `[id, filename, file_url, width, height,
    created_at, updated_at]` (text; SQLite: `[]` when none, PostgreSQL: NULL)."""
    type = sa.Text()
    inherit_cache = True
    _traverse_internals = [("actor_id", InternalTraversal.dp_clauseelement)]

    def __init__(self, actor_id):
        self.actor_id = actor_id


@compiles(AvatarsJson, "sqlite")
def _avatars_sqlite(element, compiler, **kw):
    return ("(SELECT json_group_array(json_array(id, filename, file_url, width, height, created_at, updated_at)) "
            f"FROM actor_image WHERE actor_image.actor_id = {compiler.process(element.actor_id, **kw)} "
            f"AND actor_image.type = {ActorImageType.AVATAR})")


@compiles(AvatarsJson, "postgresql")
def _avatars_postgresql(element, compiler, **kw):
    return ("(SELECT json_agg(json_build_array(id, filename, file_url, width, height, created_at, updated_at))::text "
            f"FROM actor_image WHERE actor_image.actor_id = {compiler.process(element.actor_id, **kw)} "
            f"AND actor_image.type = {ActorImageType.AVATAR})")


def _columns(with_history: bool) -> list:
    viewers = viewer_counters.viewers_of(_video.c.id, sa.bindparam("viewers_now"), sa.bindparam("watching_since"))
    history = (sa.select(_history.c.current_time)
               .where(_history.c.video_id == _video.c.id, _history.c.user_id == sa.bindparam("user_id"))
               .scalar_subquery() if with_history else sa.null())
    return [_video.c[name] for name in _VIDEO_COLUMNS] + [
        # list items carry the truncated description only: enough of it to cut it as `video_item` does
        sa.func.substr(_video.c.description, 1, TRUNCATED_DESCRIPTION_LENGTH + 1).label("description_start"),
        _channel.c.id.label("channel_id"), _channel.c.name.label("channel_name"),
        _channel_actor.c.preferred_username.label("channel_username"),
        _channel_actor.c.url.label("channel_url"), _channel_server.c.host.label("channel_host"),
        AvatarsJson(_channel_actor.c.id).label("channel_avatars"),
        _account.c.id.label("account_id"), _account.c.name.label("account_name"),
        _account_actor.c.preferred_username.label("account_username"),
        _account_actor.c.url.label("account_url"), _account_server.c.host.label("account_host"),
        AvatarsJson(_account_actor.c.id).label("account_avatars"),
        _miniature.c.filename.label("miniature_filename"), _miniature.c.width.label("miniature_width"),
        _miniature.c.height.label("miniature_height"),
        _preview.c.filename.label("preview_filename"), _preview.c.width.label("preview_width"),
        _preview.c.height.label("preview_height"),
        _schedule.c.update_at.label("schedule_update_at"), _schedule.c.privacy.label("schedule_privacy"),
        viewers.label("viewers"), history.label("history_time"),
    ]


def _joined(rows):
    """The video table `rows`, joined with everything an item shows."""
    return (rows
            .join(_channel, _channel.c.id == _video.c.channel_id)
            .join(_channel_actor, _channel_actor.c.id == _channel.c.actor_id)
            .outerjoin(_channel_server, _channel_server.c.id == _channel_actor.c.server_id)
            .join(_account, _account.c.id == _channel.c.account_id)
            .join(_account_actor, _account_actor.c.id == _account.c.actor_id)
            .outerjoin(_account_server, _account_server.c.id == _account_actor.c.server_id)
            .outerjoin(_miniature, sa.and_(_miniature.c.video_id == _video.c.id,
                                           _miniature.c.type == ThumbnailType.MINIATURE))
            .outerjoin(_preview, sa.and_(_preview.c.video_id == _video.c.id,
                                         _preview.c.type == ThumbnailType.PREVIEW))
            .outerjoin(_schedule, _schedule.c.video_id == _video.c.id))


_BY_IDS = {history: sa.select(*_columns(history)).select_from(_joined(_video))
           .where(_video.c.id.in_(sa.bindparam("ids", expanding=True))) for history in (False, True)}


def _page_statement(statements: queries.ListStatements, with_history: bool) -> sa.Select:
    """The list's page (its ids query, LIMIT included) joined with the item columns, in the list's order."""
    name = "items_with_history" if with_history else "items"
    statement = statements.derived.get(name)
    if statement is None:
        page = statements.ids.subquery("page")
        order = [page.c[key].desc() if descending else page.c[key].asc() for key, descending in statements.order]
        columns = _columns(with_history) + ([page.c.matches] if statements.counted_in_page else [])
        statement = statements.derived[name] = (
            sa.select(*columns).select_from(_joined(page.join(_video, _video.c.id == page.c.id))).order_by(*order))
    return statement


def _avatars(value: str | None, base_url: str) -> list[dict]:
    """`ActorImage` dicts of an `AvatarsJson` value, smallest first."""
    if not value or value == "[]":
        return []
    images = sorted(json.loads(value), key=lambda image: (image[3], image[0]))
    out = []
    for _id, filename, file_url, width, height, created_at, updated_at in images:
        path = f"/lazy-static/avatars/{filename}"
        out.append({"path": path, "fileUrl": file_url or base_url + path, "width": width, "height": height,
                    "createdAt": timestamp(_stored_time(created_at)),
                    "updatedAt": timestamp(_stored_time(updated_at))})
    return out


def _stored_time(value: str) -> datetime:
    """A timestamp as the database writes it in JSON (SQLite: naive UTC text; PostgreSQL: ISO with offset)."""
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _items(rows, config: Config) -> list[dict]:
    base_url, local_host = config.url, config.host
    return [video_item(base_url, local_host, row, _avatars(row._mapping["account_avatars"], base_url),
                       _avatars(row._mapping["channel_avatars"], base_url)) for row in rows]


def _parameters(user: User | None) -> dict:
    now = utcnow()
    parameters = {"viewers_now": now, "watching_since": now - viewer_counters.VIEWER_LIFETIME}
    if user is not None:
        parameters["user_id"] = user.id
    return parameters


async def page_items(session: AsyncSession, config: Config, filters: queries.VideoFilters, page: queries.Page,
                     user: User | None) -> tuple[int | None, list[dict]]:
    """(total — None when `skip_count` —, the page's list items): the list's page in one query."""
    connection = await session.connection()
    key, statements = queries.list_statements(connection.dialect.name, config, filters, page.sort, user)
    items: list[dict] = []
    total = None
    if page.count:
        parameters = {**_parameters(user), "page_start": page.start, "page_count": page.count}
        rows = (await connection.execute(_page_statement(statements, user is not None), parameters)).all()
        items = _items(rows, config)
        if rows and statements.counted_in_page and not page.skip_count:
            total = rows[0].matches
    if total is None and not page.skip_count:
        total = await queries.list_total(connection, key, statements)
    return total, items


async def video_items(session: AsyncSession, config: Config, ids: Sequence[int], user: User | None) -> list[dict]:
    """The list items (`Video` JSON as dicts) of the videos `ids`, in that order (missing ones left out)."""
    if not ids:
        return []
    connection = await session.connection()
    rows = await connection.execute(_BY_IDS[user is not None], {**_parameters(user), "ids": list(ids)})
    by_id = {item["id"]: item for item in _items(rows, config)}
    return [by_id[video_id] for video_id in ids if video_id in by_id]
