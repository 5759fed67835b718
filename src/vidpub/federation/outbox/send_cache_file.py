"""Create / Update / Undo of our `CacheFile`s, sent by the server actor to the video's origin and to
the instance's followers (PeerTube addresses them to the followers of the actors of the video and of
the server actor). The Create's id is the CacheFile's own id, as PeerTube makes it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Actor, Video, VideoRedundancy
from vidpub.federation import urls
from vidpub.federation.ap.cache_file import cache_file_to_ap
from vidpub.federation.audience import follower_inboxes
from vidpub.federation.context import AS_PUBLIC, context_for
from vidpub.federation.outbox.delivery import deliver
from vidpub.federation.outbox.send_view import origin_inbox
from vidpub.federation.remote_actors import server_actor


def _audience(instance: Actor, video: Video) -> dict:
    followers = [instance.followers_url, video.channel.actor.followers_url, video.channel.account.actor.followers_url]
    return {"to": [AS_PUBLIC, *[url for url in followers if url]], "cc": []}


def create_cache_file_activity(instance: Actor, redundancy: VideoRedundancy, video: Video) -> dict:
    return {"@context": context_for("CacheFile"), "type": "Create", "id": redundancy.url, "actor": instance.url,
            **_audience(instance, video), "object": cache_file_to_ap(redundancy, video.url)}


def update_cache_file_activity(instance: Actor, redundancy: VideoRedundancy, video: Video,
                               at: datetime) -> dict:
    return {"@context": context_for("CacheFile"), "type": "Update", "id": urls.update_url(redundancy.url, at),
            "actor": instance.url, **_audience(instance, video), "object": cache_file_to_ap(redundancy, video.url)}


def undo_cache_file_activity(instance: Actor, redundancy: VideoRedundancy, video: Video) -> dict:
    create = create_cache_file_activity(instance, redundancy, video)
    del create["@context"]
    return {"@context": context_for("CacheFile"), "type": "Undo", "id": urls.undo_url(redundancy.url),
            "actor": instance.url, **_audience(instance, video), "object": create}


async def _send(session: AsyncSession, activity: dict, instance: Actor, video: Video) -> int:
    inboxes = await follower_inboxes(session, [instance.id])
    inboxes.add(origin_inbox(video))
    return await deliver(session, activity, signer=instance, inboxes=inboxes)


async def send_create_cache_file(session: AsyncSession, redundancy: VideoRedundancy, video: Video) -> int:
    """`video` (remote) with its channel, account and their actors loaded."""
    instance = await server_actor(session)
    return await _send(session, create_cache_file_activity(instance, redundancy, video), instance, video)


async def send_update_cache_file(session: AsyncSession, redundancy: VideoRedundancy, video: Video,
                                 at: datetime) -> int:
    instance = await server_actor(session)
    return await _send(session, update_cache_file_activity(instance, redundancy, video, at), instance, video)


async def send_undo_cache_file(session: AsyncSession, redundancy: VideoRedundancy, video: Video) -> int:
    instance = await server_actor(session)
    return await _send(session, undo_cache_file_activity(instance, redundancy, video), instance, video)
