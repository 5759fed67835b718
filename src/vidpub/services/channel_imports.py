"""The work of channel imports and synchronisations (jobs):

- `video-channel-import`: list the external channel's videos (yt-dlp, without visiting each one) and
  create one ordinary video import per video not imported into the channel yet — public, with the
  channel's support text — each with its `video-import` job;
- `after-video-channel-import`: once those imports ended, the sync is SYNCED, or FAILED if one of
  them (or the creation of one) failed. It looks again a little later while some still run;
- `video-channel-sync-latest` (scheduled): every `check_interval`, each sync imports the newest
  `videos_limit_per_synchronization` videos of its external channel.

    WAITING_FIRST_RUN / SYNCED / FAILED ──import job──▶ PROCESSING ──after job──▶ SYNCED | FAILED
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import Any

import sqlalchemy as sa

from vidpub.db.base import utcnow
from vidpub.db.models import (Account, User, Video, VideoChannel, VideoChannelSync, VideoChannelSyncState,
                              VideoImport, VideoImportState, VideoPrivacy)
from vidpub.errors import ProblemError
from vidpub.jobs.queue import enqueue
from vidpub.schemas.video_imports import VideoImportCreate
from vidpub.services import channel_syncs, users
from vidpub.services.videos import imports, remote_media

log = logging.getLogger("vidpub.channel_imports")

AFTER_IMPORT_JOB = "after-video-channel-import"
# the after job looks at unfinished imports again after a delay doubling from the first to the last
AFTER_IMPORT_FIRST_DELAY_S = 5
AFTER_IMPORT_MAX_DELAY_S = 600
# imports that exist for a URL: a failed or cancelled one may be tried again by the next sync
LIVE_IMPORT_STATES = (VideoImportState.PENDING, VideoImportState.PROCESSING, VideoImportState.SUCCESS)
UNFINISHED_IMPORT_STATES = (VideoImportState.PENDING, VideoImportState.PROCESSING)
STALE_PROCESSING = timedelta(days=1)  # a sync still PROCESSING after this long is run again


class ChannelImportError(Exception):
    """The channel import cannot run (the job fails with this message)."""


def _sync_settings(config):
    return channel_syncs.import_settings(config).video_channel_synchronization


async def run_channel_import(runtime, payload: dict[str, Any]) -> dict[str, Any]:
    channel_id, sync_id = int(payload["videoChannelId"]), payload.get("partOfChannelSyncId")
    limit = int(payload.get("videosLimit") or _sync_settings(runtime.config).full_sync_videos_limit)
    owner_id = await _start(runtime, channel_id, sync_id)
    try:
        return await _import_listed_videos(runtime, payload, channel_id, owner_id, sync_id, limit)
    except asyncio.CancelledError:
        raise  # worker stopping: the job runs again and starts over
    except BaseException:
        await _set_sync_state(runtime, sync_id, VideoChannelSyncState.FAILED)
        raise


async def _import_listed_videos(runtime, payload: dict[str, Any], channel_id: int, owner_id: int,
                                sync_id: int | None, limit: int) -> dict[str, Any]:
    settings = channel_syncs.import_settings(runtime.config)  # may have changed since the request
    if not settings.videos.http.enabled:
        raise ChannelImportError("Cannot import channel as the HTTP upload is disabled")
    if not settings.video_channel_synchronization.enabled:
        raise ChannelImportError("Cannot import channel as the synchronization is disabled")
    url = payload["externalChannelUrl"]
    try:
        urls = await asyncio.to_thread(remote_media.list_video_urls, url,
                                       allow_private=imports.allow_private_addresses(runtime.config), limit=limit)
    except remote_media.RemoteMediaError as exc:
        raise ChannelImportError(f"Cannot list the videos of {url}: {exc}") from exc
    created, errors = [], 0
    for video_url in urls:
        try:
            import_id = await _import_one(runtime, channel_id, owner_id, video_url)
        except ProblemError as exc:  # quota, unreadable video...: the other videos still come
            log.info("channel %s: cannot import %s: %s", channel_id, video_url, exc.detail)
            errors += 1
            continue
        if import_id is not None:
            created.append(import_id)
    if sync_id is not None:
        async with runtime.db.transaction() as session:
            enqueue(session, AFTER_IMPORT_JOB, {"channelSyncId": sync_id, "videoImportIds": created,
                                                "buildJobErrors": errors},
                    delay=AFTER_IMPORT_FIRST_DELAY_S if created else 0)
    return {"candidates": len(urls), "imports": len(created), "errors": errors}


async def _start(runtime, channel_id: int, sync_id: int | None) -> int:
    """The channel's owner (user id); the sync, if any, is PROCESSING from now on."""
    async with runtime.db.transaction() as session:
        owner_id = (await session.execute(
            sa.select(Account.user_id).join(VideoChannel, VideoChannel.account_id == Account.id)
            .where(VideoChannel.id == channel_id))).scalar_one_or_none()
        if owner_id is None:
            raise ChannelImportError("The channel no longer exists")
        if sync_id is not None:
            sync = await session.get(VideoChannelSync, int(sync_id), with_for_update=True)
            if sync is None or sync.channel_id != channel_id:
                raise ChannelImportError("Unknown channel sync specified in videos channel import")
            sync.state, sync.last_sync_at = VideoChannelSyncState.PROCESSING, utcnow()
    return owner_id


