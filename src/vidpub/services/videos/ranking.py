"""The computed sorts of video lists: `-trending`, `-hot`, `-best`, `-localVideoFilesSize`, and the
hourly view counts trending adds up.

Each score is a SQL expression correlated with the `video` row, so the list query sorts and pages in
the database. The few functions whose spelling differs between SQLite and PostgreSQL are compiled per
dialect below.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from vidpub.db.models import UserVideoHistory, Video, VideoFile, VideoStreamingPlaylist, VideoView
from vidpub.db.upsert import insert_for

# PeerTube's "hot" weights, in half-days of publication age (the Reddit "hot" idea, with heavier
# likes and comments because PeerTube instances see fewer interactions than Reddit)
HOT_WEIGHT_LIKE = 3 * 50
HOT_WEIGHT_DISLIKE = -3 * 50
HOT_WEIGHT_VIEW = 50 // 3
HOT_WEIGHT_COMMENT = 2 * 50
BEST_WEIGHT_ALREADY_WATCHED = -2 * 50
HOT_EPOCH = 1446156582   # PeerTube's origin of the age term (late October 2015)
HOT_HALF_DAY = 47000     # seconds in one "half-day" of the age term


class greatest(GenericFunction):
    """The largest of its arguments: GREATEST on PostgreSQL, the scalar MAX on SQLite."""
    type = sa.Float()
    inherit_cache = True


@compiles(greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


class log10(GenericFunction):
    """Base-10 logarithm (SQLite's math functions and PostgreSQL's LOG agree on it)."""
    type = sa.Float()
    inherit_cache = True
    name = "log"


class epoch_seconds(GenericFunction):
    """Seconds since 1970 with their fraction, as PostgreSQL's EXTRACT(EPOCH) gives them. SQLAlchemy
    spells EXTRACT(EPOCH) for SQLite with strftime('%s'), whole seconds: two videos published within
    the same second tied in the hot sort, where PeerTube orders them by their publication."""
    type = sa.Float()
    inherit_cache = True


@compiles(epoch_seconds)
def _epoch_seconds_default(element, compiler, **kw):
    return f"EXTRACT(EPOCH FROM {compiler.process(element.clauses, **kw)})"


@compiles(epoch_seconds, "sqlite")
def _epoch_seconds_sqlite(element, compiler, **kw):
    return f"((julianday({compiler.process(element.clauses, **kw)}) - 2440587.5) * 86400.0)"


def trending_score(interval_days: int, now: datetime) -> sa.ColumnElement:
    """Views counted over the last `interval_days` (trending.videos.interval_days)."""
    since = now - timedelta(days=interval_days)
    return (sa.select(sa.func.coalesce(sa.func.sum(VideoView.views), 0))
            .where(VideoView.video_id == Video.id, VideoView.start_date >= since)
            .correlate(Video).scalar_subquery())


def hot_score(best_for_user_id: int | None = None) -> sa.ColumnElement:
    """PeerTube's "hot" score:

        log10(max(1, likes - 1)) * 150 - log10(max(1, dislikes - 1)) * 150 + log10(views + 1) * 16
        + log10(max(1, comments)) * 100 + (publishedAt in epoch seconds - 1446156582) / 47000

    "best" is the same for a logged-in user, minus 100 for the videos already in their history."""
    score = (
        log10(greatest(1, Video.likes - 1)) * HOT_WEIGHT_LIKE
        + log10(greatest(1, Video.dislikes - 1)) * HOT_WEIGHT_DISLIKE
        + log10(Video.views + 1) * HOT_WEIGHT_VIEW
        + log10(greatest(1, Video.comments)) * HOT_WEIGHT_COMMENT
        + (epoch_seconds(Video.published_at) - HOT_EPOCH) / HOT_HALF_DAY
    )
    if best_for_user_id is not None:
        watched = sa.exists().where(UserVideoHistory.video_id == Video.id,
                                    UserVideoHistory.user_id == best_for_user_id)
        score = score + sa.case((watched, BEST_WEIGHT_ALREADY_WATCHED), else_=0)
    return score


def local_files_size() -> sa.ColumnElement:
    """Bytes on this instance's storage: web videos plus HLS files (0 for remote videos)."""
    web = (sa.select(sa.func.coalesce(sa.func.sum(VideoFile.size), 0))
           .where(VideoFile.video_id == Video.id).correlate(Video).scalar_subquery())
    hls = (sa.select(sa.func.coalesce(sa.func.sum(VideoFile.size), 0))
           .join(VideoStreamingPlaylist, VideoFile.video_streaming_playlist_id == VideoStreamingPlaylist.id)
           .where(VideoStreamingPlaylist.video_id == Video.id).correlate(Video).scalar_subquery())
    return sa.case((Video.remote.is_(True), 0), else_=web + hls)


def view_hour(at: datetime) -> tuple[datetime, datetime]:
    start = at.replace(minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=1)


async def record_view(session: AsyncSession, video_id: int, at: datetime) -> None:
    """Add one view to the video's count for the hour of `at` (one upsert). Called wherever a view
    counts, in the same transaction; the caller commits."""
    start, end = view_hour(at)
    table = VideoView.__table__
    insert = insert_for(session)
    statement = insert(table).values(video_id=video_id, start_date=start, end_date=end, views=1)
    statement = statement.on_conflict_do_update(index_elements=[table.c.video_id, table.c.start_date],
                                                set_={"views": table.c.views + 1})
    await session.execute(statement)


async def remove_old_views(session: AsyncSession, older_than: datetime) -> int:
    """Forget hourly counts no sort looks at any more."""
    result = await session.execute(sa.delete(VideoView).where(VideoView.start_date < older_than))
    return result.rowcount or 0
