"""`Delete`: its object is usually a bare URL, so this one handler finds what it names.

The sender deleting itself is an actor deletion (its account or channel goes, with everything it
published: the database cascades, counters are recounted). Otherwise every object kind registers a
`@deleter` (comments, playlists, videos...) that recognises the URL and deletes when the sender may.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import sqlalchemy as sa

from vidpub.db.models import Account, Actor, Video, VideoComment
from vidpub.federation.ap.common import InvalidObject, object_id
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.services import follows
from vidpub.services.comments.writing import recount_comments

log = logging.getLogger("vidpub.federation.inbox")

Deleter = Callable[[InboxContext, str, dict], Awaitable[bool]]
_DELETERS: list[Deleter] = []


def deleter(function: Deleter) -> Deleter:
    """Register `async def f(ctx, url, activity) -> bool`: True when `url` was its kind of object
    (deleted, or refused because the sender may not)."""
    _DELETERS.append(function)
    return function


async def delete_actor(ctx: InboxContext, actor: Actor) -> None:
    """A remote actor deleted itself: its rows go, and the counters that named them are recounted."""
    session = ctx.session
    commented_videos = set((await session.execute(
        sa.select(VideoComment.video_id).join(Account, Account.id == VideoComment.account_id)
        .where(Account.actor_id == actor.id).distinct())).scalars())
    await follows.remove_follows_of(session, [actor.id])
    await session.execute(sa.delete(Actor).where(Actor.id == actor.id).execution_options(synchronize_session=False))
    remaining = (await session.execute(sa.select(Video.id).where(Video.id.in_(commented_videos)))).scalars()
    for video_id in remaining:
        await recount_comments(session, video_id)
    session.expunge(actor)


@handles("Delete", None)
async def process_delete(ctx: InboxContext, activity: dict) -> None:
    try:
        url = object_id(activity.get("object"))
    except InvalidObject:
        log.info("Delete without an object id: dropped")
        return
    if url == ctx.signer.url:
        if not ctx.signer.is_local:
            await delete_actor(ctx, ctx.signer)
        return
    for function in _DELETERS:
        if await function(ctx, url, activity):
            return
    log.info("Delete of %s: nothing of ours by that id", url)


@handles("Delete", "Tombstone")
async def process_delete_tombstone(ctx: InboxContext, activity: dict) -> None:
    await process_delete(ctx, activity)
