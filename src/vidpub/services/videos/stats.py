"""Video statistics for the owner of a local video and moderators: overall figures, retention, time
series, and the viewers' clients, devices and operating systems.

They are computed from the viewing sessions `stats_recording` keeps, with PeerTube's rules; a session
without watch time is no viewer (PeerTube does not even store those). The date filters differ per
figure, as in PeerTube: viewer counts take the sessions overlapping the range, watch times only
those that started and ended inside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.base import UTCDateTime, utcnow
from vidpub.db.models import LocalVideoViewer, LocalVideoViewerWatchSection, User, Video, VideoDownloadStat
from vidpub.errors import ProblemError
from vidpub.services.auth.rights import UserRight
from vidpub.services.videos import stats_intervals
from vidpub.services.videos.lookup import can_manage, get_video

RETENTION_POINTS = 100  # about one point per percent of the video
Viewer = LocalVideoViewer  # a viewing session: one viewer, when it has watch time


@dataclass(frozen=True)
class DateRange:
    start: datetime | None = None
    end: datetime | None = None


async def video_for_stats(session: AsyncSession, ref: str, user: User) -> Video:
    """The video, if it is local and the caller owns it or may see every video."""
    video = await get_video(session, ref)
    if video.remote:
        raise ProblemError(403, "Cannot manage a video of another server")
    if not can_manage(video, user, UserRight.SEE_ALL_VIDEOS):
        raise ProblemError(403, "Cannot manage a video of another user")
    return video


def _viewers_of(video: Video) -> list:
    return [Viewer.video_id == video.id, Viewer.watch_time > 0]


def _overlapping(dates: DateRange) -> list:
    conditions = []
    if dates.start:
        conditions.append(Viewer.end_date >= dates.start)
    if dates.end:
        conditions.append(Viewer.start_date <= dates.end)
    return conditions


def _inside(dates: DateRange) -> list:
    conditions = []
    if dates.start:
        conditions.append(Viewer.start_date >= dates.start)
    if dates.end:
        conditions.append(Viewer.end_date <= dates.end)
    return conditions


def js_round(value) -> int:
    """JavaScript's Math.round (halves up), which PeerTube applies to averages."""
    return math.floor(float(value) + 0.5)


async def overall(session: AsyncSession, video: Video, dates: DateRange) -> dict:
    viewers = _viewers_of(video)
    total_viewers = (await session.execute(
        sa.select(sa.func.count(Viewer.id)).where(*viewers, *_overlapping(dates)))).scalar_one()
    total_watch_time, average_watch_time = (await session.execute(
        sa.select(sa.func.sum(Viewer.watch_time), sa.func.avg(Viewer.watch_time))
        .where(*viewers, *_inside(dates)))).one()
    peak, peak_date = await _viewers_peak(session, video, dates)
    return {
        "averageWatchTime": js_round(average_watch_time or 0),
        "totalWatchTime": int(total_watch_time or 0),
        "totalViewers": total_viewers,
        "viewersPeak": peak,
        "viewersPeakDate": peak_date if peak else None,
        "countries": [{"isoCode": name, "viewers": count}
                      for name, count in await _count_by(session, Viewer.country, viewers, dates)],
        "subdivisions": [{"name": name, "viewers": count}
                         for name, count in await _count_by(session, Viewer.subdivision_name, viewers, dates)],
    }


async def _viewers_peak(session: AsyncSession, video: Video, dates: DateRange) -> tuple[int, datetime | None]:
    """The most viewers at once, and when: +1 at each session start, -1 at each end, the largest
    running total wins (the earliest when several tie). With a start date, the sessions already
    running then count from the beginning."""
    viewers = _viewers_of(video)
    starts = [Viewer.start_date >= dates.start] if dates.start else []
    ends = [Viewer.end_date >= dates.start] if dates.start else []
    if dates.end:
        starts.append(Viewer.start_date <= dates.end)
        ends.append(Viewer.end_date <= dates.end)
    events = sa.union_all(
        sa.select(Viewer.start_date.label("at"), sa.literal_column("1").label("delta")).where(*viewers, *starts),
        sa.select(Viewer.end_date.label("at"), sa.literal_column("-1").label("delta")).where(*viewers, *ends),
    ).subquery("events")
    running = (sa.select(events.c.at, sa.func.sum(sa.func.sum(events.c.delta)).over(order_by=events.c.at)
                         .label("concurrent"))
               .group_by(events.c.at).subquery("running"))
    row = (await session.execute(sa.select(running.c.at, running.c.concurrent)
                                 .order_by(running.c.concurrent.desc(), running.c.at).limit(1))).one_or_none()
    if row is None:
        return 0, None
    already_watching = 0
    if dates.start:
        already_watching = (await session.execute(sa.select(sa.func.count(Viewer.id)).where(
            *viewers, Viewer.start_date < dates.start, Viewer.end_date >= dates.start))).scalar_one()
    return int(row.concurrent) + already_watching, row.at


