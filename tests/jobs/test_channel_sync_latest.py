"""The scheduled `video-channel-sync-latest` job: which channel syncs are due, and what it starts."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run, running_worker, wait_for_state
from vidpub.db.base import utcnow
from vidpub.db.models import (Account, Job, JobState, User, VideoChannel, VideoChannelSync,
                              VideoChannelSyncState)
from vidpub.jobs.queue import enqueue
from vidpub.jobs.registry import load_handlers
from vidpub.services.users import NewUser, create_user

SYNC_ENV = {"VIDPUB_IMPORT__VIDEOS__HTTP__ENABLED": "true",
            "VIDPUB_IMPORT__VIDEO_CHANNEL_SYNCHRONIZATION__ENABLED": "true",
            "VIDPUB_IMPORT__VIDEO_CHANNEL_SYNCHRONIZATION__CHECK_INTERVAL": "1 hour",
            "VIDPUB_IMPORT__VIDEO_CHANNEL_SYNCHRONIZATION__VIDEOS_LIMIT_PER_SYNCHRONIZATION": "7"}


async def _channel_of(session, username: str) -> int:
    return (await session.execute(
        sa.select(VideoChannel.id).join(Account, Account.id == VideoChannel.account_id)
        .join(User, User.id == Account.user_id).where(User.username == username))).scalars().first()


def test_due_syncs_are_started_with_the_newest_videos_only(database_url_factory, tmp_path):
    config = make_database(database_url_factory(), tmp_path / "data", SYNC_ENV)
    load_handlers()
    now = utcnow()

    async def scenario():
        async with open_runtime(config) as runtime:
            async with runtime.db.transaction() as session:
                await create_user(session, config, NewUser(username="noquota", email="noquota@example.com",
                                                           password_hash=None, video_quota=0))
                root_channel = await _channel_of(session, "root")
                other_channel = await _channel_of(session, "noquota")
                syncs = {
                    "never run": (root_channel, VideoChannelSyncState.WAITING_FIRST_RUN, None),
                    "synced long ago": (root_channel, VideoChannelSyncState.SYNCED, now - timedelta(hours=2)),
                    "failed long ago": (root_channel, VideoChannelSyncState.FAILED, now - timedelta(hours=2)),
                    "synced just now": (root_channel, VideoChannelSyncState.SYNCED, now - timedelta(minutes=5)),
                    "running": (root_channel, VideoChannelSyncState.PROCESSING, now - timedelta(hours=2)),
                    "stuck": (root_channel, VideoChannelSyncState.PROCESSING, now - timedelta(days=2)),
                    "owner without quota": (other_channel, VideoChannelSyncState.SYNCED, None),
                }
                rows = {}
                for label, (channel_id, state, last_sync_at) in syncs.items():
                    rows[label] = VideoChannelSync(external_channel_url=f"https://videos.invalid/{label}",
                                                   channel_id=channel_id, state=state, last_sync_at=last_sync_at)
                    session.add(rows[label])
                await session.flush()
                ids = {label: row.id for label, row in rows.items()}
                job = enqueue(session, "video-channel-sync-latest")
            async with running_worker(runtime, ["video-channel-sync-latest"]):
                done = await wait_for_state(runtime, job.id, JobState.COMPLETED, JobState.FAILED)
            assert (done.state, done.result) == (JobState.COMPLETED, {"syncs": 4})

            async with runtime.db.session(write=False) as session:
                imports = (await session.execute(sa.select(Job).where(Job.type == "video-channel-import"))
                           ).scalars().all()
                states = dict((await session.execute(sa.select(VideoChannelSync.id, VideoChannelSync.state))).all())
            started = {job.payload["partOfChannelSyncId"]: job.payload for job in imports}
            due = {"never run", "synced long ago", "failed long ago", "stuck"}
            assert set(started) == {ids[label] for label in due}
            for payload in started.values():
                assert payload["videosLimit"] == 7 and payload["externalChannelUrl"].startswith("https://videos.invalid/")
            for label, sync_id in ids.items():
                expected = VideoChannelSyncState.PROCESSING if label in due else syncs[label][1]
                assert states[sync_id] == expected, label

            # started syncs are PROCESSING: the next tick starts nothing again
            async with runtime.db.transaction() as session:
                again = enqueue(session, "video-channel-sync-latest")
            async with running_worker(runtime, ["video-channel-sync-latest"]):
                done = await wait_for_state(runtime, again.id, JobState.COMPLETED, JobState.FAILED)
            assert done.result == {"syncs": 0}

    run(scenario())
