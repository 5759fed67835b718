"""`View` of a local video sent by a peer whose user watched its copy (peertube-internals §5.7): one
more view here; the video's followers get the new total in the next aggregated Update, not one
activity per view. Views of remote videos (forwarded by their origin) are not counted here: their
counts come with the origin's Updates. Live viewer counters (`expires`) are not kept by Vidpub."""

from __future__ import annotations

import logging

from vidpub.federation.ap.common import optional_id
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.remote_videos import find_by_url
from vidpub.federation.video_jobs import views_changed
from vidpub.services.videos.views import count_view

log = logging.getLogger("vidpub.federation.inbox")


@handles("View")
async def process_view(ctx: InboxContext, activity: dict) -> None:
    video_url = optional_id(activity.get("object"))
    video = await find_by_url(ctx.session, video_url) if video_url else None
    if video is None or video.remote:
        return
    if activity.get("expires"):  # a live viewer counter (protocol v2), not a view
        return
    await count_view(ctx.session, video.id)
    await views_changed(ctx.session, ctx.config, video.id)
