"""Scheduled privacy changes (`scheduleUpdate` of an upload or an update): PeerTube's
UpdateVideosScheduler, run every minute by the `apply-scheduled-video-updates` job."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.base import utcnow
from vidpub.db.models import ScheduleVideoUpdate, Video, VideoPassword, VideoPrivacy
from vidpub.federation import video_jobs
from vidpub.services import notifications
from vidpub.storage import layout

log = logging.getLogger("vidpub.videos.schedule")

BATCH = 100


async def apply_due_updates(runtime) -> int:
    """Apply every scheduled update whose time has come; returns how many were applied. File moves
    between public and private storage happen after the commit (a rollback must not move files)."""
    now = utcnow()
    moves: list[tuple[int, int]] = []
    async with runtime.db.transaction() as session:
        due = (await session.execute(
            sa.select(ScheduleVideoUpdate).where(ScheduleVideoUpdate.update_at <= now)
            .order_by(ScheduleVideoUpdate.update_at).limit(BATCH))).scalars().all()
        for schedule in due:
            video = await session.get(Video, schedule.video_id)
            if video is not None and schedule.privacy is not None and schedule.privacy != video.privacy:
                old_privacy = video.privacy
                if old_privacy == VideoPrivacy.PRIVATE:
                    video.published_at = now  # first shown now: PeerTube dates its publication from here
                if old_privacy == VideoPrivacy.PASSWORD_PROTECTED:
                    await session.execute(sa.delete(VideoPassword).where(VideoPassword.video_id == video.id))
                video.privacy = schedule.privacy
                video.updated_at = now
                notifications.privacy_changed(session, video, old_privacy, scheduled=True)
                video_jobs.privacy_changed(session, runtime.config, video, old_privacy)
                if layout.in_private_directory(old_privacy) != layout.in_private_directory(schedule.privacy):
                    moves.append((video.id, old_privacy))
            await session.delete(schedule)
    for video_id, old_privacy in moves:
        await _move_files(runtime, video_id, old_privacy)
    return len(due)


async def _move_files(runtime, video_id: int, old_privacy: int) -> None:
    from vidpub.services.videos import privacy_files
    from vidpub.services.videos.lookup import get_video

    try:
        async with runtime.db.session() as session:
            video = await get_video(session, str(video_id))
            await privacy_files.move_files_for_privacy(session, runtime.config, video, old_privacy)
    except Exception:
        log.exception("could not move the files of video %s after its scheduled privacy change", video_id)
