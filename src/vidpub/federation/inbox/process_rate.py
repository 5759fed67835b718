"""Like / Dislike of a video by a remote account, and their Undo (peertube-internals §5.3).

The rate is stored as the account's `AccountVideoRate` (its ActivityPub id kept) and the video's
counters move with it; a second Like of the same video changes nothing. A rate of a local video is
forwarded to the video's audience (the followers of its channel, account and instance, the sender's
server excepted), so their copies count it too — PeerTube's forwarding of video-related activities.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.models import Account, AccountVideoRate, Video
from vidpub.federation.ap.common import optional_id
from vidpub.federation.audience import actor_inbox_of
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.outbox.delivery import forward
from vidpub.federation.outbox.send_video import audience_actor_ids
from vidpub.federation.remote_videos import RemoteVideoError, find_by_url, video_from_url
from vidpub.services.videos.rates import DISLIKE, LIKE, NONE, apply_rate

log = logging.getLogger("vidpub.federation.inbox")
_RATINGS = {"Like": LIKE, "Dislike": DISLIKE}


async def _signer_account(ctx: InboxContext) -> Account | None:
    return (await ctx.session.execute(sa.select(Account).where(Account.actor_id == ctx.signer.id))).scalar_one_or_none()


async def forward_to_audience(ctx: InboxContext, activity: dict, video) -> None:
    """Forward an activity about a local video to the peers that have the video."""
    if video.remote:
        return
    sender_inbox = await actor_inbox_of(ctx.session, ctx.signer.url)
    await forward(ctx.session, activity, actor_ids=await audience_actor_ids(ctx.session, video),
                  exclude=[sender_inbox] if sender_inbox else [])


async def _rate(ctx: InboxContext, activity: dict, rating: str) -> None:
    video_url = optional_id(activity.get("object"))
    rate_id = activity.get("id")
    account = await _signer_account(ctx)
    if video_url is None or account is None or not isinstance(rate_id, str):
        log.info("%s from %s without a video or an account: dropped", activity.get("type"), ctx.signer.url)
        return
    try:
        video = await video_from_url(ctx.session, ctx.config, video_url)
    except RemoteVideoError as error:
        log.info("%s of unknown video %s: dropped (%s)", activity.get("type"), video_url[:200], error)
        return
    previous = await apply_rate(ctx.session, account.id, video.id, rating, rate_id[:2000])
    if previous != rating:
        await forward_to_audience(ctx, activity, video)


@handles("Like")
async def process_like(ctx: InboxContext, activity: dict) -> None:
    await _rate(ctx, activity, LIKE)


@handles("Dislike")
async def process_dislike(ctx: InboxContext, activity: dict) -> None:
    await _rate(ctx, activity, DISLIKE)


async def _undo_rate(ctx: InboxContext, activity: dict, rating: str) -> None:
    inner = activity["object"]
    account = await _signer_account(ctx)
    if account is None or optional_id(inner.get("actor")) != ctx.signer.url:
        log.info("Undo of someone else's %s by %s: dropped", inner.get("type"), ctx.signer.url)
        return
    query = sa.select(AccountVideoRate).where(AccountVideoRate.account_id == account.id,
                                              AccountVideoRate.type == rating)
    rate = None
    if isinstance(inner.get("id"), str):
        rate = (await ctx.session.execute(query.where(AccountVideoRate.url == inner["id"]))).scalar_one_or_none()
    video_url = optional_id(inner.get("object"))
    if rate is None and video_url:
        video = await find_by_url(ctx.session, video_url)
        if video is not None:
            rate = (await ctx.session.execute(query.where(AccountVideoRate.video_id == video.id))).scalar_one_or_none()
    if rate is None:
        return
    video_id = rate.video_id
    await apply_rate(ctx.session, account.id, video_id, NONE, None)
    video = await ctx.session.get(Video, video_id)
    if video is not None:
        await forward_to_audience(ctx, activity, video)


@handles("Undo", "Like")
async def process_undo_like(ctx: InboxContext, activity: dict) -> None:
    await _undo_rate(ctx, activity, LIKE)


@handles("Undo", "Dislike")
async def process_undo_dislike(ctx: InboxContext, activity: dict) -> None:
    await _undo_rate(ctx, activity, DISLIKE)
