"""Making our copies of remote videos (peertube-internals §8.2) and the strategies' periodic check.

A copy is the remote video's HLS playlist duplicated file for file — master playlist, rendition
playlists and the fragmented MP4s they name — into `redundancy/hls/<uuid>/`, each file fetched with
the federation's address check, within a byte budget (the playlist's files + 5 %, PeerTube's margin)
and a time limit. It is written in a hidden directory renamed into place when whole, then recorded
and announced with `Create CacheFile`.

The check (every `redundancy.videos.check_interval`) picks, for each configured strategy, a video of a
followed instance that allows redundancy, randomly among the 5 best of the strategy, makes room by
removing expired copies when over the strategy's size, and queues its copy; expired copies of a
strategy still configured are then extended by its `min_lifetime`, others removed; copies that other
instances announced and let expire are forgotten.
"""

from __future__ import annotations

import logging
import os
import random
import re
import shutil
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config, ConfigError, parse_duration, parse_size
from vidpub.db.base import utcnow
from vidpub.db.models import (
    Actor,
    ActorFollow,
    FollowState,
    Server,
    Video,
    VideoChannel,
    VideoFile,
    VideoPrivacy,
    VideoRedundancy,
    VideoStreamingPlaylist,
)
from vidpub.federation.ap.cache_file import cache_file_url
from vidpub.federation.fetch import FetchError, download_file
from vidpub.federation.outbox.send_cache_file import send_create_cache_file
from vidpub.federation.remote_actors import server_actor
from vidpub.jobs.queue import enqueue_unique
from vidpub.services import redundancy
from vidpub.services.videos import ranking
from vidpub.services.videos.lookup import with_owner
from vidpub.storage import layout
from vidpub.web.file_serving import is_safe_filename

log = logging.getLogger("vidpub.redundancy")

CHECK_JOB = "videos-redundancy-check"  # vidpub's name for PeerTube's VideosRedundancyScheduler
SIZE_MARGIN = 1.05
MAX_PLAYLIST_BYTES = 1 << 20
FILE_TIMEOUT_S = 600.0
CANDIDATES_SAMPLE = 5
STRATEGIES = ("most-views", "trending", "recently-added")
_URI_ATTRIBUTE = re.compile(r'URI="([^"]+)"')


class CopyError(Exception):
    """The copy cannot be made (the job fails with this message)."""


# -- downloading ---------------------------------------------------------------------------------------------

def _names_in_playlist(text: str) -> list[str]:
    """The files a playlist refers to: URI lines and `URI="…"` attributes (EXT-X-MAP, EXT-X-MEDIA)."""
    names = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            names += _URI_ATTRIBUTE.findall(line)
        else:
            names.append(line)
    return list(dict.fromkeys(names))


def _checked_name(base_url: str, reference: str) -> str:
    """A file beside the master playlist, named as Vidpub and PeerTube name them; anything else
    (another directory, another host, odd names) is refused."""
    resolved = urljoin(base_url + "/", reference)
    directory, _, name = resolved.rpartition("/")
    if directory != base_url or not is_safe_filename(name) or urlsplit(resolved).query:
        raise CopyError(f"unexpected file reference in the playlist: {reference[:200]}")
    return name


async def download_hls_copy(config: Config, master_url: str, destination: Path, budget: int) -> int:
    """Copy the HLS playlist at `master_url` into `destination` (created); returns the bytes copied."""
    base_url, _, master_name = master_url.rpartition("/")
    if not is_safe_filename(master_name):
        raise CopyError("unexpected master playlist name")
    used = 0

    async def fetch(name: str, limit: int) -> Path:
        nonlocal used
        if used + 1 > budget:
            raise CopyError(f"the copy would exceed {budget} bytes")
        try:
            used += await download_file(config, f"{base_url}/{name}", destination / name,
                                        max_bytes=min(limit, budget - used), timeout=FILE_TIMEOUT_S)
        except FetchError as error:
            raise CopyError(str(error)) from None
        return destination / name

    destination.mkdir(parents=True)
    master = (await fetch(master_name, MAX_PLAYLIST_BYTES)).read_text("utf-8", "replace")
    renditions = [_checked_name(base_url, name) for name in _names_in_playlist(master)]
    if not renditions:
        raise CopyError("the master playlist names no rendition")
    media: list[str] = []
    for name in renditions:
        if not name.endswith(".m3u8"):
            raise CopyError(f"unexpected rendition in the master playlist: {name}")
        text = (await fetch(name, MAX_PLAYLIST_BYTES)).read_text("utf-8", "replace")
        media += [_checked_name(base_url, item) for item in _names_in_playlist(text)]
    for name in dict.fromkeys(media):
        if name.endswith(".m3u8") or name in renditions or name == master_name:
            continue
        await fetch(name, budget)
    return used


