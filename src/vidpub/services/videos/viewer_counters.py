"""Who is watching a video now, across instances (PeerTube's viewer counters, protocol v2).

A video's `viewers` are its viewers here (a `video_viewer` seen within `VIEWER_LIFETIME`) plus the
ones peers told us of (`video_remote_viewer`, each until its `expires`):

- a viewer here of a remote video is sent to the video's origin as a `View` with `expires`, and sent
  again every `FEDERATE_AGAIN_AFTER` while it watches: the origin counts it among its viewers;
- the followers of a local video get its total as a `View` of our server actor with `expires` and
  `result: InteractionCounter` (at most once per `federation.videos.viewers_update_interval`, while
  someone watches; the count then expires by itself);
- for a remote video, the origin's total replaces what we knew, our own viewers included (we told
  the origin of them); viewers forwarded since add to it, as in PeerTube.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.base import utcnow
from vidpub.db.models import VideoRemoteViewer, VideoViewer
from vidpub.db.upsert import insert_for

VIEWER_LIFETIME = timedelta(minutes=2)        # PeerTube's VIEW_LIFETIME.VIEWER_COUNTER
FEDERATE_AGAIN_AFTER = VIEWER_LIFETIME * 0.75  # PeerTube's: a viewer is sent again before it expires
# a peer's `expires` further ahead is cut to this: a viewer cannot be pinned for hours
MAX_REMOTE_LIFETIME = VIEWER_LIFETIME * 5
MAX_ORIGIN_COUNT = 10_000_000
ORIGIN = "origin"  # the key of a remote video's count sent by its origin


def viewers_of(video_id, now, seen_since) -> sa.ColumnElement[int]:
    """SQL: the current viewers of the video `video_id` (a column or a value) at `now`, our own
    being those seen since `seen_since` (`now - VIEWER_LIFETIME`; values or bound parameters)."""
    # correlated explicitly: the inner count sits in the remote one, and would otherwise take the
    # outer query's video table into its own FROM (counting every video's viewers)
    local = (sa.select(sa.func.count()).select_from(VideoViewer)
             .where(VideoViewer.video_id == video_id, VideoViewer.last_seen_at >= seen_since)
             .correlate_except(VideoViewer).scalar_subquery())
    remote = VideoRemoteViewer
    has_origin_count = sa.func.max(sa.cast(remote.from_origin, sa.Integer)) == 1
    return (sa.select(sa.func.coalesce(sa.func.sum(remote.viewer_count), 0)
                      + sa.case((has_origin_count, 0), else_=local))
            .where(remote.video_id == video_id, remote.expires_at > now)
            .correlate_except(VideoRemoteViewer).scalar_subquery())


async def total_viewers(session: AsyncSession, video_id: int) -> int:
    now = utcnow()
    return int((await session.execute(sa.select(viewers_of(video_id, now, now - VIEWER_LIFETIME)))).scalar_one())


def federation_due(federated_at: datetime | None, now: datetime) -> bool:
    return federated_at is None or federated_at <= now - FEDERATE_AGAIN_AFTER


async def claim_federation(session: AsyncSession, viewer_row_id: int, now: datetime) -> bool:
    """Mark the viewer as sent now; False when another request (of any process) just did."""
    claimed = await session.execute(sa.update(VideoViewer).where(
        VideoViewer.id == viewer_row_id,
        sa.or_(VideoViewer.federated_at.is_(None), VideoViewer.federated_at <= now - FEDERATE_AGAIN_AFTER))
        .values(federated_at=now))
    return claimed.rowcount == 1


def peer_viewer_id(viewer: str, video_uuid: str) -> str:
    """The identifier peers see for a viewer of one video: derived from our key, so that neither it
    nor the same viewer on other videos can be told from it."""
    return hashlib.sha256(f"{viewer}:{video_uuid}".encode()).hexdigest()[:32]



async def add_remote_viewer(session: AsyncSession, video_id: int, activity_id: str, expires_at: datetime,
                            origin_count: int | None = None) -> bool:
    """A viewer a peer told us of, until `expires_at` (cut to `MAX_REMOTE_LIFETIME`), or with
    `origin_count` the total of a remote video's origin, which replaces what we knew. False when
    the viewer has already expired."""
    now = utcnow()
    if expires_at <= now:
        return False
    expires_at = min(expires_at, now + MAX_REMOTE_LIFETIME)
    if origin_count is not None:
        await session.execute(sa.delete(VideoRemoteViewer).where(VideoRemoteViewer.video_id == video_id))
        if origin_count <= 0:
            return True
        key, count = ORIGIN, min(origin_count, MAX_ORIGIN_COUNT)
    else:
        key, count = hashlib.sha256(activity_id.encode()).hexdigest(), 1
    table = VideoRemoteViewer.__table__
    statement = insert_for(session)(table).values(video_id=video_id, viewer=key, viewer_count=count,
                                               from_origin=origin_count is not None, expires_at=expires_at)
    await session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.video_id, table.c.viewer],
        set_={"viewer_count": count, "expires_at": expires_at}))
    return True


async def remove_expired_remote_viewers(session: AsyncSession) -> int:
    result = await session.execute(sa.delete(VideoRemoteViewer).where(VideoRemoteViewer.expires_at <= utcnow()))
    return result.rowcount or 0
