"""`Announce` of a video (a PeerTube share: a channel or an instance re-publishing a video to its
followers) and its Undo. The video is fetched from its origin and stored when unknown, so followers
of the sharer see it; the share is recorded (counted in the video's `announces` collection). Shares
of a local video are forwarded to its audience, as PeerTube does."""

from __future__ import annotations

import logging

from vidpub.db.models import Video
from vidpub.federation.ap.common import optional_id
from vidpub.federation.inbox.process_rate import forward_to_audience
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.remote_videos import RemoteVideoError, find_by_url, video_from_url
from vidpub.federation.video_shares import record_share, remove_share

log = logging.getLogger("vidpub.federation.inbox")


@handles("Announce")
async def process_announce(ctx: InboxContext, activity: dict) -> None:
    url = optional_id(activity.get("object"))
    share_id = activity.get("id")
    if url is None or not isinstance(share_id, str):
        log.info("Announce without an object or an id from %s: dropped", ctx.signer.url)
        return
    try:
        video = await video_from_url(ctx.session, ctx.config, url)
    except RemoteVideoError as error:
        log.info("Announce of %s by %s dropped: %s", url[:200], ctx.signer.url, error)
        return
    if await record_share(ctx.session, ctx.signer.id, video.id, share_id):
        await forward_to_audience(ctx, activity, video)


@handles("Undo", "Announce")
async def process_undo_announce(ctx: InboxContext, activity: dict) -> None:
    inner = activity["object"]
    if optional_id(inner.get("actor")) != ctx.signer.url:
        log.info("Undo of someone else's Announce by %s: dropped", ctx.signer.url)
        return
    video_url = optional_id(inner.get("object"))
    video = await find_by_url(ctx.session, video_url) if video_url else None
    share = await remove_share(ctx.session, ctx.signer.id, url=optional_id(inner),
                               video_id=video.id if video is not None else None)
    if share is not None:
        video = video or await ctx.session.get(Video, share.video_id)
        if video is not None:
            await forward_to_audience(ctx, activity, video)
