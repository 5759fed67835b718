"""Channel synchronisations and channel imports, as the API asks for them: a sync's creation, deletion
and listing, and the request to import every video of an external channel into a local one (the
work itself is `channel_imports.py`, run as `video-channel-import` jobs)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.models import User, VideoChannel, VideoChannelSync, VideoChannelSyncState
from vidpub.errors import bad_request, forbidden, not_found
from vidpub.jobs.queue import enqueue
from vidpub.services import channels, quota
from vidpub.services.accounts import ordered, page_of

CHANNEL_IMPORT_JOB = "video-channel-import"
SYNC_STATE_LABELS = {VideoChannelSyncState.WAITING_FIRST_RUN: "Waiting first run",
                     VideoChannelSyncState.PROCESSING: "Processing",
                     VideoChannelSyncState.SYNCED: "Synchronized",
                     VideoChannelSyncState.FAILED: "Failed"}
SYNC_SORTS = {"externalChannelUrl": VideoChannelSync.external_channel_url, "videoChannel": VideoChannel.name,
              "createdAt": VideoChannelSync.created_at, "lastSyncAt": VideoChannelSync.last_sync_at,
              "state": VideoChannelSync.state}


def import_settings(config: Config):
    return config["import"]  # `import` is a Python keyword: no attribute access


def ensure_sync_enabled(config: Config) -> None:
    if not import_settings(config).video_channel_synchronization.enabled:
        raise forbidden("Synchronization is impossible as video channel synchronization is not enabled on the server")


def ensure_http_import_enabled(config: Config) -> None:
    if not import_settings(config).videos.http.enabled:
        raise forbidden("Channel import is impossible as video upload via HTTP is not enabled on the server")


def with_channel():
    return selectinload(VideoChannelSync.channel).selectinload(VideoChannel.account)


# -- syncs ------------------------------------------------------------------------------------------

async def list_account_syncs(session: AsyncSession, account_id: int, *, start: int, count: int,
                             sort: str) -> tuple[int, list[VideoChannelSync]]:
    query = (sa.select(VideoChannelSync).options(with_channel())
             .join(VideoChannel, VideoChannel.id == VideoChannelSync.channel_id)
             .where(VideoChannel.account_id == account_id))
    return await page_of(session, query, ordered(SYNC_SORTS[sort.lstrip("-")], sort, VideoChannelSync.id),
                         start, count)


async def count_account_syncs(session: AsyncSession, account_id: int) -> int:
    return int((await session.execute(
        sa.select(sa.func.count()).select_from(VideoChannelSync)
        .join(VideoChannel, VideoChannel.id == VideoChannelSync.channel_id)
        .where(VideoChannel.account_id == account_id))).scalar_one())


async def create_sync(session: AsyncSession, config: Config, user: User, external_url: str,
                      channel_id: int) -> VideoChannelSync:
    """403 when synchronisation is off, 404/403 for a channel the user may not manage, 400 past
    `import.video_channel_synchronization.max_per_user` syncs for the channel's account."""
    ensure_sync_enabled(config)
    channel = await channels.manageable_channel_by_id(session, channel_id, user)
    maximum = int(import_settings(config).video_channel_synchronization.max_per_user)
    if await count_account_syncs(session, channel.account_id) >= maximum:
        raise bad_request(f"You cannot create more than {maximum} channel synchronizations")
    sync = VideoChannelSync(external_channel_url=external_url, channel_id=channel.id,
                            state=VideoChannelSyncState.WAITING_FIRST_RUN)
    session.add(sync)
    await session.commit()
    return await get_sync(session, sync.id)


async def get_sync(session: AsyncSession, sync_id: int) -> VideoChannelSync:
    sync = (await session.execute(sa.select(VideoChannelSync).options(with_channel())
                                  .where(VideoChannelSync.id == sync_id)
                                  .execution_options(populate_existing=True))).scalar_one_or_none()
    if sync is None:
        raise not_found("Video channel sync not found")
    return sync


async def manageable_sync(session: AsyncSession, sync_id: int, user: User) -> VideoChannelSync:
    sync = await get_sync(session, sync_id)
    channels.ensure_can_manage(sync.channel, user)
    return sync


async def delete_sync(session: AsyncSession, sync: VideoChannelSync) -> None:
    """The imports it made stay (with their videos)."""
    await session.delete(sync)
    await session.commit()


# -- imports ----------------------------------------------------------------------------------------

async def request_channel_import(session: AsyncSession, config: Config, channel: VideoChannel, external_url: str,
                                 sync_id: int | None, *, videos_limit: int | None = None) -> None:
    """Enqueue the import of the external channel's videos into `channel` (already authorised).
    PeerTube's refusals: HTTP import or synchronisation off (403), an unknown sync (404) or one of
    another channel (403), the channel owner's quota already used up (413)."""
    ensure_http_import_enabled(config)
    # PeerTube accepts the request, then its job fails at once: refusing it here says why
    ensure_sync_enabled(config)
    if sync_id is not None:
        sync = await get_sync(session, sync_id)
        if sync.channel_id != channel.id:
            raise forbidden("This channel sync is not owned by this channel")
    owner = await session.get(User, channel.account.user_id) if channel.account.user_id is not None else None
    if owner is not None:
        await quota.ensure_quota(session, owner, 1)
    enqueue_channel_import(session, channel.id, external_url, sync_id, videos_limit=videos_limit)
    await session.commit()


def enqueue_channel_import(session: AsyncSession, channel_id: int, external_url: str, sync_id: int | None, *,
                           videos_limit: int | None = None) -> None:
    """In the caller's transaction. `videos_limit`: the newest videos only (a regular sync); None: as
    many as `full_sync_videos_limit` (a full import)."""
    payload = {"externalChannelUrl": external_url, "videoChannelId": channel_id, "partOfChannelSyncId": sync_id}
    if videos_limit is not None:
        payload["videosLimit"] = videos_limit
    enqueue(session, CHANNEL_IMPORT_JOB, payload)


async def trigger_sync(session: AsyncSession, config: Config, sync: VideoChannelSync) -> None:
    """Run a sync now: a full import of its external channel, recorded as part of the sync."""
    ensure_sync_enabled(config)
    ensure_http_import_enabled(config)
    enqueue_channel_import(session, sync.channel_id, sync.external_channel_url, sync.id)
    await session.commit()
