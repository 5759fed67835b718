"""An inbox POST: verify the sender, drop what the instance blocks, queue each activity.

The answer (204) comes before processing, as PeerTube's: the `activitypub-inbox` job runs the
handlers. A body may be one activity or a (Ordered)Collection(Page) of them.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Actor
from vidpub.errors import ProblemError, bad_request
from vidpub.federation.ap.common import optional_id
from vidpub.federation.inbox.verification import activity_actor, http_signer, is_blocked
from vidpub.federation.outbox.send_follow import send_reject
from vidpub.federation.signatures import SignatureError
from vidpub.jobs.queue import enqueue

log = logging.getLogger("vidpub.federation.inbox")

INBOX_JOB = "activitypub-inbox"
MAX_BODY_BYTES = 5 * 1024 * 1024
MAX_ACTIVITIES = 100  # per collection body
COLLECTION_TYPES = {"Collection": "items", "CollectionPage": "items", "OrderedCollection": "orderedItems",
                    "OrderedCollectionPage": "orderedItems"}


def parse_body(body: bytes) -> list[dict]:
    if len(body) > MAX_BODY_BYTES:
        raise ProblemError(413, "The activity is too large")
    try:
        document = json.loads(body)
    except ValueError:
        raise bad_request("The body is not JSON") from None
    if not isinstance(document, dict) or not isinstance(document.get("type"), str):
        raise bad_request("The body is not an activity")
    items_key = COLLECTION_TYPES.get(document["type"])
    if items_key is None:
        return [document]
    items = document.get(items_key)
    if not isinstance(items, list):
        raise bad_request("The collection has no items")
    if len(items) > MAX_ACTIVITIES:
        raise bad_request(f"A collection may hold at most {MAX_ACTIVITIES} activities")
    return [item for item in items if isinstance(item, dict)]


async def _reject_blocked_follow(session: AsyncSession, activity: dict, follower: Actor) -> None:
    """A blocked actor's Follow of one of ours is answered with a Reject, as PeerTube does, so that its
    server does not wait forever on a pending follow."""
    if activity.get("type") != "Follow" or not isinstance(activity.get("id"), str):
        return
    target = (await session.execute(sa.select(Actor).where(
        Actor.url == optional_id(activity.get("object")), Actor.server_id.is_(None)))).scalar_one_or_none()
    if target is not None:
        await send_reject(session, activity["id"], follower, target)


async def receive(session: AsyncSession, config: Config, *, method: str, target: str, headers: Mapping[str, str],
                  body: bytes, inbox_actor_id: int | None) -> int:
    """Verify and queue; returns how many activities were queued. Raises ProblemError (403 for
    signature problems)."""
    activities = parse_body(body)
    try:
        signer = await http_signer(session, config, method=method, target=target, headers=headers, body=body)
        actors = [await activity_actor(session, config, activity, signer) for activity in activities]
    except SignatureError as error:
        log.info("inbox: refused a request: %s", error)
        raise ProblemError(403, f"Invalid signature: {error}", "invalid_signature") from None
    queued = 0
    for activity, actor in zip(activities, actors, strict=True):
        if await is_blocked(session, signer) or await is_blocked(session, actor):
            log.info("inbox: %s from %s ignored (blocked)", activity.get("type"), actor.url)
            await _reject_blocked_follow(session, activity, actor)
            continue
        enqueue(session, INBOX_JOB, {"activity": activity, "actor_id": actor.id, "inbox_actor_id": inbox_actor_id})
        queued += 1
    await session.commit()
    return queued
