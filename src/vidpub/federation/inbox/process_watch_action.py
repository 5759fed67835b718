"""`Create WatchAction` received: a viewing session of one of our videos on another instance, kept
with our own viewers' sessions so that the video's statistics count it (PeerTube's
`processCreateWatchAction`). Sessions of videos that are not ours, and repeated ones, are ignored."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.models import LocalVideoViewer, LocalVideoViewerWatchSection
from vidpub.federation.ap.common import InvalidObject, same_host
from vidpub.federation.ap.watch_action import watch_action_from_ap
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.remote_videos import find_by_url

log = logging.getLogger("vidpub.federation.inbox")


@handles("Create", "WatchAction")
async def process_create_watch_action(ctx: InboxContext, activity: dict) -> None:
    try:
        fields = watch_action_from_ap(activity.get("object"))
    except InvalidObject as error:
        log.info("WatchAction from %s ignored: %s", ctx.signer.url, error)
        return
    if not same_host(fields.id, ctx.signer.url):
        log.info("WatchAction %s ignored: not a session of its sender's instance", fields.id)
        return
    video = await find_by_url(ctx.session, fields.video_url)
    if video is None or video.remote:
        return
    known = (await ctx.session.execute(sa.select(LocalVideoViewer.id).where(
        sa.or_(LocalVideoViewer.url == fields.id, LocalVideoViewer.uuid == fields.uuid)))).first()
    if known is not None:
        return
    last_start, last_end = fields.sections[-1] if fields.sections else (0, 0)
    viewer = LocalVideoViewer(
        video_id=video.id, viewer=None, uuid=fields.uuid, url=fields.id, start_date=fields.start,
        end_date=fields.end, watch_time=fields.watch_time, country=fields.country, subdivision_name=fields.region,
        section_count=max(len(fields.sections), 1), section_start=last_start, section_end=last_end)
    ctx.session.add(viewer)
    await ctx.session.flush()
    ctx.session.add_all([LocalVideoViewerWatchSection(viewer_id=viewer.id, position=position, watch_start=start,
                                                      watch_end=end)
                         for position, (start, end) in enumerate(fields.sections, start=1)])
