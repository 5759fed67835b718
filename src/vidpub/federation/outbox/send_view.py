"""`View`s sent by our server actor (peertube-internals §5.7):

- of a remote video, to the video's origin: one per view counted here (the origin counts it and
  tells its followers the new total), and one per viewer watching here, with `expires` (the origin
  counts it among the video's current viewers);
- of a local video, to its followers: its number of current viewers, with `expires` and `result`
  (PeerTube's viewer protocol v2; see `services/videos/viewer_counters.py`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import sqlalchemy as sa

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import Video
from vidpub.federation import urls
from vidpub.federation.ap.common import iso
from vidpub.federation.audience import public_audience
from vidpub.federation.context import context_for
from vidpub.federation.outbox.delivery import deliver, deliver_to_followers
from vidpub.federation.remote_actors import server_actor
from vidpub.services.videos import viewer_counters
from vidpub.services.videos.lookup import with_owner


def view_activity(actor_url: str, video: Video, viewer: str) -> dict:
    return {"@context": context_for("View"), "type": "View", "id": urls.view_url(actor_url, video.id, viewer),
            "actor": actor_url, "object": video.url}


def viewers_activity(actor_url: str, video: Video, viewer: str, viewers: int) -> dict:
    """`viewers` watching `video` until the activity's `expires`."""
    expires = utcnow() + viewer_counters.VIEWER_LIFETIME
    return {**view_activity(actor_url, video, viewer), **public_audience(None),
            "expires": iso(expires),
            "result": {"type": "InteractionCounter", "interactionType": "WatchAction",
                       "userInteractionCount": viewers}}


def origin_inbox(video: Video) -> str:
    """The inbox of the video's origin server (its channel's shared inbox when it has one)."""
    actor = video.channel.actor
    return actor.shared_inbox_url or actor.inbox_url


async def _send_to_origin(db, video_id: int, build: Callable[[str, Video], dict]) -> dict:
    """`build(server actor URL, video)`'s activity, sent to the origin of the remote video."""
    async with db.transaction() as session:
        video = (await session.execute(sa.select(Video).options(with_owner()).where(Video.id == video_id))
                 ).unique().scalar_one_or_none()
        if video is None or not video.remote:
            return {"skipped": "not a remote video"}
        instance = await server_actor(session)
        activity = build(instance.url, video)
        return {"deliveries": await deliver(session, activity, signer=instance, inboxes=[origin_inbox(video)])}


async def run_remote_view(db, config: Config, payload: dict) -> dict:
    # a fresh identifier per view: the viewer's own key never leaves this instance
    return await _send_to_origin(db, payload["videoId"],
                                 lambda actor_url, video: view_activity(actor_url, video, str(uuid.uuid4())))


async def run_remote_viewer(db, config: Config, payload: dict) -> dict:
    """One of our viewers of a remote video (a per-video identifier of it), to its origin."""
    viewer = str(payload["viewer"])
    return await _send_to_origin(db, payload["videoId"],
                                 lambda actor_url, video: viewers_activity(actor_url, video, viewer, 1))


async def run_viewers_update(db, config: Config, payload: dict) -> dict:
    """The number of viewers of a local video, to its followers (nothing when no one watches: the
    count they have expires)."""
    from vidpub.federation.outbox.send_video import audience_actor_ids, can_federate

    async with db.transaction() as session:
        video = await session.get(Video, payload["videoId"])
        if video is None or not can_federate(config, video):
            return {"skipped": "not federated"}
        viewers = await viewer_counters.total_viewers(session, video.id)
        if viewers == 0:
            return {"skipped": "no viewers"}
        instance = await server_actor(session)
        # one id per video, as PeerTube's (its viewer identifier is the video's UUID)
        activity = viewers_activity(instance.url, video, video.uuid, viewers)
        deliveries = await deliver_to_followers(session, activity, signer=instance,
                                                actor_ids=await audience_actor_ids(session, video))
        return {"viewers": viewers, "deliveries": deliveries}
