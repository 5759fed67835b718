"""`View` of a remote video, sent by our server actor to the video's origin (peertube-internals
§5.7): one per view counted here; the origin counts it and tells its followers the new total."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from vidpub.config import Config
from vidpub.db.models import Video
from vidpub.federation import urls
from vidpub.federation.context import context_for
from vidpub.federation.outbox.delivery import deliver
from vidpub.federation.remote_actors import server_actor
from vidpub.services.videos.lookup import with_owner


def view_activity(actor_url: str, video: Video, viewer: str) -> dict:
    return {"@context": context_for("View"), "type": "View", "id": urls.view_url(actor_url, video.id, viewer),
            "actor": actor_url, "object": video.url}


def origin_inbox(video: Video) -> str:
    """The inbox of the video's origin server (its channel's shared inbox when it has one)."""
    actor = video.channel.actor
    return actor.shared_inbox_url or actor.inbox_url


async def run_remote_view(db, config: Config, payload: dict) -> dict:
    async with db.transaction() as session:
        video = (await session.execute(sa.select(Video).options(with_owner()).where(Video.id == payload["videoId"]))
                 ).unique().scalar_one_or_none()
        if video is None or not video.remote:
            return {"skipped": "not a remote video"}
        instance = await server_actor(session)
        # a fresh identifier per view: the viewer's own key never leaves this instance
        activity = view_activity(instance.url, video, str(uuid.uuid4()))
        return {"deliveries": await deliver(session, activity, signer=instance, inboxes=[origin_inbox(video)])}