async def _set_sync_state(runtime, sync_id: int | None, state: int) -> None:
    if sync_id is None:
        return
    async with runtime.db.transaction() as session:
        await session.execute(sa.update(VideoChannelSync).where(VideoChannelSync.id == int(sync_id))
                              .values(state=state, updated_at=utcnow()))


async def already_imported(session, channel_id: int, url: str) -> bool:
    """An import of `url` into the channel exists, pending, running or done."""
    query = (sa.select(VideoImport.id).join(Video, Video.id == VideoImport.video_id)
             .where(Video.channel_id == channel_id, VideoImport.target_url == url,
                    VideoImport.state.in_(LIVE_IMPORT_STATES)).limit(1))
    return (await session.execute(query)).first() is not None


async def _import_one(runtime, channel_id: int, owner_id: int, url: str) -> int | None:
    """An ordinary video import of `url` by the channel's owner (None when already imported)."""
    async with runtime.db.session(write=True) as session:
        if await already_imported(session, channel_id, url):
            return None
        channel = await session.get(VideoChannel, channel_id)
        if channel is None:
            raise ChannelImportError("The channel no longer exists")
        owner: User = await users.get_user(session, owner_id)
        body = VideoImportCreate(targetUrl=url, channelId=channel_id, privacy=VideoPrivacy.PUBLIC,
                                 support=channel.support)
        record = await imports.create_import(session, runtime.config, owner, body, has_torrent_file=False,
                                             images=imports.ImportImages())
        return record.id


# -- after the imports ------------------------------------------------------------------------------

async def finish_channel_import(runtime, payload: dict[str, Any]) -> dict[str, Any]:
    """Settle the sync from its imports' outcome, or look again later while some still run."""
    sync_id, import_ids = int(payload["channelSyncId"]), [int(i) for i in payload.get("videoImportIds") or []]
    async with runtime.db.transaction() as session:
        states = list((await session.execute(sa.select(VideoImport.state).where(VideoImport.id.in_(import_ids))))
                      .scalars()) if import_ids else []
        if any(state in UNFINISHED_IMPORT_STATES for state in states):
            checks = int(payload.get("checks") or 0) + 1
            delay = min(AFTER_IMPORT_MAX_DELAY_S, AFTER_IMPORT_FIRST_DELAY_S * 2 ** min(checks, 10))
            enqueue(session, AFTER_IMPORT_JOB, {**payload, "checks": checks}, delay=delay)
            return {"waiting": True}
        failed = int(payload.get("buildJobErrors") or 0) + sum(
            1 for state in states if state in (VideoImportState.FAILED, VideoImportState.REJECTED))
        state = VideoChannelSyncState.FAILED if failed else VideoChannelSyncState.SYNCED
        await session.execute(sa.update(VideoChannelSync).where(VideoChannelSync.id == sync_id)
                              .values(state=state, updated_at=utcnow()))
    return {"state": state, "failed": failed}


# -- the regular synchronisation ------------------------------------------------------------------

async def sync_due_channels(runtime) -> dict[str, Any]:
    """Enqueue an import of the newest videos for each sync not checked for `check_interval`, whose
    owner may still upload (a zero quota stops it)."""
    config = runtime.config
    settings = channel_syncs.import_settings(config)
    if not (settings.video_channel_synchronization.enabled and settings.videos.http.enabled):
        return {"enabled": False}
    due_before = utcnow() - timedelta(seconds=config.duration("import.video_channel_synchronization.check_interval"))
    limit = int(_sync_settings(config).videos_limit_per_synchronization)
    async with runtime.db.transaction() as session:
        rows = (await session.execute(
            sa.select(VideoChannelSync)
            .join(VideoChannel, VideoChannel.id == VideoChannelSync.channel_id)
            .join(Account, Account.id == VideoChannel.account_id)
            .join(User, User.id == Account.user_id)
            .where(sa.or_(VideoChannelSync.last_sync_at.is_(None), VideoChannelSync.last_sync_at <= due_before),
                   # a run cut short (its job timed out, the worker died) must not stop the sync for good
                   sa.or_(VideoChannelSync.state != VideoChannelSyncState.PROCESSING,
                          VideoChannelSync.last_sync_at <= utcnow() - STALE_PROCESSING),
                   User.video_quota != 0, User.video_quota_daily != 0)
            .with_for_update(of=VideoChannelSync))).scalars().all()
        for sync in rows:
            # PROCESSING at once: the next tick must not enqueue the same sync again
            sync.state, sync.last_sync_at = VideoChannelSyncState.PROCESSING, utcnow()
            channel_syncs.enqueue_channel_import(session, sync.channel_id, sync.external_channel_url, sync.id,
                                                 videos_limit=limit)
    return {"syncs": len(rows)}
