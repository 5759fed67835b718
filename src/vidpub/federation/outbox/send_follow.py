"""Follow, Accept, Reject and Undo(Follow), sent to the one actor concerned."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.base import utcnow
from vidpub.db.models import Actor, ActorFollow
from vidpub.federation import urls
from vidpub.federation.context import with_context
from vidpub.federation.outbox.delivery import deliver


def follow_activity(follow: ActorFollow, follower: Actor, target: Actor) -> dict:
    return {"type": "Follow", "id": follow.url or urls.follow_url(follower.url, target.id),
            "actor": follower.url, "object": target.url}


async def send_follow(session: AsyncSession, follow: ActorFollow, follower: Actor, target: Actor) -> None:
    await deliver(session, with_context(follow_activity(follow, follower, target)), signer=follower,
                  inboxes=[target.inbox_url])


async def send_accept(session: AsyncSession, follow: ActorFollow, follower: Actor, target: Actor) -> None:
    """`target` accepts `follower`'s follow."""
    activity = {"type": "Accept", "id": urls.accept_url(target.url, follow.id), "actor": target.url,
                "object": follow_activity(follow, follower, target)}
    await deliver(session, with_context(activity), signer=target, inboxes=[follower.inbox_url])


async def send_reject(session: AsyncSession, follow_id: str, follower: Actor, target: Actor) -> None:
    activity = {"type": "Reject", "id": urls.reject_url(target.url, utcnow()), "actor": target.url,
                "object": {"type": "Follow", "id": follow_id, "actor": follower.url, "object": target.url}}
    await deliver(session, with_context(activity), signer=target, inboxes=[follower.inbox_url])


async def send_undo_follow(session: AsyncSession, follow: ActorFollow, follower: Actor, target: Actor) -> None:
    inner = follow_activity(follow, follower, target)
    activity = {"type": "Undo", "id": urls.undo_url(inner["id"]), "actor": follower.url, "object": inner}
    await deliver(session, with_context(activity), signer=follower, inboxes=[target.inbox_url])
