"""Delivery of activities: one durable job per distinct inbox, enqueued in the caller's transaction.

The activity is LD-signed by its actor here (so that receivers can forward it); the job signs the
HTTP request at send time, retries with exponential backoff on network errors and 5xx answers, and
moves the follow score of the followers behind that inbox (±10, PeerTube's health score). Each inbox
has its own job: a dead server only delays its own deliveries.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Actor, ActorFollow
from vidpub.db.models.follows import FOLLOW_SCORE_MAX
from vidpub.federation import ld_signatures
from vidpub.federation.audience import follower_inboxes
from vidpub.federation.fetch import FetchError, post_activity
from vidpub.federation.keys import ensure_keys
from vidpub.federation.remote_actors import server_actor
from vidpub.jobs.queue import enqueue

log = logging.getLogger("vidpub.federation.delivery")

DELIVERY_JOB = "activitypub-http-unicast"
SCORE_STEP = 10


class DeliveryFailed(Exception):
    """Worth retrying: a network error or a 5xx/429 answer."""


def _own(inbox: str, signer: Actor) -> bool:
    return urlsplit(inbox).netloc.lower() == urlsplit(signer.url).netloc.lower()


async def deliver(session: AsyncSession, activity: dict, *, signer: Actor, inboxes: Iterable[str],
                  ld_sign: bool = True, http_signer: Actor | None = None) -> int:
    """Queue `activity` for every distinct remote inbox; returns how many jobs were queued.

    `ld_sign=False` forwards an activity as received (its own LD signature kept); `http_signer`
    (default `signer`) is the local actor whose key signs the HTTP requests."""
    http_signer = http_signer or signer
    targets = sorted({inbox for inbox in inboxes if inbox and not _own(inbox, http_signer)})
    if not targets:
        return 0
    await ensure_keys(session, http_signer)
    if ld_sign:
        await ensure_keys(session, signer)
        activity = ld_signatures.sign(activity, creator=signer.url, private_key_pem=signer.private_key)
    for inbox in targets:
        enqueue(session, DELIVERY_JOB, {"inbox": inbox, "signer_id": http_signer.id, "activity": activity})
    return len(targets)


async def deliver_to_followers(session: AsyncSession, activity: dict, *, signer: Actor, actor_ids: Iterable[int],
                               exclude: Iterable[str] = ()) -> int:
    """Queue `activity` for the remote followers of `actor_ids` (e.g. the channel, the account and
    the server actor of a new video)."""
    inboxes = await follower_inboxes(session, actor_ids, exclude=set(exclude))
    return await deliver(session, activity, signer=signer, inboxes=inboxes)


async def forward(session: AsyncSession, activity: dict, *, actor_ids: Iterable[int],
                  exclude: Iterable[str] = ()) -> int:
    """Forward a received activity unchanged (its LD signature kept) to the remote followers of
    `actor_ids`, the HTTP requests signed by the server actor (PeerTube's forwarding)."""
    if not ld_signatures.signature_creator(activity):
        log.info("not forwarding %s: it has no LD signature", activity.get("id"))
        return 0
    inboxes = await follower_inboxes(session, actor_ids, exclude=set(exclude))
    instance = await server_actor(session)
    return await deliver(session, activity, signer=instance, inboxes=inboxes, ld_sign=False)


async def _move_scores(session: AsyncSession, inbox: str, step: int) -> None:
    followers = sa.select(Actor.id).where(sa.or_(Actor.inbox_url == inbox, Actor.shared_inbox_url == inbox))
    await session.execute(
        sa.update(ActorFollow).where(ActorFollow.actor_id.in_(followers))
        .values(score=sa.func.max(0, sa.func.min(FOLLOW_SCORE_MAX, ActorFollow.score + step))
                if session.bind.dialect.name == "sqlite"
                else sa.func.greatest(0, sa.func.least(FOLLOW_SCORE_MAX, ActorFollow.score + step)))
        .execution_options(synchronize_session=False))


async def run_delivery(db, config: Config, payload: dict) -> dict:
    """The job: POST the activity to the inbox, signed by the signer's key."""
    inbox = payload["inbox"]
    async with db.session(write=False) as session:
        signer = await session.get(Actor, payload["signer_id"])
    if signer is None or not signer.private_key:
        return {"delivered": False, "reason": "the signing actor is gone"}
    body = json.dumps(payload["activity"], separators=(",", ":")).encode()
    try:
        status = await post_activity(config, inbox, body, signer_url=signer.url, private_key_pem=signer.private_key)
    except FetchError as error:
        status, reason = None, str(error)
    else:
        reason = f"HTTP {status}"
    delivered = status is not None and 200 <= status < 300
    async with db.transaction() as session:
        await _move_scores(session, inbox, SCORE_STEP if delivered else -SCORE_STEP)
    if delivered:
        return {"delivered": True, "status": status}
    if status is None or status >= 500 or status in (408, 429):
        raise DeliveryFailed(f"delivery to {inbox} failed: {reason}")
    return {"delivered": False, "status": status}  # refused: sending it again would not help