# -- one copy (the `video-redundancy` job) ------------------------------------------------------------------

async def _remote_playlist(session: AsyncSession, video_id: int) -> tuple[Video, VideoStreamingPlaylist] | None:
    row = (await session.execute(
        sa.select(Video, VideoStreamingPlaylist).options(with_owner())
        .join(VideoStreamingPlaylist, VideoStreamingPlaylist.video_id == Video.id)
        .where(Video.id == video_id, Video.remote.is_(True)))).unique().first()
    return (row[0], row[1]) if row else None


async def run_copy(db, config: Config, payload: dict) -> dict:
    video_id, strategy = payload["videoId"], payload.get("strategy")
    async with db.session(write=False) as session:
        found = await _remote_playlist(session, video_id)
        if found is None:
            return {"skipped": "not a remote video with an HLS playlist"}
        video, playlist = found
        if await redundancy.our_copy_of(session, playlist.id) is not None:
            return {"skipped": "already duplicated"}
        budget = int(await redundancy.playlist_size(session, playlist.id) * SIZE_MARGIN) + 4 * MAX_PLAYLIST_BYTES
        uuid, master_url = video.uuid, playlist.playlist_url
    if not master_url:
        return {"skipped": "no master playlist URL"}
    final = layout.redundancy_hls_dir(config, uuid)
    staging = final.with_name(f".{uuid}-{os.getpid()}-{random.getrandbits(32):08x}")
    try:
        size = await download_hls_copy(config, master_url, staging, budget)
        async with db.transaction() as session:
            found = await _remote_playlist(session, video_id)
            if found is None or await redundancy.our_copy_of(session, found[1].id) is not None:
                return {"skipped": "the video changed meanwhile"}
            video, playlist = found
            shutil.rmtree(final, ignore_errors=True)
            os.replace(staging, final)
            lifetime = _lifetime_of(config, strategy)
            row = VideoRedundancy(
                video_streaming_playlist_id=playlist.id, actor_id=(await server_actor(session)).id,
                url=cache_file_url(config.url, uuid), file_url=config.url + layout.redundancy_hls_url_path(uuid),
                expires_on=utcnow() + lifetime if lifetime else None, strategy=strategy)
            session.add(row)
            await session.flush()
            deliveries = await send_create_cache_file(session, row, video)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"redundancyId": row.id, "size": size, "deliveries": deliveries}


# -- strategies ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Strategy:
    name: str
    size: int
    min_lifetime: timedelta
    min_views: int = 0


def configured_strategies(config: Config) -> list[Strategy]:
    """`redundancy.videos.strategies`, unusable entries logged and left out."""
    strategies = []
    for entry in config.get_path("redundancy.videos.strategies") or []:
        try:
            name = entry.get("strategy")
            if name not in STRATEGIES:
                raise ConfigError(f"unknown strategy {name!r}")
            strategies.append(Strategy(name, parse_size(entry.get("size")),
                                       timedelta(seconds=parse_duration(entry.get("min_lifetime"))),
                                       int(entry.get("min_views") or 0)))
        except (AttributeError, ConfigError, TypeError, ValueError) as error:
            log.warning("redundancy strategy %r ignored: %s", entry, error)
    return strategies


def _lifetime_of(config: Config, strategy: str | None) -> timedelta | None:
    if strategy is None:
        return None  # manual copies never expire
    for configured in configured_strategies(config):
        if configured.name == strategy:
            return configured.min_lifetime
    return None


