"""`Announce` of a video (a PeerTube share: a channel or an instance re-publishing a video to its
followers): the video is fetched from its origin and stored when unknown, so followers of the sharer
see it. Vidpub does not keep shares as rows yet (no `video_share` table): they are not counted and
`Undo Announce` has nothing to remove."""

from __future__ import annotations

import logging

from vidpub.federation.ap.common import optional_id
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.remote_videos import RemoteVideoError, video_from_url

log = logging.getLogger("vidpub.federation.inbox")


@handles("Announce")
async def process_announce(ctx: InboxContext, activity: dict) -> None:
    url = optional_id(activity.get("object"))
    if url is None:
        log.info("Announce without an object from %s: dropped", ctx.signer.url)
        return
    try:
        await video_from_url(ctx.session, ctx.config, url)
    except RemoteVideoError as error:
        log.info("Announce of %s by %s dropped: %s", url[:200], ctx.signer.url, error)
