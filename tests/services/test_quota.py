"""Quota accounting on a real database of each backend: a video counts for its largest file (web video
or HLS), lives do not count, the daily quota looks at the last 24 hours, and a new file must leave the
total strictly below the quota."""

from __future__ import annotations

import uuid as uuid_module
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run
from tests.support.transcoding import create_uploader
from vidpub.db.base import utcnow
from vidpub.db.models import FileFormat, User, Video, VideoFile, VideoStreamingPlaylist
from vidpub.errors import ProblemError
from vidpub.services import quota


@pytest.fixture(scope="module")
def quota_config(database_url_factory, tmp_path_factory):
    return make_database(database_url_factory(), tmp_path_factory.mktemp("quota-data"))


async def _video(session, channel_id: int, *, web: list[int] = (), hls: list[int] = (), live: bool = False,
                 age: timedelta = timedelta(0)) -> Video:
    created = utcnow() - age
    video_uuid = str(uuid_module.uuid4())
    video = Video(uuid=video_uuid, name="quota test", privacy=1, url=f"http://localhost/videos/watch/{video_uuid}",
                  channel_id=channel_id, state=1, published_at=created, created_at=created, is_live=live)
    session.add(video)
    await session.flush()
    for index, size in enumerate(web):
        session.add(VideoFile(video_id=video.id, resolution=240 * (index + 1), size=size, extname=".mp4",
                              filename=f"{uuid_module.uuid4()}.mp4"))
    if hls:
        playlist = VideoStreamingPlaylist(video_id=video.id, playlist_filename="master.m3u8",
                                          segments_sha256_filename="sha.json")
        session.add(playlist)
        await session.flush()
        for index, size in enumerate(hls):
            session.add(VideoFile(video_streaming_playlist_id=playlist.id, resolution=240 * (index + 1), size=size,
                                  extname=".mp4", filename=f"{uuid_module.uuid4()}-fragmented.mp4",
                                  format_flags=FileFormat.FRAGMENTED))
    await session.flush()
    return video


async def _set_quota(runtime, user_id: int, total: int, daily: int) -> User:
    async with runtime.db.transaction() as session:
        await session.execute(sa.update(User).where(User.id == user_id).values(video_quota=total,
                                                                                video_quota_daily=daily))
    async with runtime.db.session(write=False) as session:
        return await session.get(User, user_id)


def test_quota_counts_the_largest_file_of_each_video(quota_config):
    async def scenario():
        async with open_runtime(quota_config) as runtime:
            user_id, channel_id = await create_uploader(runtime)
            other_id, other_channel = await create_uploader(runtime)
            async with runtime.db.transaction() as session:
                await _video(session, channel_id, web=[100, 300], hls=[200, 250])   # counts 300
                await _video(session, channel_id, hls=[50, 70])                      # counts 70
                await _video(session, channel_id, web=[1000], live=True)             # lives never count
                await _video(session, channel_id, web=[500], age=timedelta(days=2))  # not today
                await _video(session, channel_id)                                     # no file yet
                await _video(session, other_channel, web=[4000])                      # someone else's
            async with runtime.db.session(write=False) as session:
                assert await quota.quota_used(session, user_id) == (870, 370)
                assert await quota.quota_used(session, other_id) == (4000, 4000)
                assert await quota.total_file_size(session, user_id) == 100 + 300 + 200 + 250 + 50 + 70 + 500
                assert await quota.videos_count(session, user_id) == 5

            user = await _set_quota(runtime, user_id, total=871, daily=-1)
            async with runtime.db.session(write=False) as session:
                await quota.ensure_quota(session, user, 0)
                with pytest.raises(ProblemError) as refused:
                    await quota.ensure_quota(session, user, 1)   # 870 + 1 is not below 871
                assert (refused.value.status, refused.value.code) == (413, "quota_reached")
                assert await quota.largest_fitting_size(session, user) == 0

            user = await _set_quota(runtime, user_id, total=-1, daily=400)
            async with runtime.db.session(write=False) as session:
                await quota.ensure_quota(session, user, 29)
                with pytest.raises(ProblemError):
                    await quota.ensure_quota(session, user, 30)  # 370 + 30 is not below 400
                assert await quota.largest_fitting_size(session, user) == 29

            user = await _set_quota(runtime, user_id, total=-1, daily=-1)
            async with runtime.db.session(write=False) as session:
                await quota.ensure_quota(session, user, 10**15)
                assert await quota.largest_fitting_size(session, user) is None

    run(scenario())


def test_a_user_without_videos_uses_nothing(quota_config):
    async def scenario():
        async with open_runtime(quota_config) as runtime:
            user_id, _ = await create_uploader(runtime)
            async with runtime.db.session(write=False) as session:
                assert await quota.quota_used(session, user_id) == (0, 0)
                assert await quota.total_file_size(session, user_id) == 0
                assert await quota.videos_count(session, user_id) == 0

    run(scenario())