async def _count_by(session: AsyncSession, column, viewers: list, dates: DateRange) -> list[tuple[str, int]]:
    count = sa.func.count(Viewer.id).label("viewers")
    rows = await session.execute(
        sa.select(column, count).where(*viewers, column.is_not(None), *_overlapping(dates))
        .group_by(column).order_by(count.desc(), column))
    return [(name, number) for name, number in rows]


async def user_agents(session: AsyncSession, video: Video, dates: DateRange) -> dict:
    """Viewers per client, device and operating system (PeerTube 8's `/stats/user-agent`)."""
    viewers = _viewers_of(video)
    result = {}
    for key, column in (("clients", Viewer.client), ("devices", Viewer.device),
                        ("operatingSystems", Viewer.operating_system)):
        result[key] = [{"name": name, "viewers": count}
                       for name, count in await _count_by(session, column, viewers, dates)]
    return result


async def retention(session: AsyncSession, video: Video) -> dict:
    """For about a hundred points of the video, the percentage of its viewers who watched that
    second (a watch section covers it)."""
    if video.is_live:
        raise ProblemError(400, "Cannot get retention stats of live video")
    duration = max(video.duration, 0)
    step = max(js_round(duration / RETENTION_POINTS), 1)
    # integers we computed, spelled inline: a recursive term must keep the type of its seed
    seed = sa.select(sa.literal_column("0").label("second")).cte("seconds", recursive=True)
    seconds = seed.union_all(
        sa.select((seed.c.second + sa.literal_column(str(step))).label("second"))
        .where(seed.c.second + sa.literal_column(str(step)) <= sa.literal_column(str(duration))))
    Section = LocalVideoViewerWatchSection
    watched = sa.exists().where(Section.viewer_id == Viewer.id, Section.watch_start <= seconds.c.second,
                                Section.watch_end >= seconds.c.second)
    rows = (await session.execute(
        sa.select(seconds.c.second, sa.func.count(Viewer.id))
        .select_from(seconds.outerjoin(Viewer, sa.and_(*_viewers_of(video), watched)))
        .group_by(seconds.c.second).order_by(seconds.c.second))).all()
    total = (await session.execute(sa.select(sa.func.count(Viewer.id)).where(*_viewers_of(video)))).scalar_one()
    return {"data": [{"second": second, "retentionPercent": count / max(total, 1) * 100}
                     for second, count in rows]}


async def timeserie(session: AsyncSession, video: Video, metric: str, dates: DateRange) -> dict:
    """`metric` per interval from `dates.start` (default: the video's creation) to `dates.end`
    (default: now)."""
    start = dates.start or video.created_at
    end = dates.end or utcnow()
    interval, ranges = stats_intervals.buckets(start, end)
    values = await _bucket_values(session, video, metric, ranges) if ranges else []
    return {"groupInterval": interval.label,
            "data": [{"date": bucket_start, "value": value} for (bucket_start, _), value in zip(ranges, values)]}


async def _bucket_values(session: AsyncSession, video: Video, metric: str,
                         ranges: list[tuple[datetime, datetime]]) -> list[int]:
    date_type = UTCDateTime()
    buckets = sa.union_all(*(
        sa.select(sa.literal_column(str(index)).label("position"), sa.literal(start, date_type).label("starts"),
                  sa.literal(end, date_type).label("ends"))
        for index, (start, end) in enumerate(ranges))).subquery("buckets")
    if metric == "downloads":
        Downloads = VideoDownloadStat
        # counts per minute, each in the one bucket its minute starts in
        joined = buckets.outerjoin(Downloads, sa.and_(
            Downloads.video_id == video.id, Downloads.start_date >= buckets.c.starts,
            Downloads.start_date < buckets.c.ends))
        value = sa.func.coalesce(sa.func.sum(Downloads.downloads), 0)
    elif metric == "aggregateWatchTime":
        # each session's watch time is added once, to the bucket it ended in (PeerTube's buckets
        # include both bounds, which adds a session ending on a bound twice)
        joined = buckets.outerjoin(Viewer, sa.and_(
            *_viewers_of(video), Viewer.end_date >= buckets.c.starts, Viewer.end_date < buckets.c.ends))
        value = sa.func.coalesce(sa.func.sum(Viewer.watch_time), 0)
    else:
        # a viewer counts in every bucket its session overlaps
        joined = buckets.outerjoin(Viewer, sa.and_(
            *_viewers_of(video), Viewer.start_date <= buckets.c.ends, Viewer.end_date >= buckets.c.starts))
        value = sa.func.count(Viewer.id)
    rows = await session.execute(sa.select(buckets.c.position, value).select_from(joined)
                                 .group_by(buckets.c.position).order_by(buckets.c.position))
    by_position = {int(position): int(total) for position, total in rows}
    return [by_position.get(index, 0) for index in range(len(ranges))]
