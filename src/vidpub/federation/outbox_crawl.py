"""Crawling a followed actor's outbox once the follow is accepted, as PeerTube does (its
`activitypub-http-fetcher` job): the videos an instance or a channel published (`Create`) or shared
(`Announce`) before we followed it are fetched and stored, so that a new follow shows what the actor
already has, not only what comes next.

The outbox is read page by page (`first`, then `next`), on the outbox's own host only, up to
PeerTube's 2,000 pages. Its items come unsigned, so no video is taken from them: each is read from
its own id at its origin (`video_from_url`), in a transaction of its own, with no write lock held
while the network answers. A share is recorded when the outbox's owner made it. Videos already
known cost a lookup; one that cannot be read is skipped, and the crawl goes on.
"""

from __future__ import annotations

import logging
from functools import partial

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Actor
from vidpub.federation.ap.common import is_http_url, optional_id, same_host
from vidpub.federation.collection_pages import collection_items
from vidpub.federation.fetch import fetch_json
from vidpub.federation.fetch_first import transaction_fetching_first
from vidpub.federation.remote_actors import server_actor
from vidpub.federation.remote_videos import RemoteVideoError, video_from_url
from vidpub.federation.video_shares import record_share
from vidpub.jobs.queue import enqueue

log = logging.getLogger("vidpub.federation.outbox_crawl")

FETCH_OUTBOX_JOB = "activitypub-http-fetcher"  # PeerTube's job type, payload {uri, type: "activity"}
MAX_PAGES = 2000


def enqueue_outbox_crawl(session: AsyncSession, actor: Actor) -> None:
    if actor.outbox_url and not actor.is_local:
        enqueue(session, FETCH_OUTBOX_JOB, {"uri": actor.outbox_url, "type": "activity"})


async def _activities(config, outbox_url: str, signer: Actor) -> list[dict]:
    """The outbox's items that are activities (dicts), from its pages on its own host."""
    items = await collection_items(partial(fetch_json, config, signer=signer), outbox_url, outbox_url,
                                   max_pages=MAX_PAGES)
    return [item for item in items if isinstance(item, dict)]


def _video_url(activity: dict) -> str | None:
    """The video a Create or an Announce is about (a Create of anything else: None)."""
    kind, target = activity.get("type"), activity.get("object")
    if kind == "Create" and not (isinstance(target, dict) and target.get("type") == "Video"):
        return None
    if kind not in ("Create", "Announce"):
        return None
    url = optional_id(target)
    return url if is_http_url(url) else None


async def run_outbox_crawl(runtime, payload: dict) -> dict:
    config, outbox_url = runtime.config, payload.get("uri")
    async with runtime.db.session(write=False) as session:
        owner = (await session.execute(sa.select(Actor).where(Actor.outbox_url == outbox_url))).scalars().first()
        signer = await server_actor(session)
    if owner is None or owner.is_local:
        return {"videos": 0, "reason": "no remote actor has this outbox"}
    stored, skipped = 0, 0
    for activity in await _activities(config, outbox_url, signer):
        video_url = _video_url(activity)
        if video_url is None:
            continue
        share_id = activity.get("id")
        shared_by_owner = (activity.get("type") == "Announce" and optional_id(activity.get("actor")) == owner.url
                           and isinstance(share_id, str) and same_host(share_id, owner.url))

        async def store(session: AsyncSession, video_url=video_url, share_id=share_id,
                        shared_by_owner=shared_by_owner) -> None:
            video = await video_from_url(session, config, video_url)
            if shared_by_owner:
                await record_share(session, owner.id, video.id, share_id)

        try:
            await transaction_fetching_first(runtime.db, config, store)
            stored += 1
        except RemoteVideoError as error:
            log.info("video %s of the outbox %s skipped: %s", video_url[:200], outbox_url[:200], error)
            skipped += 1
    return {"videos": stored, "skipped": skipped}
