"""Create / Update / Delete of local videos, sent to the remote followers of the video's channel, its
account and the instance (server actor), signed by the owner account (PeerTube's `byActor`).

Services do not call these directly: they enqueue `federate-video` (`federation/video_jobs.py`) in
their own transaction, and the job decides what a peer must hear — only public videos (and unlisted
ones when `federation.videos.federate_unlisted`) in a listed state are federated; a video that stops
being federatable (made private) is sent as deleted. The removal of a video sends its Delete
directly, in the removal's transaction, while the rows that name its audience still exist.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import Account, Video, VideoChannel, VideoPrivacy
from vidpub.federation import urls
from vidpub.federation.ap.video import VideoParts, audience, video_to_ap
from vidpub.federation.context import context_for
from vidpub.federation.outbox.delivery import deliver_to_followers
from vidpub.federation.remote_actors import server_actor
from vidpub.services.videos.lookup import is_listed_state, with_owner


def federatable_privacy(config: Config, privacy: int) -> bool:
    if privacy == VideoPrivacy.PUBLIC:
        return True
    return privacy == VideoPrivacy.UNLISTED and bool(config.federation.videos.federate_unlisted)


def can_federate(config: Config, video: Video) -> bool:
    """PeerTube's rule: a local video, with a federated privacy, in a listed state."""
    return video.is_local and federatable_privacy(config, video.privacy) and is_listed_state(video)


async def audience_actor_ids(session: AsyncSession, video: Video) -> list[int]:
    """The actors whose followers have a video: its channel, its account and the instance."""
    channel_actor_id, account_actor_id = (await session.execute(
        sa.select(VideoChannel.actor_id, Account.actor_id).join(Account, Account.id == VideoChannel.account_id)
        .where(VideoChannel.id == video.channel_id))).one()
    instance = await server_actor(session)
    return [channel_actor_id, account_actor_id, instance.id]


def create_activity(config: Config, parts: VideoParts) -> dict:
    video = parts.video
    obj = video_to_ap(config, parts)
    return {"@context": context_for("Video"), "type": "Create", "id": f"{video.url}/activity",
            "actor": video.channel.account.actor.url, "to": obj["to"], "cc": obj["cc"], "object": obj}


def update_activity(config: Config, parts: VideoParts, at: datetime | None = None) -> dict:
    """`at`: when the change happened (default: the video's last update; a views update has its own)."""
    video = parts.video
    obj = video_to_ap(config, parts)
    return {"@context": context_for("Video"), "type": "Update", "id": urls.update_url(video.url, at or video.updated_at),
            "actor": video.channel.account.actor.url, "to": obj["to"], "cc": obj["cc"], "object": obj}


def delete_activity(video: Video) -> dict:
    owner = video.channel.account.actor
    return {"@context": context_for(), "type": "Delete", "id": urls.delete_url(video.url), "actor": owner.url,
            **audience(video, owner.followers_url), "object": video.url}


async def send_create(session: AsyncSession, config: Config, parts: VideoParts) -> int:
    return await deliver_to_followers(session, create_activity(config, parts), signer=parts.video.channel.account.actor,
                                      actor_ids=await audience_actor_ids(session, parts.video))


async def send_update(session: AsyncSession, config: Config, parts: VideoParts, at: datetime | None = None) -> int:
    return await deliver_to_followers(session, update_activity(config, parts, at),
                                      signer=parts.video.channel.account.actor,
                                      actor_ids=await audience_actor_ids(session, parts.video))


async def send_delete(session: AsyncSession, video: Video) -> int:
    """`video` with its owner loaded (`lookup.with_owner()`)."""
    return await deliver_to_followers(session, delete_activity(video), signer=video.channel.account.actor,
                                      actor_ids=await audience_actor_ids(session, video))


async def send_delete_if_federated(session: AsyncSession, config: Config, video_id: int) -> None:
    """Before a local video's rows go (in the same transaction): its Delete to the peers that may
    have it."""
    video = (await session.execute(sa.select(Video).options(with_owner()).where(Video.id == video_id))
             ).unique().scalar_one_or_none()
    if video is not None and video.is_local and federatable_privacy(config, video.privacy):
        await send_delete(session, video)


# -- the jobs (see `federation/video_jobs.py`) ----------------------------------------------------------

async def run_federate_video(db, config: Config, payload: dict) -> dict:
    from vidpub.federation.ap.video import load_video_parts

    async with db.transaction() as session:
        parts = await load_video_parts(session, payload["videoId"])
        if parts is None:
            return {"skipped": "the video is gone"}
        video = parts.video
        was_federated = payload.get("wasFederated")
        if not can_federate(config, video):
            if was_federated:
                return {"sent": "Delete", "deliveries": await send_delete(session, video)}
            return {"skipped": "not federated"}
        if payload.get("isNew") or was_federated is False:
            from vidpub.federation.video_shares import share_by_server_and_channel

            deliveries = await send_create(session, config, parts)
            return {"sent": "Create", "deliveries": deliveries,
                    "shares": await share_by_server_and_channel(session, video)}
        return {"sent": "Update", "deliveries": await send_update(session, config, parts)}


async def run_views_update(db, config: Config, payload: dict) -> dict:
    """The aggregated view count of a local video, as an Update of the video."""
    from vidpub.federation.ap.video import load_video_parts

    async with db.transaction() as session:
        parts = await load_video_parts(session, payload["videoId"])
        if parts is None or not can_federate(config, parts.video):
            return {"skipped": "not federated"}
        deliveries = await send_update(session, config, parts, at=utcnow())
        return {"sent": "Update", "views": parts.video.views, "deliveries": deliveries}
