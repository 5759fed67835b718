"""The abuse lists: the moderators' (`GET /abuses`) and a reporter's own (`GET /users/me/abuses`),
and the JSON of their items.

One query finds a page of ids (filters, search, order); the objects the items name (accounts, videos
with their channel and thumbnails, comments) and the counters (reports per reporter, per reportee,
per video and this report's rank, messages) are then loaded with one query per kind for the whole page.
As in PeerTube, the moderators do not see the reports of a reporter the instance (or they) mute.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, joinedload, selectinload

from vidpub.config import Config
from vidpub.db.models import (Abuse, AbuseFlaggedType, AbuseMessage, Account, User, Video, VideoChannel,
                              VideoComment)
from vidpub.schemas.abuses import (PREDEFINED_REASON_NAMES, PREDEFINED_REASONS, STATE_LABELS, AdminAbuse,
                                   AdminAbuseList, AdminVideoAbuse, CommentVideo, UserAbuse, UserAbuseList,
                                   UserVideoAbuse, VideoCommentAbuse)
from vidpub.schemas.actors import account_json, channel_json
from vidpub.schemas.common import NumberConstant
from vidpub.schemas.videos import ThumbnailJson, aspect_ratio_name, thumbnail_path
from vidpub.services import blocklists
from vidpub.services.users import contains_text
from vidpub.services.videos.lookup import short_uuid

SORT_COLUMNS = frozenset({"id", "createdAt", "state"})
_SORTS = {"id": Abuse.id, "createdAt": Abuse.created_at, "state": Abuse.state}


@dataclass
class AbuseFilters:
    id: int | None = None
    state: int | None = None
    search: str | None = None
    # moderators only
    predefined_reason: str | None = None
    filter: str | None = None
    video_is: str | None = None
    search_reporter: str | None = None
    search_reportee: str | None = None
    search_video: str | None = None
    search_video_channel: str | None = None


@dataclass
class _PageObjects:
    accounts: dict[int, Account] = field(default_factory=dict)
    videos: dict[int, Video] = field(default_factory=dict)
    comments: dict[int, VideoComment] = field(default_factory=dict)
    messages: dict[int, int] = field(default_factory=dict)
    by_reporter: dict[int, int] = field(default_factory=dict)
    by_reportee: dict[int, int] = field(default_factory=dict)
    video_counts: dict[int, tuple[int, int]] = field(default_factory=dict)  # abuse id -> (count, nth)


def _conditions(filters: AbuseFilters, reporter, flagged, video, channel, snapshot) -> list:
    conditions = []
    if filters.id is not None:
        conditions.append(Abuse.id == filters.id)
    if filters.state is not None:
        conditions.append(Abuse.state == filters.state)
    if filters.filter is not None:
        conditions.append(Abuse.flagged_type == filters.filter)
    if filters.video_is == "deleted":
        conditions += [Abuse.flagged_type == AbuseFlaggedType.VIDEO, Abuse.video_id.is_(None)]
    elif filters.video_is == "blacklisted":
        conditions.append(sa.false())  # Vidpub has no video blocklist yet: no video is blacklisted
    video_name = sa.func.coalesce(video.name, snapshot["name"].as_string())
    channel_name = sa.func.coalesce(channel.name, snapshot["channel"]["displayName"].as_string())
    if filters.search:
        conditions.append(sa.or_(*(contains_text(column, filters.search)
                                   for column in (video_name, channel_name, reporter.name, flagged.name))))
    if filters.search_reporter:
        conditions.append(contains_text(reporter.name, filters.search_reporter))
    if filters.search_reportee:
        conditions.append(contains_text(flagged.name, filters.search_reportee))
    if filters.search_video:
        conditions.append(contains_text(video_name, filters.search_video))
    if filters.search_video_channel:
        conditions.append(contains_text(channel_name, filters.search_video_channel))
    return conditions


async def _page_ids(session: AsyncSession, conditions_of, start: int, count: int, sort: str) -> tuple[int, list[int]]:
    reporter, flagged, video, channel = aliased(Account), aliased(Account), aliased(Video), aliased(VideoChannel)
    base = (sa.select(Abuse.id)
            .outerjoin(reporter, reporter.id == Abuse.reporter_account_id)
            .outerjoin(flagged, flagged.id == Abuse.flagged_account_id)
            .outerjoin(video, video.id == Abuse.video_id)
            .outerjoin(channel, channel.id == video.channel_id)
            .where(*conditions_of(reporter, flagged, video, channel, Abuse.video_snapshot)))
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.subquery()))).scalar_one()
    if not count:
        return total, []
    column = _SORTS[sort.lstrip("-")]
    order = [column.desc(), Abuse.id.desc()] if sort.startswith("-") else [column.asc(), Abuse.id.asc()]
    ids = (await session.execute(base.order_by(*order).offset(start).limit(count))).scalars().all()
    return total, list(ids)


async def _grouped_counts(session: AsyncSession, column, keys: set) -> dict[int, int]:
    keys.discard(None)
    if not keys:
        return {}
    rows = await session.execute(sa.select(column, sa.func.count()).where(column.in_(keys)).group_by(column))
    return {key: total for key, total in rows}


async def _load_page(session: AsyncSession, abuses: Sequence[Abuse], *, for_moderators: bool) -> _PageObjects:
    objects = _PageObjects()
    account_ids = {a.flagged_account_id for a in abuses} | {a.reporter_account_id for a in abuses}
    account_ids.discard(None)
    if account_ids:
        rows = await session.execute(sa.select(Account).where(Account.id.in_(account_ids)))
        objects.accounts = {account.id: account for account in rows.unique().scalars()}
    video_ids = {a.video_id for a in abuses if a.video_id is not None}
    if video_ids:
        rows = await session.execute(sa.select(Video).where(Video.id.in_(video_ids)).options(
            joinedload(Video.channel), selectinload(Video.thumbnails)))
        objects.videos = {video.id: video for video in rows.unique().scalars()}
    comment_ids = {a.comment_id for a in abuses if a.comment_id is not None}
    if comment_ids:
        rows = await session.execute(sa.select(VideoComment).where(VideoComment.id.in_(comment_ids))
                                     .options(joinedload(VideoComment.video)))
        objects.comments = {comment.id: comment for comment in rows.unique().scalars()}
    objects.messages = await _grouped_counts(session, AbuseMessage.abuse_id, {a.id for a in abuses})
    if for_moderators:
        objects.by_reporter = await _grouped_counts(session, Abuse.reporter_account_id,
                                                    {a.reporter_account_id for a in abuses})
        objects.by_reportee = await _grouped_counts(session, Abuse.flagged_account_id,
                                                    {a.flagged_account_id for a in abuses})
        if video_ids:
            ranked = (sa.select(Abuse.id, sa.func.count().over(partition_by=Abuse.video_id).label("total"),
                                sa.func.row_number().over(partition_by=Abuse.video_id,
                                                          order_by=(Abuse.created_at, Abuse.id)).label("nth"))
                      .where(Abuse.video_id.in_(video_ids)).subquery())
            page_ids = [a.id for a in abuses]
            rows = await session.execute(sa.select(ranked).where(ranked.c.id.in_(page_ids)))
            objects.video_counts = {row.id: (row.total, row.nth) for row in rows}
    return objects


# -- JSON ---------------------------------------------------------------------------------------------

def _video_json(config: Config, abuse: Abuse, video: Video | None) -> dict | None:
    if abuse.flagged_type != AbuseFlaggedType.VIDEO:
        return None
    snapshot = abuse.video_snapshot or {}
    if video is None and not snapshot:
        return None
    common = dict(startAt=abuse.start_at, endAt=abuse.end_at, blacklisted=False, deleted=video is None)
    if video is None:
        # the video is gone: what the report kept of it (PeerTube's `deletedVideo`)
        return dict(id=snapshot.get("id", 0), name=snapshot.get("name", ""), uuid=snapshot.get("uuid", ""),
                    shortUUID=short_uuid(snapshot["uuid"]) if snapshot.get("uuid") else "",
                    nsfw=bool(snapshot.get("nsfw")), thumbnailPath=None, thumbnails=[],
                    channel=snapshot.get("channel"), **common)
    thumbnails = sorted(video.thumbnails, key=lambda thumb: thumb.width)
    miniature = next((thumb for thumb in thumbnails if thumb.type == 1), None)
    return dict(id=video.id, name=video.name, uuid=video.uuid, shortUUID=short_uuid(video.uuid), nsfw=video.nsfw,
                thumbnailPath=thumbnail_path(miniature) if miniature else None,
                thumbnails=[ThumbnailJson(height=thumb.height, width=thumb.width,
                                          aspectRatio=aspect_ratio_name(thumb.width, thumb.height),
                                          fileUrl=config.url + thumbnail_path(thumb)) for thumb in thumbnails],
                channel=channel_json(video.channel, config.url, config.host), **common)


def _comment_json(comment: VideoComment | None) -> VideoCommentAbuse | None:
    if comment is None:
        return None
    video = comment.video
    return VideoCommentAbuse(id=comment.id, threadId=comment.thread_id, text=comment.text or "",
                             deleted=comment.is_deleted,
                             video=CommentVideo(id=video.id, name=video.name, uuid=video.uuid))


def _base_fields(config: Config, abuse: Abuse, objects: _PageObjects) -> dict:
    flagged = objects.accounts.get(abuse.flagged_account_id)
    return dict(
        id=abuse.id, reason=abuse.reason,
        predefinedReasons=[PREDEFINED_REASON_NAMES[n] for n in abuse.predefined_reasons or []
                           if n in PREDEFINED_REASON_NAMES],
        flaggedAccount=account_json(flagged, config.url, config.host) if flagged else None,
        state=NumberConstant(id=abuse.state, label=STATE_LABELS.get(abuse.state, "Unknown")),
        comment=_comment_json(objects.comments.get(abuse.comment_id)),
        countMessages=objects.messages.get(abuse.id, 0), createdAt=abuse.created_at, updatedAt=abuse.updated_at)


def admin_abuse_json(config: Config, abuse: Abuse, objects: _PageObjects) -> AdminAbuse:
    reporter = objects.accounts.get(abuse.reporter_account_id)
    video = _video_json(config, abuse, objects.videos.get(abuse.video_id))
    if video is not None:
        count, nth = objects.video_counts.get(abuse.id, (1, 1))
        video = AdminVideoAbuse(**video, countReports=count, nthReport=nth)
    return AdminAbuse(
        **_base_fields(config, abuse, objects), video=video, moderationComment=abuse.moderation_comment,
        reporterAccount=account_json(reporter, config.url, config.host) if reporter else None,
        countReportsForReporter=objects.by_reporter.get(abuse.reporter_account_id, 0),
        countReportsForReportee=objects.by_reportee.get(abuse.flagged_account_id, 0))


def user_abuse_json(config: Config, abuse: Abuse, objects: _PageObjects) -> UserAbuse:
    video = _video_json(config, abuse, objects.videos.get(abuse.video_id))
    return UserAbuse(**_base_fields(config, abuse, objects),
                     video=UserVideoAbuse(**video) if video is not None else None)


def video_snapshot(config: Config, video: Video) -> dict:
    """What a report keeps of its video, should the video go (`video.channel` loaded)."""
    return {"id": video.id, "uuid": video.uuid, "name": video.name, "nsfw": video.nsfw,
            "channel": channel_json(video.channel, config.url, config.host).model_dump(mode="json")}


# -- the lists ----------------------------------------------------------------------------------------

async def _abuses(session: AsyncSession, ids: list[int]) -> list[Abuse]:
    if not ids:
        return []
    rows = {a.id: a for a in (await session.execute(sa.select(Abuse).where(Abuse.id.in_(ids)))).scalars()}
    return [rows[i] for i in ids if i in rows]


async def list_for_moderators(session: AsyncSession, config: Config, user: User, filters: AbuseFilters, *,
                              start: int, count: int, sort: str) -> AdminAbuseList:
    def conditions(reporter, flagged, video, channel, snapshot):
        found = _conditions(filters, reporter, flagged, video, channel, snapshot)
        if filters.predefined_reason:
            number = PREDEFINED_REASONS[filters.predefined_reason]
            found.append(_contains_reason(session, number))
        found.append(sa.or_(Abuse.reporter_account_id.is_(None),
                            blocklists.not_muted(Abuse.reporter_account_id, user)))
        return found

    total, ids = await _page_ids(session, conditions, start, count, sort)
    abuses = await _abuses(session, ids)
    objects = await _load_page(session, abuses, for_moderators=True)
    return AdminAbuseList(total=total, data=[admin_abuse_json(config, a, objects) for a in abuses])


async def list_for_reporter(session: AsyncSession, config: Config, user: User, filters: AbuseFilters, *,
                            start: int, count: int, sort: str) -> UserAbuseList:
    def conditions(reporter, flagged, video, channel, snapshot):
        return [Abuse.reporter_account_id == user.account.id,
                *_conditions(filters, reporter, flagged, video, channel, snapshot)]

    total, ids = await _page_ids(session, conditions, start, count, sort)
    abuses = await _abuses(session, ids)
    objects = await _load_page(session, abuses, for_moderators=False)
    return UserAbuseList(total=total, data=[user_abuse_json(config, a, objects) for a in abuses])


def _contains_reason(session: AsyncSession, number: int):
    """The report's predefined reasons (a JSON array of numbers) hold `number`."""
    if session.bind.dialect.name == "postgresql":
        return Abuse.predefined_reasons.op("@>")(sa.cast(sa.literal(f"[{number}]"), Abuse.predefined_reasons.type))
    each = sa.func.json_each(Abuse.predefined_reasons).table_valued("value")
    return sa.exists(sa.select(sa.literal(1)).select_from(each).where(each.c.value == number))
