"""Create / Update / Delete of remote videos (peertube-internals §5.3).

A `Video` is accepted from an actor of its own host only (the sender cannot publish for another
server). Create stores a video not known yet, and leaves a known one as it is, as PeerTube does
(`getOrCreateAPVideo` without refresh): the same video may come first from an outbox crawl or a share,
and storing it again would replace its file rows under whatever uses them. Update creates or
refreshes the stored copy (PeerTube also creates a video it first hears of through an Update). A Delete removes a remote video when it comes from the video's
server; it never touches a local video.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.models import VideoChannel
from vidpub.federation.ap.common import host_of, same_host
from vidpub.federation.fetch import FetchError
from vidpub.federation.inbox.process_delete import deleter
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.remote_videos import (
    RemoteVideoError,
    delete_remote_video,
    find_by_url,
    video_from_object,
)

log = logging.getLogger("vidpub.federation.inbox")


async def _video_object(ctx: InboxContext, activity: dict) -> dict | None:
    obj = activity.get("object")
    if isinstance(obj, str):
        try:
            obj = await ctx.fetch_object(obj)
        except FetchError as error:
            log.info("video %s cannot be fetched: %s", obj[:200], error)
            return None
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        return None
    if not same_host(obj["id"], ctx.signer.url):
        log.info("%s sent a video of another host (%s): dropped", ctx.signer.url, obj["id"][:200])
        return None
    return obj


async def _store(ctx: InboxContext, activity: dict, *, update: bool) -> None:
    obj = await _video_object(ctx, activity)
    if obj is None:
        return
    if not update and await find_by_url(ctx.session, obj["id"]) is not None:
        log.info("Create of video %s, already known: nothing to do", obj["id"][:200])
        return
    try:
        video, created = await video_from_object(ctx.session, ctx.config, obj)
    except RemoteVideoError as error:
        log.info("%s of video %s from %s dropped: %s", activity.get("type"), obj["id"][:200], ctx.signer.url, error)
        return
    log.info("remote video %s %s", video.url, "created" if created else "updated")


@handles("Create", "Video")
async def process_create_video(ctx: InboxContext, activity: dict) -> None:
    await _store(ctx, activity, update=False)


@handles("Update", "Video")
async def process_update_video(ctx: InboxContext, activity: dict) -> None:
    await _store(ctx, activity, update=True)


@deleter
async def process_delete_video(ctx: InboxContext, url: str, activity: dict) -> bool:
    video = await find_by_url(ctx.session, url)
    if video is None:
        return False
    if video.is_local:
        log.info("%s tried to delete local video %s: refused", ctx.signer.url, url)
        return True
    channel_host = (await ctx.session.execute(
        sa.select(VideoChannel).where(VideoChannel.id == video.channel_id))).scalar_one().actor.url
    if host_of(channel_host) != host_of(ctx.signer.url):
        log.info("%s may not delete %s: refused", ctx.signer.url, url)
        return True
    await delete_remote_video(ctx.session, ctx.config, video)
    log.info("remote video %s deleted", url)
    return True
