"""The instance's public statistics (`GET /api/v1/server/stats`, PeerTube's `StatsManager`): users and
their activity, local and known videos, comments, channels, playlists, instance follows, redundancy,
the ActivityPub inbox, and the moderation queues (registration requests, abuses).

Each figure is one aggregate query. The optional ones follow PeerTube's `stats.*.enabled` settings:
disabled, they are null. Videos are counted as the public lists show them (published, public,
not hidden by the instance's blocklist), as PeerTube counts them through its list query.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (Abuse, AbuseState, Account, ActivityPubInboxStat, Actor, ActorFollow, FollowState, Job,
                              JobState, RegistrationState, User, UserRegistration, Video, VideoChannel, VideoComment,
                              VideoFile, VideoPlaylist, VideoPlaylistType, VideoRedundancy, VideoStreamingPlaylist)
from vidpub.db.upsert import insert_for
from vidpub.federation.inbox.receive import INBOX_JOB
from vidpub.federation.remote_actors import server_actor
from vidpub.services import redundancy
from vidpub.services.auth.rights import UserRole
from vidpub.services.redundancy_copies import configured_strategies
from vidpub.services.videos import queries

# PeerTube's ActivityType: each has its successes and errors figures
ACTIVITY_TYPES = ("Create", "Update", "Delete", "Follow", "Accept", "Announce", "Undo", "Like", "Reject", "View",
                  "Dislike", "Flag", "ApproveReply", "RejectReply", "Download")
DAY, WEEK, MONTH = timedelta(days=1), timedelta(days=7), timedelta(days=30)
LOCAL_VIDEO = Video.remote.is_(False)


async def _scalar(session: AsyncSession, query) -> int:
    # int(): PostgreSQL sums bigints as numeric
    return int((await session.execute(query)).scalar() or 0)


def _count(*conditions, of=sa.func.count()) -> sa.Select:
    return sa.select(of).where(*conditions)


def _counts(*conditions) -> list:
    """count(*) FILTER (WHERE condition) for each condition: several figures from one scan."""
    return [sa.func.count().filter(condition) for condition in conditions]


async def _users(session: AsyncSession, config: Config) -> dict:
    now = utcnow()
    total, daily, weekly, monthly, moderators, admins = (await session.execute(
        sa.select(sa.func.count(), *_counts(User.last_login_date >= now - DAY, User.last_login_date >= now - WEEK,
                                            User.last_login_date >= now - MONTH, User.role == UserRole.MODERATOR,
                                            User.role == UserRole.ADMINISTRATOR)).select_from(User))).one()
    return {
        "totalUsers": total, "totalDailyActiveUsers": daily, "totalWeeklyActiveUsers": weekly,
        "totalMonthlyActiveUsers": monthly,
        "totalModerators": moderators if config.stats.total_moderators.enabled else None,
        "totalAdmins": admins if config.stats.total_admins.enabled else None,
    }


async def _videos(session: AsyncSession, config: Config) -> dict:
    async def listed(is_local: bool | None) -> int:
        total, _ = await queries.list_video_ids(session, config, queries.VideoFilters(is_local=is_local),
                                                queries.Page(start=0, count=0, sort="-publishedAt"), None)
        return total or 0

    local_web_files = (sa.select(sa.func.coalesce(sa.func.sum(VideoFile.size), 0))
                       .join(Video, Video.id == VideoFile.video_id).where(LOCAL_VIDEO))
    local_hls_files = (sa.select(sa.func.coalesce(sa.func.sum(VideoFile.size), 0))
                       .join(VideoStreamingPlaylist, VideoStreamingPlaylist.id == VideoFile.video_streaming_playlist_id)
                       .join(Video, Video.id == VideoStreamingPlaylist.video_id).where(LOCAL_VIDEO))
    return {
        "totalLocalVideos": await listed(True),
        "totalLocalVideoViews": await _scalar(session, _count(LOCAL_VIDEO, of=sa.func.sum(Video.views))),
        "totalLocalVideoDownloads": await _scalar(session, _count(LOCAL_VIDEO, of=sa.func.sum(Video.downloads))),
        "totalLocalVideoFilesSize": await _scalar(session, local_web_files) + await _scalar(session, local_hls_files),
        "totalVideos": await listed(None),
    }


async def _comments(session: AsyncSession) -> dict:
    kept = VideoComment.deleted_at.is_(None)
    local = (sa.select(sa.func.count()).select_from(VideoComment)
             .join(Account, Account.id == VideoComment.account_id).join(Actor, Actor.id == Account.actor_id)
             .where(kept, Actor.server_id.is_(None)))
    return {"totalLocalVideoComments": await _scalar(session, local),
            "totalVideoComments": await _scalar(session, _count(kept).select_from(VideoComment))}


async def _channels_and_playlists(session: AsyncSession) -> dict:
    now = utcnow()
    local_channels = (sa.select(sa.func.count()).select_from(VideoChannel)
                      .join(Actor, Actor.id == VideoChannel.actor_id).where(Actor.server_id.is_(None)))
    # a channel that published a video lately (PeerTube's active channels): its latest publication
    latest = (sa.select(VideoChannel.id, sa.func.max(Video.published_at).label("published_at"))
              .join(Actor, Actor.id == VideoChannel.actor_id).join(Video, Video.channel_id == VideoChannel.id)
              .where(Actor.server_id.is_(None)).group_by(VideoChannel.id).subquery())
    daily, weekly, monthly = (await session.execute(sa.select(*_counts(
        latest.c.published_at >= now - DAY, latest.c.published_at >= now - WEEK,
        latest.c.published_at >= now - MONTH)))).one()

    playlists = (sa.select(sa.func.count()).select_from(VideoPlaylist)
                 .join(Account, Account.id == VideoPlaylist.owner_account_id).join(Actor, Actor.id == Account.actor_id)
                 .where(Actor.server_id.is_(None), VideoPlaylist.type == VideoPlaylistType.REGULAR))
    return {
        "totalLocalVideoChannels": await _scalar(session, local_channels),
        "totalLocalDailyActiveVideoChannels": daily,
        "totalLocalWeeklyActiveVideoChannels": weekly,
        "totalLocalMonthlyActiveVideoChannels": monthly,
        "totalLocalPlaylists": await _scalar(session, playlists),
    }


async def _follows(session: AsyncSession) -> dict:
    instance = await server_actor(session)
    accepted = ActorFollow.state == FollowState.ACCEPTED
    return {
        "totalInstanceFollowers": await _scalar(session, _count(
            accepted, ActorFollow.target_actor_id == instance.id).select_from(ActorFollow)),
        "totalInstanceFollowing": await _scalar(session, _count(
            accepted, ActorFollow.actor_id == instance.id).select_from(ActorFollow)),
    }


async def _redundancy(session: AsyncSession, config: Config) -> list[dict]:
    """Per configured strategy, then `manual`: its size (null for manual) and what our copies use."""
    instance = await server_actor(session)
    strategies = [(strategy.name, strategy.size) for strategy in configured_strategies(config)]
    strategies.append((redundancy.MANUAL, None))
    figures = []
    for name, size in strategies:
        # manual copies have no strategy
        chosen = VideoRedundancy.strategy.is_(None) if name == redundancy.MANUAL else VideoRedundancy.strategy == name
        row = (await session.execute(
            sa.select(sa.func.coalesce(sa.func.sum(VideoFile.size), 0), sa.func.count(VideoFile.id),
                      sa.func.count(sa.distinct(VideoStreamingPlaylist.video_id)))
            .select_from(VideoRedundancy)
            .join(VideoStreamingPlaylist, VideoStreamingPlaylist.id == VideoRedundancy.video_streaming_playlist_id)
            .join(VideoFile, VideoFile.video_streaming_playlist_id == VideoStreamingPlaylist.id)
            .where(VideoRedundancy.actor_id == instance.id, chosen))).one()
        figures.append({"strategy": name, "totalSize": size, "totalUsed": int(row[0]),
                        "totalVideoFiles": int(row[1]), "totalVideos": int(row[2])})
    return figures


async def _inbox(session: AsyncSession) -> dict:
    rows = (await session.execute(sa.select(ActivityPubInboxStat))).scalars().all()
    successes = {row.activity_type: int(row.successes) for row in rows}
    errors = {row.activity_type: int(row.errors) for row in rows}
    processed = sum(successes.values()) + sum(errors.values())
    since = min((row.since for row in rows), default=None)
    seconds = max((utcnow() - since).total_seconds(), 1.0) if since is not None else None
    figures = {
        "totalActivityPubMessagesProcessed": processed,
        "totalActivityPubMessagesSuccesses": sum(successes.values()),
        "totalActivityPubMessagesErrors": sum(errors.values()),
        "activityPubMessagesProcessedPerSecond": processed / seconds if seconds else 0,
        "totalActivityPubMessagesWaiting": await _scalar(session, _count(
            Job.type == INBOX_JOB, Job.state == JobState.WAITING).select_from(Job)),
    }
    for activity_type in ACTIVITY_TYPES:
        figures[f"totalActivityPub{activity_type}MessagesSuccesses"] = successes.get(activity_type, 0)
        figures[f"totalActivityPub{activity_type}MessagesErrors"] = errors.get(activity_type, 0)
    return figures


async def _moderation(session: AsyncSession, config: Config) -> dict:
    async def queue(model, pending: int, processed_at) -> tuple[int, int, float | None]:
        done = model.state != pending
        total = await _scalar(session, sa.select(sa.func.count()).select_from(model))
        processed = await _scalar(session, _count(done).select_from(model))
        # seconds as a float on both databases: epoch differences
        waited = sa.func.avg(_epoch(session, processed_at) - _epoch(session, model.created_at))
        average = (await session.execute(sa.select(waited).where(done, processed_at.is_not(None)))).scalar()
        return total, processed, round(float(average) * 1000) if average is not None else None

    figures: dict = {}
    if config.stats.registration_requests.enabled:
        total, processed, average = await queue(UserRegistration, RegistrationState.PENDING, UserRegistration.updated_at)
        figures.update(averageRegistrationRequestResponseTimeMs=average, totalRegistrationRequests=total,
                       totalRegistrationRequestsProcessed=processed)
    else:
        figures.update(averageRegistrationRequestResponseTimeMs=None, totalRegistrationRequests=None,
                       totalRegistrationRequestsProcessed=None)
    if config.stats.abuses.enabled:
        total, processed, average = await queue(Abuse, AbuseState.PENDING, Abuse.processed_at)
        figures.update(averageAbuseResponseTimeMs=average, totalAbuses=total, totalAbusesProcessed=processed)
    else:
        figures.update(averageAbuseResponseTimeMs=None, totalAbuses=None, totalAbusesProcessed=None)
    return figures


def _epoch(session: AsyncSession, column):
    if session.bind.dialect.name == "sqlite":
        return (sa.func.julianday(column) - 2440587.5) * 86400.0
    return sa.extract("epoch", column)


async def instance_stats(session: AsyncSession, config: Config) -> dict:
    return {
        **await _users(session, config), **await _videos(session, config), **await _comments(session),
        **await _channels_and_playlists(session), **await _follows(session),
        "videosRedundancy": await _redundancy(session, config),
        **await _moderation(session, config), **await _inbox(session),
    }


# -- the inbox figures, as activities are processed ----------------------------------------------------------


async def record_inbox_outcome(session: AsyncSession, activity_type: object, success: bool) -> None:
    """One activity processed (in the caller's transaction)."""
    name = activity_type if isinstance(activity_type, str) and activity_type else "unknown"
    table = ActivityPubInboxStat.__table__
    column = table.c.successes if success else table.c.errors
    statement = insert_for(session)(table).values(activity_type=name[:32], successes=int(success),
                                               errors=int(not success), since=utcnow())
    await session.execute(statement.on_conflict_do_update(index_elements=[table.c.activity_type],
                                                          set_={column.name: column + 1}))
