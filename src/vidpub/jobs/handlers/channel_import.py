"""Channel imports and synchronisations (PeerTube: `video-channel-import` 1 attempt, one at a time, 4 h;
`after-video-channel-import` 1 attempt, 5 min), and Vidpub's tick that starts the regular syncs
(PeerTube's VideoChannelSyncLatestScheduler)."""

from __future__ import annotations

from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type
from vidpub.services import channel_imports


@job_type("video-channel-import", attempts=1, concurrency=1, priority=100, timeout=4 * 3600)
async def import_channel(ctx: JobContext) -> dict:
    return await channel_imports.run_channel_import(ctx.runtime, ctx.payload)


@job_type("after-video-channel-import", attempts=1, concurrency=1, priority=100, timeout=300)
async def after_channel_import(ctx: JobContext) -> dict:
    return await channel_imports.finish_channel_import(ctx.runtime, ctx.payload)


@job_type("video-channel-sync-latest", attempts=1, concurrency=1, priority=100, timeout=600,
          keep_completed=3600)
async def sync_latest(ctx: JobContext) -> dict:
    return await channel_imports.sync_due_channels(ctx.runtime)