def _candidates(instance: Actor, strategy: Strategy, config: Config):
    playlist_size = (sa.select(sa.func.coalesce(sa.func.sum(VideoFile.size), 0))
                     .where(VideoFile.video_streaming_playlist_id == VideoStreamingPlaylist.id)
                     .correlate(VideoStreamingPlaylist).scalar_subquery())
    followed = (sa.select(ActorFollow.id).join(Actor, Actor.id == ActorFollow.target_actor_id)
                .where(ActorFollow.actor_id == instance.id, ActorFollow.state == FollowState.ACCEPTED,
                       Actor.server_id == Server.id).exists())
    ours = (sa.select(VideoRedundancy.id).where(VideoRedundancy.video_streaming_playlist_id == VideoStreamingPlaylist.id,
                                                VideoRedundancy.actor_id == instance.id).exists())
    query = (sa.select(Video.id, playlist_size)
             .join(VideoStreamingPlaylist, VideoStreamingPlaylist.video_id == Video.id)
             .join(VideoChannel, VideoChannel.id == Video.channel_id)
             .join(Actor, Actor.id == VideoChannel.actor_id)
             .join(Server, Server.id == Actor.server_id)
             .where(Video.remote.is_(True), Video.is_live.is_(False), Video.privacy == VideoPrivacy.PUBLIC,
                    Server.redundancy_allowed.is_(True), followed, ~ours))
    if strategy.name == "most-views":
        return query.order_by(Video.views.desc(), Video.id)
    if strategy.name == "trending":
        score = ranking.trending_score(int(config.trending.videos.interval_days), utcnow())
        return query.order_by(score.desc(), Video.id)
    return query.where(Video.views >= strategy.min_views).order_by(Video.published_at.desc(), Video.id)


async def _used_by(session: AsyncSession, instance: Actor, strategy: str) -> int:
    sizes = (sa.select(sa.func.coalesce(sa.func.sum(VideoFile.size), 0))
             .join(VideoRedundancy, VideoRedundancy.video_streaming_playlist_id
                   == VideoFile.video_streaming_playlist_id)
             .where(VideoRedundancy.actor_id == instance.id, VideoRedundancy.strategy == strategy))
    return int((await session.execute(sizes)).scalar_one())


async def _expired_copies(session: AsyncSession, instance: Actor, strategy: str | None = None) -> list[VideoRedundancy]:
    query = (sa.select(VideoRedundancy).where(VideoRedundancy.actor_id == instance.id,
                                              VideoRedundancy.expires_on < utcnow())
             .order_by(VideoRedundancy.expires_on, VideoRedundancy.id))
    if strategy is not None:
        query = query.where(VideoRedundancy.strategy == strategy)
    return list((await session.execute(query)).scalars())


async def _choose(session: AsyncSession, config: Config, instance: Actor, strategy: Strategy,
                  removed: list[str]) -> int | None:
    """A video to copy for `strategy`, expired copies removed to make room; None when none fits."""
    top = (await session.execute(_candidates(instance, strategy, config).limit(CANDIDATES_SAMPLE))).all()
    if not top:
        return None
    video_id, size = random.choice(top)
    size = int(size)  # PostgreSQL sums bigints as numeric
    used = await _used_by(session, instance, strategy.name)
    expired = await _expired_copies(session, instance, strategy.name)
    while used + size > strategy.size and expired:
        oldest = expired.pop(0)
        used -= await redundancy.playlist_size(session, oldest.video_streaming_playlist_id)
        removed.append(await redundancy.remove_copy(session, config, oldest))
    return video_id if used + size <= strategy.size else None


async def run_check(db, config: Config, now_slot: str) -> dict:
    strategies = {strategy.name: strategy for strategy in configured_strategies(config)}
    removed: list[str] = []
    queued, extended = [], 0
    async with db.transaction() as session:
        instance = await server_actor(session)
        for strategy in strategies.values():
            video_id = await _choose(session, config, instance, strategy, removed)
            if video_id is not None and await enqueue_unique(
                    session, redundancy.REDUNDANCY_JOB, f"{redundancy.REDUNDANCY_JOB}@{video_id}@{now_slot}",
                    {"videoId": video_id, "strategy": strategy.name}):
                queued.append(video_id)
        for copy in await _expired_copies(session, instance):
            if copy.strategy in strategies:
                await redundancy.extend_copy(session, copy, strategies[copy.strategy].min_lifetime)
                extended += 1
            else:
                removed.append(await redundancy.remove_copy(session, config, copy))
        forgotten = await session.execute(sa.delete(VideoRedundancy).where(
            VideoRedundancy.actor_id != instance.id, VideoRedundancy.expires_on < utcnow()))
    redundancy.remove_directories(removed)
    return {"queued": queued, "extended": extended, "removed": len(removed), "forgotten": forgotten.rowcount}

