"""Like / Dislike of a video by a local account, and their Undo (PeerTube's `sendVideoRateChange`):
for a remote video they go to its origin (which counts them and forwards them to its followers); for
a local video, to the followers of the video's channel, account and instance, so their copies count
the same. Sent in the caller's transaction, signed by the rating account."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Account, Video, VideoChannel
from vidpub.federation import urls
from vidpub.federation.context import context_for
from vidpub.federation.outbox.delivery import deliver, deliver_to_followers
from vidpub.federation.outbox.send_video import audience_actor_ids

LIKE, DISLIKE, NONE = "like", "dislike", "none"
_TYPES = {LIKE: "Like", DISLIKE: "Dislike"}


def rate_activity(actor_url: str, video: Video, rating: str) -> dict:
    build = urls.like_url if rating == LIKE else urls.dislike_url
    return {"@context": context_for(), "type": _TYPES[rating], "id": build(actor_url, video.id),
            "actor": actor_url, "object": video.url}


def undo_activity(inner: dict) -> dict:
    return {"@context": context_for(), "type": "Undo", "id": urls.undo_url(inner["id"]), "actor": inner["actor"],
            "object": {key: value for key, value in inner.items() if key != "@context"}}


async def send_video_activity(session: AsyncSession, activity: dict, account: Account, video: Video) -> int:
    """To the origin of a remote video, or to the audience of a local one."""
    signer = account.actor
    if video.remote:
        target = (await session.get(VideoChannel, video.channel_id)).actor
        return await deliver(session, activity, signer=signer, inboxes=[target.shared_inbox_url or target.inbox_url])
    return await deliver_to_followers(session, activity, signer=signer,
                                      actor_ids=await audience_actor_ids(session, video))


async def send_rate_change(session: AsyncSession, config: Config, account: Account, video: Video,
                           previous: str, rating: str) -> None:
    actor_url = account.actor.url
    if previous in _TYPES:
        await send_video_activity(session, undo_activity(rate_activity(actor_url, video, previous)), account, video)
    if rating in _TYPES:
        await send_video_activity(session, rate_activity(actor_url, video, rating), account, video)
