"""Shares of videos (PeerTube's `videoShare`): who Announced a video.

A public local video, once federated, is shared by its channel and by the instance (server actor),
each Announcing it to its own followers — PeerTube's `shareVideoByServerAndChannel` — so that peers
that follow only one of them hear of it, and count the shares. Announces received from peers are
recorded by `process_announce`; their Undo removes them. `…/announces` lists them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Actor, Video, VideoChannel, VideoPrivacy, VideoShare
from vidpub.federation import urls
from vidpub.federation.audience import public_audience
from vidpub.federation.context import context_for
from vidpub.federation.outbox.delivery import deliver_to_followers
from vidpub.federation.remote_actors import server_actor


def announce_activity(actor: Actor, video: Video, share_url: str) -> dict:
    return {"@context": context_for(), "type": "Announce", "id": share_url, "actor": actor.url,
            "object": video.url, **public_audience(actor.followers_url)}


async def record_share(session: AsyncSession, actor_id: int, video_id: int, url: str) -> bool:
    """True when the share is new (an actor shares a video once)."""
    existing = (await session.execute(sa.select(VideoShare).where(
        VideoShare.actor_id == actor_id, VideoShare.video_id == video_id))).scalar_one_or_none()
    if existing is not None:
        return False
    try:
        async with session.begin_nested():
            session.add(VideoShare(actor_id=actor_id, video_id=video_id, url=url[:2000]))
            await session.flush()
    except IntegrityError:  # the same Announce id already names another share
        return False
    return True


async def remove_share(session: AsyncSession, actor_id: int, *, url: str | None, video_id: int | None
                       ) -> VideoShare | None:
    query = sa.select(VideoShare).where(VideoShare.actor_id == actor_id)
    share = None
    if url:
        share = (await session.execute(query.where(VideoShare.url == url))).scalar_one_or_none()
    if share is None and video_id is not None:
        share = (await session.execute(query.where(VideoShare.video_id == video_id))).scalar_one_or_none()
    if share is not None:
        await session.delete(share)
        await session.flush()
    return share


async def share_by_server_and_channel(session: AsyncSession, video: Video) -> int:
    """The channel and the instance Announce a public local video to their followers (once each)."""
    if video.remote or video.privacy != VideoPrivacy.PUBLIC:
        return 0
    channel = await session.get(VideoChannel, video.channel_id)
    deliveries = 0
    for actor in (await server_actor(session), channel.actor):
        share_url = urls.announce_url(video.url, actor.id)
        await record_share(session, actor.id, video.id, share_url)
        deliveries += await deliver_to_followers(session, announce_activity(actor, video, share_url), signer=actor,
                                                 actor_ids=[actor.id])
    return deliveries

