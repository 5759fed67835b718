"""What the video services enqueue so that peers hear about local videos, and what the jobs do.

- `federate_video(session, video, is_new=..., was_federated=...)`: after a publication, an edit, a
  privacy change or new files. The `federate-video` job sends Create (new, or newly visible), Update,
  or Delete (no longer federatable: made private) — PeerTube's `federateVideoIfNeeded`.
- `views_changed(session, video_id)`: views of a local video were counted; its followers hear the
  new count once per `federation.videos.views_update_interval` as one Update of the video (one
  activity per interval whatever the number of views, as PeerTube's views buffer).
- `view_of_remote_video(session, video_id)`: a view counted here for a remote video; the
  origin hears it as a `View` from our server actor (it counts it, and its followers get the new
  count through its own aggregated Update).
- `viewer_of_remote_video(session, video_id, viewer)` and `viewers_changed(session, config, video)`:
  who watches now (`services/videos/viewer_counters.py`): a viewer here of a remote video reaches
  its origin as a `View` with `expires`; the followers of a local video get its number of viewers
  once per `federation.videos.viewers_update_interval` while someone watches.
"""

from __future__ import annotations

import time

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Video
from vidpub.jobs.queue import enqueue, enqueue_unique

FEDERATE_VIDEO_JOB = "federate-video"
VIEWS_UPDATE_JOB = "federate-video-views"
REMOTE_VIEW_JOB = "federate-remote-view"
REMOTE_VIEWER_JOB = "federate-remote-viewer"
VIEWERS_UPDATE_JOB = "federate-video-viewers"


def privacy_changed(session: AsyncSession, config: Config, video: Video, old_privacy: int) -> None:
    """An edit or a scheduled update may have changed the privacy: peers get the video (newly
    visible), its Update, or its Delete (now private)."""
    from vidpub.federation.outbox.send_video import federatable_privacy
    from vidpub.services.videos.lookup import is_listed_state

    was = federatable_privacy(config, old_privacy) and is_listed_state(video)
    federate_video(session, video, is_new=not was, was_federated=was)


def federate_video(session: AsyncSession, video: Video, *, is_new: bool, was_federated: bool | None = None) -> None:
    """`was_federated`: whether peers had the video before this change (None: unknown, assume yes
    unless `is_new`)."""
    if video.remote:
        return
    enqueue(session, FEDERATE_VIDEO_JOB, {"videoId": video.id, "isNew": is_new, "wasFederated": was_federated})


async def _once_per_interval(session: AsyncSession, config: Config, job_type: str, setting: str,
                             video_id: int) -> None:
    """One job of `job_type` per interval (`setting`) and video, run at the interval's end with the
    figures of that moment, however many changes came in the interval."""
    interval = max(1.0, config.duration(setting))
    slot = int(time.time() // interval)
    await enqueue_unique(session, job_type, f"{job_type}:{video_id}@{slot}", {"videoId": video_id},
                         delay=interval - time.time() % interval)


async def views_changed(session: AsyncSession, config: Config, video_id: int) -> None:
    await _once_per_interval(session, config, VIEWS_UPDATE_JOB, "federation.videos.views_update_interval", video_id)


def view_of_remote_video(session: AsyncSession, video_id: int) -> None:
    enqueue(session, REMOTE_VIEW_JOB, {"videoId": video_id})


def viewer_of_remote_video(session: AsyncSession, video_id: int, viewer: str) -> None:
    enqueue(session, REMOTE_VIEWER_JOB, {"videoId": video_id, "viewer": viewer})


async def viewers_changed(session: AsyncSession, config: Config, video: Video) -> None:
    from vidpub.federation.outbox.send_video import federatable_privacy

    if video.remote or not federatable_privacy(config, video.privacy):
        return
    await _once_per_interval(session, config, VIEWERS_UPDATE_JOB, "federation.videos.viewers_update_interval",
                             video.id)
