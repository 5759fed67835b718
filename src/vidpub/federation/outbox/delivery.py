"""Delivery of activities, as durable jobs enqueued in the caller's transaction.

The activity is LD-signed by its actor here (so that receivers can forward it). One inbox: one
`activitypub-http-unicast` job. Several: one `activitypub-http-broadcast-parallel` job (PeerTube's
name) that posts to all of them, 30 at a time, each request signed at send time; every inbox that
failed in a way worth retrying (network error, 5xx, 408, 429) gets its own unicast job, which retries
with exponential backoff — a dead server delays only its own deliveries, and a fan-out to 200 servers
costs one job claim instead of 200. Each result moves the follow score of the followers behind that
inbox (±10, PeerTube's health score), buffered in memory and written in batches as PeerTube does.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
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
BROADCAST_JOB = "activitypub-http-broadcast-parallel"
BROADCAST_PARALLELISM = 30
SCORE_STEP = 10
SCORE_FLUSH_INTERVAL_S = 10.0


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
    if len(targets) == 1:
        enqueue(session, DELIVERY_JOB, {"inbox": targets[0], "signer_id": http_signer.id, "activity": activity})
    else:
        enqueue(session, BROADCAST_JOB, {"inboxes": targets, "signer_id": http_signer.id, "activity": activity})
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


class _ScoreBuffer:
    """Follow score moves per inbox, written together (one transaction per batch)."""

    def __init__(self):
        self.pending: dict[str, int] = {}
        self.flushed_at = time.monotonic()

    def add(self, inbox: str, delivered: bool) -> None:
        self.pending[inbox] = self.pending.get(inbox, 0) + (SCORE_STEP if delivered else -SCORE_STEP)

    async def flush(self, db, *, force: bool = False) -> None:
        if not self.pending or (not force and time.monotonic() - self.flushed_at < SCORE_FLUSH_INTERVAL_S):
            return
        batch, self.pending = self.pending, {}
        self.flushed_at = time.monotonic()
        async with db.transaction() as session:
            for inbox, step in batch.items():
                await _move_scores(session, inbox, step)


scores = _ScoreBuffer()


async def _move_scores(session: AsyncSession, inbox: str, step: int) -> None:
    followers = sa.select(Actor.id).where(sa.or_(Actor.inbox_url == inbox, Actor.shared_inbox_url == inbox))
    bounded = (sa.func.max(0, sa.func.min(FOLLOW_SCORE_MAX, ActorFollow.score + step))
               if session.bind.dialect.name == "sqlite"
               else sa.func.greatest(0, sa.func.least(FOLLOW_SCORE_MAX, ActorFollow.score + step)))
    await session.execute(sa.update(ActorFollow).where(ActorFollow.actor_id.in_(followers)).values(score=bounded)
                          .execution_options(synchronize_session=False))


async def _load_signer(db, signer_id: int) -> Actor | None:
    async with db.session(write=False) as session:
        signer = await session.get(Actor, signer_id)
    return signer if signer is not None and signer.private_key else None


async def _post(config: Config, inbox: str, body: bytes, signer: Actor) -> tuple[int | None, str]:
    try:
        status = await post_activity(config, inbox, body, signer_url=signer.url, private_key_pem=signer.private_key)
    except FetchError as error:
        return None, str(error)
    return status, f"HTTP {status}"


def _worth_retrying(status: int | None) -> bool:
    return status is None or status >= 500 or status in (408, 429)


async def run_delivery(db, config: Config, payload: dict) -> dict:
    """The unicast job: POST the activity to one inbox, signed by the signer's key."""
    inbox = payload["inbox"]
    signer = await _load_signer(db, payload["signer_id"])
    if signer is None:
        return {"delivered": False, "reason": "the signing actor is gone"}
    body = json.dumps(payload["activity"], separators=(",", ":")).encode()
    status, reason = await _post(config, inbox, body, signer)
    delivered = status is not None and 200 <= status < 300
    scores.add(inbox, delivered)
    await scores.flush(db)
    if delivered:
        return {"delivered": True, "status": status}
    if _worth_retrying(status):
        raise DeliveryFailed(f"delivery to {inbox} failed: {reason}")
    return {"delivered": False, "status": status}  # refused: sending it again would not help


async def run_broadcast(db, config: Config, payload: dict) -> dict:
    """The broadcast job: POST to every inbox in parallel; failed ones get a unicast job each."""
    signer = await _load_signer(db, payload["signer_id"])
    if signer is None:
        return {"delivered": 0, "reason": "the signing actor is gone"}
    body = json.dumps(payload["activity"], separators=(",", ":")).encode()
    gate = asyncio.Semaphore(BROADCAST_PARALLELISM)

    async def send(inbox: str) -> tuple[str, int | None]:
        async with gate:
            return inbox, (await _post(config, inbox, body, signer))[0]

    results = await asyncio.gather(*(send(inbox) for inbox in payload["inboxes"]))
    retry = []
    for inbox, status in results:
        delivered = status is not None and 200 <= status < 300
        scores.add(inbox, delivered)
        if not delivered and _worth_retrying(status):
            retry.append(inbox)
    if retry:
        backoff = config.duration("jobs.retry_backoff")
        async with db.transaction() as session:
            for inbox in retry:
                enqueue(session, DELIVERY_JOB, {"inbox": inbox, "signer_id": signer.id,
                                                "activity": payload["activity"]}, delay=backoff)
    await scores.flush(db, force=True)
    delivered = sum(1 for _, status in results if status is not None and 200 <= status < 300)
    return {"delivered": delivered, "retried": len(retry), "refused": len(results) - delivered - len(retry)}
