"""`Create WatchAction`: the viewing sessions of remote videos that ended here go to the videos'
origins, which keep the statistics of their videos (PeerTube sends them from the viewer's instance
once the session is over). Sent, a session is no longer kept here: statistics are the origin's."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import LocalVideoViewer, LocalVideoViewerWatchSection, Video
from vidpub.federation.audience import public_audience
from vidpub.federation.ap.watch_action import watch_action_to_ap
from vidpub.federation.context import context_for
from vidpub.federation.outbox.delivery import deliver
from vidpub.federation.outbox.send_view import origin_inbox
from vidpub.federation.remote_actors import server_actor
from vidpub.services.videos.lookup import with_owner
from vidpub.services.videos.stats_recording import SESSION_LIFETIME

BATCH = 500  # sessions per run; the next run takes the rest


def create_watch_action(actor_url: str, viewer: LocalVideoViewer, video: Video,
                        sections: list[tuple[int, int]]) -> dict:
    watch_action = watch_action_to_ap(
        url=viewer.url, viewer_uuid=viewer.uuid, video_url=video.url, start=viewer.start_date, end=viewer.end_date,
        watch_time=viewer.watch_time, sections=sections, country=viewer.country, region=viewer.subdivision_name)
    return {"@context": context_for("WatchAction"), "type": "Create", "id": f"{viewer.url}/activity",
            "actor": actor_url, **public_audience(None), "object": watch_action}


async def send_ended_remote_sessions(session: AsyncSession, config: Config, now) -> int:
    """Send every ended session of a remote video to its origin, then forget it. The caller commits
    (the deliveries are jobs of the same transaction)."""
    ended = (await session.execute(
        sa.select(LocalVideoViewer).join(Video, Video.id == LocalVideoViewer.video_id)
        .where(Video.remote.is_(True), LocalVideoViewer.end_date <= now - SESSION_LIFETIME)
        .order_by(LocalVideoViewer.id).limit(BATCH))).scalars().all()
    if not ended:
        return 0
    instance = await server_actor(session)
    videos = {video.id: video for video in (await session.execute(
        sa.select(Video).options(with_owner()).where(Video.id.in_({row.video_id for row in ended})))).unique().scalars()}
    sections: dict[int, list[tuple[int, int]]] = {}
    for viewer_id, start_at, end_at in await session.execute(
            sa.select(LocalVideoViewerWatchSection.viewer_id, LocalVideoViewerWatchSection.watch_start,
                      LocalVideoViewerWatchSection.watch_end)
            .where(LocalVideoViewerWatchSection.viewer_id.in_([row.id for row in ended]))
            .order_by(LocalVideoViewerWatchSection.viewer_id, LocalVideoViewerWatchSection.position)):
        sections.setdefault(viewer_id, []).append((start_at, end_at))
    for viewer in ended:
        video = videos[viewer.video_id]
        activity = create_watch_action(instance.url, viewer, video, sections.get(viewer.id, []))
        await deliver(session, activity, signer=instance, inboxes=[origin_inbox(video)])
    await session.execute(sa.delete(LocalVideoViewer).where(LocalVideoViewer.id.in_([row.id for row in ended])))
    return len(ended)
