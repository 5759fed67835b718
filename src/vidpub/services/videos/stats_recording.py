"""Recording what video statistics are computed from: viewing sessions with their watch sections
(fed by the player's reports, `POST /videos/{id}/views`) and downloads per minute.

PeerTube's rules: a viewer's session lasts until it has not reported for an hour; a seek, or a
position before the start of the current watch section, opens a new section, any other report ends
the current section at its position; the watch time is the sum of the sections' lengths; past 100
sections the viewer's reports are ignored. PeerTube keeps sessions in Redis and writes them when
they end; here each report moves its session forward in the database (an upsert of the session and
one of its current section), so the statistics also show sessions in progress.
"""

from __future__ import annotations

import uuid as uuid_module
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import LocalVideoViewer, LocalVideoViewerWatchSection, VideoDownloadStat
from vidpub.db.upsert import insert_for

if TYPE_CHECKING:
    from vidpub.services.videos.views import WatchReport

SESSION_LIFETIME = timedelta(hours=1)  # PeerTube's VIEW_LIFETIME.VIEWER_STATS
MAX_WATCH_SECTIONS = 100               # PeerTube's MAX_LOCAL_VIEWER_WATCH_SECTIONS



def watch_action_url(config: Config, viewer_uuid: str) -> str:
    """The ActivityPub id of a local viewer's `WatchAction` (PeerTube's URL layout)."""
    return f"{config.url}/videos/local-viewer/{viewer_uuid}"


async def record_session(session: AsyncSession, config: Config, video_id: int, viewer: str,
                         report: WatchReport, now: datetime) -> None:
    """Apply one player report to its viewer's session on the video (opening one when there is
    none, or when the last one ended). The caller commits."""
    row = await _extend_open_session(session, config, video_id, viewer, report, now)
    if row is None:
        # the viewer's previous session is over: it keeps its data but no longer its viewer key
        await session.execute(sa.update(LocalVideoViewer).where(
            LocalVideoViewer.video_id == video_id, LocalVideoViewer.viewer == viewer).values(viewer=None))
        row = await _extend_open_session(session, config, video_id, viewer, report, now)
        if row is None:  # only if another report of the viewer raced us twice: this one is dropped
            return
    await _save_current_section(session, row, now)


async def _extend_open_session(session: AsyncSession, config: Config, video_id: int, viewer: str,
                               report: WatchReport, now: datetime):
    """Insert the session, or move the viewer's open session forward; None when the viewer's
    session has ended (the conflicting row is left as it is)."""
    table = LocalVideoViewer.__table__
    c = table.c
    t = report.current_time
    viewer_uuid = str(uuid_module.uuid4())
    statement = insert_for(session)(table).values(
        video_id=video_id, viewer=viewer, uuid=viewer_uuid, url=watch_action_url(config, viewer_uuid),
        start_date=now, end_date=now, watch_time=0, client=report.client, device=report.device,
        operating_system=report.operating_system, section_count=1, section_start=t, section_end=t,
        created_at=now)
    full = c.section_count >= MAX_WATCH_SECTIONS
    new_section = sa.true() if report.seek else c.section_start > t
    excluded = statement.excluded
    statement = statement.on_conflict_do_update(
        index_elements=[c.video_id, c.viewer],
        set_={
            "end_date": sa.case((full, c.end_date), else_=sa.literal(now, c.end_date.type)),
            "watch_time": sa.case((sa.or_(full, new_section), c.watch_time),
                                  else_=c.watch_time + t - c.section_end),
            "section_count": sa.case((full, c.section_count), (new_section, c.section_count + 1),
                                     else_=c.section_count),
            "section_start": sa.case((full, c.section_start), (new_section, t), else_=c.section_start),
            "section_end": sa.case((full, c.section_end), else_=t),
            # the player tells them with every report; a session keeps the first ones it heard
            "client": sa.func.coalesce(c.client, excluded.client),
            "device": sa.func.coalesce(c.device, excluded.device),
            "operating_system": sa.func.coalesce(c.operating_system, excluded.operating_system),
        },
        where=c.end_date > now - SESSION_LIFETIME,
    ).returning(c.id, c.section_count, c.section_start, c.section_end)
    return (await session.execute(statement)).one_or_none()


async def _save_current_section(session: AsyncSession, row, now: datetime) -> None:
    table = LocalVideoViewerWatchSection.__table__
    statement = insert_for(session)(table).values(
        viewer_id=row.id, position=row.section_count, watch_start=row.section_start,
        watch_end=row.section_end, created_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.viewer_id, table.c.position],
        set_={"watch_start": statement.excluded.watch_start, "watch_end": statement.excluded.watch_end})
    await session.execute(statement)


async def forget_ended_sessions(session: AsyncSession, now: datetime | None = None) -> int:
    """Drop the viewer key of sessions that ended: the statistics need no viewer identity, and a
    returning viewer opens a new session anyway."""
    cutoff = (now or utcnow()) - SESSION_LIFETIME
    result = await session.execute(sa.update(LocalVideoViewer).where(
        LocalVideoViewer.viewer.is_not(None), LocalVideoViewer.end_date <= cutoff).values(viewer=None))
    return result.rowcount or 0


def download_minute(at: datetime) -> tuple[datetime, datetime]:
    start = at.replace(second=0, microsecond=0)
    return start, start + timedelta(minutes=1)


async def record_download(session: AsyncSession, video_id: int, at: datetime | None = None) -> None:
    """Add one download to the video's count for the minute (one upsert). The caller commits.

    PeerTube counts downloads per hour, but a video's time series is drawn by the minute during its
    first hours (the range starts at its creation): whole minutes put each download in its bucket."""
    start, end = download_minute(at or utcnow())
    table = VideoDownloadStat.__table__
    statement = insert_for(session)(table).values(video_id=video_id, start_date=start, end_date=end, downloads=1)
    statement = statement.on_conflict_do_update(index_elements=[table.c.video_id, table.c.start_date],
                                                set_={"downloads": table.c.downloads + 1})
    await session.execute(statement)
