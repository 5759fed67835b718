"""Create / Update of a `CacheFile` and its Undo: another instance announces (or withdraws) a copy it
holds of one of our videos' HLS playlist (peertube-internals §8.2). Accepted per
`remote_redundancy.videos.accept_from` (nobody, anybody, followings: instances our server actor
follows); the CacheFile and its files must live on the sender's host. The copy then appears in the
video's `streamingPlaylists[].redundancies`, and the activity is forwarded to the video's audience
as PeerTube does (their players may use the copy too)."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.models import ActorFollow, FollowState, VideoRedundancy, VideoStreamingPlaylist
from vidpub.federation.ap.cache_file import parse_cache_file
from vidpub.federation.ap.common import InvalidObject, same_host
from vidpub.federation.inbox.process_rate import forward_to_audience
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.remote_actors import server_actor
from vidpub.federation.remote_videos import find_by_url

log = logging.getLogger("vidpub.federation.inbox")


async def _accepted_from(ctx: InboxContext) -> bool:
    policy = ctx.config.get_path("remote_redundancy.videos.accept_from")
    if policy == "anybody":
        return True
    if policy == "followings":
        instance = await server_actor(ctx.session)
        return (await ctx.session.execute(sa.select(ActorFollow.id).where(
            ActorFollow.actor_id == instance.id, ActorFollow.target_actor_id == ctx.signer.id,
            ActorFollow.state == FollowState.ACCEPTED))).first() is not None
    return False


@handles("Create", "CacheFile")
@handles("Update", "CacheFile")
async def process_cache_file(ctx: InboxContext, activity: dict) -> None:
    if not await _accepted_from(ctx):
        log.info("CacheFile from %s refused (remote_redundancy.videos.accept_from)", ctx.signer.url)
        return
    try:
        data = parse_cache_file(activity.get("object"))
    except InvalidObject as error:
        log.info("CacheFile from %s dropped: %s", ctx.signer.url, error)
        return
    if not same_host(data.id, data.file_url, ctx.signer.url):
        log.info("CacheFile %s of another host than its sender %s: dropped", data.id[:200], ctx.signer.url)
        return
    video = await find_by_url(ctx.session, data.video_url)
    playlist = None
    if video is not None and not video.remote:
        playlist = (await ctx.session.execute(sa.select(VideoStreamingPlaylist).where(
            VideoStreamingPlaylist.video_id == video.id))).scalar_one_or_none()
    if playlist is None:
        log.info("CacheFile %s is not of one of our HLS playlists: dropped", data.id[:200])
        return
    row = (await ctx.session.execute(sa.select(VideoRedundancy).where(sa.or_(
        VideoRedundancy.url == data.id,
        sa.and_(VideoRedundancy.actor_id == ctx.signer.id,
                VideoRedundancy.video_streaming_playlist_id == playlist.id))))).scalars().first()
    if row is not None and row.actor_id != ctx.signer.id:
        log.info("CacheFile %s belongs to another actor than %s: dropped", data.id[:200], ctx.signer.url)
        return
    if row is None:
        row = VideoRedundancy(actor_id=ctx.signer.id)
        ctx.session.add(row)
    row.url, row.file_url, row.expires_on = data.id, data.file_url, data.expires_on
    row.video_streaming_playlist_id, row.strategy = playlist.id, None
    await ctx.session.flush()
    await forward_to_audience(ctx, activity, video)


@handles("Undo", "Create")
async def process_undo_cache_file(ctx: InboxContext, activity: dict) -> None:
    inner = activity["object"]
    cache_file = inner.get("object")
    if not isinstance(cache_file, dict) or cache_file.get("type") != "CacheFile":
        log.info("Undo of a Create of something else than a CacheFile from %s: dropped", ctx.signer.url)
        return
    url = cache_file.get("id")
    row = (await ctx.session.execute(sa.select(VideoRedundancy).where(VideoRedundancy.url == url))
           ).scalar_one_or_none() if isinstance(url, str) else None
    if row is None or row.actor_id != ctx.signer.id:
        log.info("Undo of an unknown CacheFile or another actor's by %s: dropped", ctx.signer.url)
        return
    video = await find_by_url(ctx.session, cache_file.get("object")) if isinstance(cache_file.get("object"), str) \
        else None
    await ctx.session.delete(row)
    await ctx.session.flush()
    if video is not None:
        await forward_to_audience(ctx, activity, video)
