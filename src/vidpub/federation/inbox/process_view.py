"""`View` received (peertube-internals §5.7).

- Without `expires`, a view of a local video sent by a peer whose user watched its copy: one more
  view here; the video's followers get the new total in the next aggregated Update, not one activity
  per view. Views of remote videos (forwarded by their origin) are not counted here: their counts
  come with the origin's Updates.
- With `expires`, a viewer (PeerTube's viewer counters, protocol v2; `services/videos/viewer_counters.py`):
  of a local video, one more current viewer until then, whose followers hear the new total; of a
  remote video, its origin's count of all its viewers (`result`), or one viewer forwarded to us.
"""

from __future__ import annotations

import logging

from vidpub.federation.ap.common import InvalidObject, optional_id, parse_date, same_host
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.remote_videos import find_by_url
from vidpub.federation.video_jobs import viewers_changed, views_changed
from vidpub.services.videos import viewer_counters
from vidpub.services.videos.views import count_view

log = logging.getLogger("vidpub.federation.inbox")


@handles("View")
async def process_view(ctx: InboxContext, activity: dict) -> None:
    video_url = optional_id(activity.get("object"))
    video = await find_by_url(ctx.session, video_url) if video_url else None
    if video is None:
        return
    if activity.get("expires") is not None:
        await _process_viewer(ctx, activity, video)
        return
    if video.remote:
        return
    await count_view(ctx.session, video.id)
    await views_changed(ctx.session, ctx.config, video.id)


def _origin_count(activity: dict) -> int | None:
    result = activity.get("result")
    if not isinstance(result, dict) or result.get("type") != "InteractionCounter" \
            or result.get("interactionType") != "WatchAction":
        return None
    count = result.get("userInteractionCount")
    if isinstance(count, str) and count.strip().isdigit():
        count = int(count)
    return count if isinstance(count, int) and not isinstance(count, bool) and count >= 0 else None


async def _process_viewer(ctx: InboxContext, activity: dict, video) -> None:
    activity_id = activity.get("id")
    # the View's id is built from its actor's URL: a peer speaks for its own viewers only
    if not isinstance(activity_id, str) or not same_host(activity_id, ctx.signer.url):
        log.info("viewer %r from %s ignored: not an id of its host", activity_id, ctx.signer.url)
        return
    try:
        expires = parse_date(activity.get("expires"), "expires")
    except InvalidObject:
        log.info("viewer %s ignored: unreadable expires", activity_id)
        return
    # only the origin of a video counts all its viewers; for ours, a peer's View is one viewer
    origin_count = _origin_count(activity) if video.remote and same_host(ctx.signer.url, video.url) else None
    added = await viewer_counters.add_remote_viewer(ctx.session, video.id, activity_id, expires, origin_count)
    if added and not video.remote:
        await viewers_changed(ctx.session, ctx.config, video)
