"""Scheduled privacy changes (PeerTube's UpdateVideosScheduler) on a real database of each backend:
videos created with `scheduleUpdate` as an upload creates them, then the due updates applied."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run
from tests.support.transcoding import create_uploader, prepare_storage
from vidpub.db.base import utcnow
from vidpub.db.models import ScheduleVideoUpdate, User, Video, VideoPassword, VideoState
from vidpub.schemas.video_create import VideoAttributes
from vidpub.services.videos import creation, scheduled_updates


@pytest.fixture(scope="module")
def schedule_config(database_url_factory, tmp_path_factory):
    config = make_database(database_url_factory(), tmp_path_factory.mktemp("schedule-data"))
    prepare_storage(config)
    return config


async def _create(runtime, user_id: int, channel_id: int, **fields) -> int:
    attrs = VideoAttributes.parse({"name": "scheduled video", "channelId": channel_id, **fields})
    async with runtime.db.transaction() as session:
        user = await session.get(User, user_id)
        video = await creation.create_video_record(session, runtime.config, user, attrs, state=VideoState.PUBLISHED)
        return video.id


async def _video(runtime, video_id: int) -> tuple[Video, bool, int]:
    async with runtime.db.session(write=False) as session:
        video = await session.get(Video, video_id)
        scheduled = (await session.execute(sa.select(ScheduleVideoUpdate.id).where(
            ScheduleVideoUpdate.video_id == video_id))).first() is not None
        passwords = (await session.execute(sa.select(sa.func.count()).select_from(VideoPassword).where(
            VideoPassword.video_id == video_id))).scalar_one()
        return video, scheduled, passwords


def test_due_updates_are_applied_and_later_ones_kept(schedule_config):
    async def scenario():
        async with open_runtime(schedule_config) as runtime:
            user_id, channel_id = await create_uploader(runtime)
            past = (utcnow() - timedelta(minutes=1)).isoformat()
            future = (utcnow() + timedelta(days=1)).isoformat()
            due = await _create(runtime, user_id, channel_id, privacy=3,
                                scheduleUpdate={"updateAt": past, "privacy": 1})
            protected = await _create(runtime, user_id, channel_id, privacy=5, videoPasswords=["open sesame"],
                                      scheduleUpdate={"updateAt": past, "privacy": 2})
            later = await _create(runtime, user_id, channel_id, privacy=3,
                                  scheduleUpdate={"updateAt": future, "privacy": 1})
            before, _, _ = await _video(runtime, due)

            assert await scheduled_updates.apply_due_updates(runtime) == 2

            video, scheduled, _ = await _video(runtime, due)
            assert (video.privacy, scheduled) == (1, False)
            assert video.published_at > before.published_at  # a private video is published when shown
            video, scheduled, passwords = await _video(runtime, protected)
            assert (video.privacy, scheduled, passwords) == (2, False, 0)
            video, scheduled, _ = await _video(runtime, later)
            assert (video.privacy, scheduled) == (3, True)
            assert await scheduled_updates.apply_due_updates(runtime) == 0

    run(scenario())
