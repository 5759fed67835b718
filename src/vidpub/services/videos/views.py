"""Views and watch history: what the player reports every few seconds (`POST /videos/{id}/views`).

PeerTube's rules (peertube-internals §5.7): a viewer is the session id the player sends (when
`views.videos.trust_viewer_session_id`) or else the IP; the viewer's watch sections add up to a
watch time, and a view counts once the watch time reaches `views.videos.count_view_after` (half the
video when it is shorter than that), then not again for that viewer until `view_expiration`.

Every process must agree on who was counted, so the viewer state is a `video_viewer` row, updated by
one upsert per call (plus one for the history of a logged-in user); a view that counts (a rarer
event) costs a few more statements. Each report also moves the viewer's statistics session forward
(`stats_recording`: its watch sections, client, device and OS).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import User, UserVideoHistory, Video, VideoPrivacy, VideoViewer
from vidpub.db.upsert import insert_for
from vidpub.errors import invalid_param
from vidpub.services.videos import ranking, stats_recording, viewer_counters
from vidpub.services.videos.lookup import ensure_can_see, get_video

SEEK_EVENT = "seek"


@dataclass(frozen=True)
class WatchReport:
    """One call of the player: where it is in the video and who is watching."""
    current_time: int
    seek: bool
    session_id: str | None
    ip: str | None
    client: str | None = None
    device: str | None = None
    operating_system: str | None = None


def viewer_key(secret: str, config: Config, report: WatchReport) -> str:
    """The viewer's identity, keyed with the instance secret: IPs are not kept in the clear, and a
    plain hash of an IPv4 address is reversed by trying them all."""
    if report.session_id and config.views.videos.trust_viewer_session_id:
        identity = f"session:{report.session_id}"
    else:
        identity = f"ip:{report.ip or 'unknown'}"
    return hmac.new(secret.encode(), identity.encode(), hashlib.sha256).hexdigest()


def ensure_valid_time(video: Video, current_time: int) -> None:
    """A position inside the video; an unknown duration (0: not probed yet, or a live) bounds nothing."""
    if video.duration and current_time > video.duration:
        raise invalid_param("currentTime", current_time, "Current time is invalid")


def has_enough_watch_time(config: Config, video: Video, watch_time: int) -> bool:
    count_after = config.duration("views.videos.count_view_after")
    if video.is_live or video.duration >= count_after:
        return watch_time >= count_after
    # a video shorter than the threshold counts once more than half of it was watched
    return watch_time > 0 and video.duration / watch_time < 2


async def view_video(session: AsyncSession, config: Config, secret: str, ref: str, user: User | None,
                     report: WatchReport) -> bool:
    """`POST /videos/{id}/views`: check the video may be watched by the caller, record the report,
    commit. True when a view was counted."""
    video = await get_video(session, ref)
    # The players do not send the password of a password-protected video with their reports (the
    # page asked for it already); its privacy is checked on every other read.
    if video.privacy != VideoPrivacy.PASSWORD_PROTECTED:
        await ensure_can_see(session, video, user)
    ensure_valid_time(video, report.current_time)
    counted = await record_watching(session, config, secret, video, user, report)
    if counted:
        await federate_counted_view(session, config, video)
    await session.commit()
    return counted


async def federate_counted_view(session: AsyncSession, config: Config, video: Video) -> None:
    """Peers hear of counted views in aggregate: a remote video's origin gets a `View`; the followers
    of a local video get its new count in the next periodic Update (`federation/video_jobs.py`)."""
    from vidpub.federation import video_jobs

    if video.remote:
        video_jobs.view_of_remote_video(session, video.id)
    else:
        await video_jobs.views_changed(session, config, video.id)


async def _federate_viewer(session: AsyncSession, config: Config, video: Video, viewer: str) -> None:
    """Peers hear of who watches (`viewer_counters`): a remote video's origin gets this viewer, the
    followers of a local video its total in the next interval."""
    from vidpub.federation import video_jobs

    if video.remote:
        video_jobs.viewer_of_remote_video(session, video.id, viewer_counters.peer_viewer_id(viewer, video.uuid))
    else:
        await video_jobs.viewers_changed(session, config, video)


async def count_view(session: AsyncSession, video_id: int) -> None:
    """One more view of the video (one a peer counted and sent us)."""
    await session.execute(sa.update(Video).where(Video.id == video_id).values(views=Video.views + 1))
    await ranking.record_view(session, video_id, utcnow())


async def record_watching(session: AsyncSession, config: Config, secret: str, video: Video,
                          user: User | None, report: WatchReport) -> bool:
    """Apply one player report: the viewer's watch time, the view count, the user's history.
    True when this report made a view count. The caller commits."""
    now = utcnow()
    viewer = viewer_key(secret, config, report)
    row = await _upsert_viewer(session, config, video.id, viewer, report, now)
    await stats_recording.record_session(session, config, video.id, viewer, report, now)
    if viewer_counters.federation_due(row.federated_at, now) and await viewer_counters.claim_federation(
            session, row.id, now):
        await _federate_viewer(session, config, video, viewer)
    counted = False
    if not row.counted and has_enough_watch_time(config, video, row.watch_time):
        counted = await _count_view(session, row.id, video.id)
    if user is not None and user.videos_history_enabled:
        await _upsert_history(session, user.id, video.id, report.current_time, now)
    return counted



async def _upsert_viewer(session: AsyncSession, config: Config, video_id: int, viewer: str,
                         report: WatchReport, now):
    expires_at = now + timedelta(seconds=config.duration("views.videos.view_expiration"))
    t = report.current_time
    table = VideoViewer.__table__
    c = table.c
    expired = c.expires_at <= now
    # PeerTube's watch sections: a seek, or a position before the current section's start, opens a
    # new section; otherwise the current section ends here. Watch time = sum of (end - start).
    new_section = sa.true() if report.seek else sa.or_(expired, c.section_start > t)
    statement = insert_for(session)(table).values(
        video_id=video_id, viewer=viewer, expires_at=expires_at, watch_time=0, section_start=t,
        section_end=t, counted=False, last_seen_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=[c.video_id, c.viewer],
        set_={
            "watch_time": sa.case((expired, 0), (new_section, c.watch_time),
                                  else_=c.watch_time + t - c.section_end),
            "section_start": sa.case((new_section, t), else_=c.section_start),
            "section_end": t,
            "counted": sa.case((expired, False), else_=c.counted),
            "expires_at": sa.case((expired, sa.literal(expires_at, c.expires_at.type)), else_=c.expires_at),
            "last_seen_at": now,
        },
    ).returning(c.id, c.watch_time, c.counted, c.federated_at)
    return (await session.execute(statement)).one()


async def _count_view(session: AsyncSession, viewer_id: int, video_id: int) -> bool:
    """Mark the viewing counted, and count it only if this call did (concurrent calls of the same
    viewer race here; the conditional update lets one of them win)."""
    marked = await session.execute(sa.update(VideoViewer).where(
        VideoViewer.id == viewer_id, VideoViewer.counted.is_(False)).values(counted=True))
    if marked.rowcount != 1:
        return False
    await count_view(session, video_id)  # with the hourly counts `-trending` adds up
    return True


async def _upsert_history(session: AsyncSession, user_id: int, video_id: int, current_time: int, now) -> None:
    table = UserVideoHistory.__table__
    statement = insert_for(session)(table).values(
        user_id=user_id, video_id=video_id, current_time=current_time, created_at=now, updated_at=now)
    # updated_at orders the user's history: it is set explicitly (ON CONFLICT skips `onupdate`)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.user_id, table.c.video_id],
        set_={"current_time": current_time, "updated_at": now})
    await session.execute(statement)


async def remove_expired_viewers(session: AsyncSession) -> int:
    """Forget viewings past their expiration (the next call of such a viewer starts afresh anyway)."""
    result = await session.execute(sa.delete(VideoViewer).where(VideoViewer.expires_at <= utcnow()))
    return result.rowcount or 0
