"""View counting on a real database of each backend: watch sections, the threshold, once per viewer
until expiration, concurrent reports, and the clean-up job. Positions are reported explicitly, so
nothing here depends on the clock except the expiration, which the tests move by hand."""

from __future__ import annotations

import asyncio
import uuid as uuid_module
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run, running_worker, wait_until
from vidpub.db.base import utcnow
from vidpub.db.models import (Job, JobState, User, UserVideoHistory, Video, VideoChannel, VideoView,
                              VideoViewer)
from vidpub.jobs.queue import enqueue
from vidpub.jobs.registry import load_handlers
from vidpub.services.videos import views

SECRET = "test-secret"


@pytest.fixture(scope="module")
def views_config(database_url_factory, tmp_path_factory):
    return make_database(database_url_factory(), tmp_path_factory.mktemp("views-data"))


async def _new_video(runtime, duration: int) -> Video:
    async with runtime.db.transaction() as session:
        channel_id = (await session.execute(sa.select(VideoChannel.id).limit(1))).scalar_one()
        video_uuid = str(uuid_module.uuid4())
        video = Video(uuid=video_uuid, name="views test", privacy=1,
                      url=f"http://localhost/videos/watch/{video_uuid}", channel_id=channel_id, state=1,
                      published_at=utcnow(), duration=duration)
        session.add(video)
    return video


def _report(time: int, *, seek: bool = False, session_id: str | None = "session-a", ip: str = "10.0.0.1"):
    return views.WatchReport(current_time=time, seek=seek, session_id=session_id, ip=ip)


async def _watch(runtime, video: Video, *reports: views.WatchReport, user: User | None = None) -> list[bool]:
    counted = []
    for report in reports:
        async with runtime.db.transaction() as session:
            counted.append(await views.record_watching(session, runtime.config, SECRET, video, user, report))
    return counted


async def _viewer(runtime, video: Video, report: views.WatchReport) -> VideoViewer:
    key = views.viewer_key(SECRET, runtime.config, report)
    async with runtime.db.session(write=False) as session:
        return (await session.execute(sa.select(VideoViewer).where(
            VideoViewer.video_id == video.id, VideoViewer.viewer == key))).scalar_one()


async def _views(runtime, video: Video) -> int:
    async with runtime.db.session(write=False) as session:
        return (await session.execute(sa.select(Video.views).where(Video.id == video.id))).scalar_one()


def test_watch_time_adds_up_watch_sections(views_config):
    async def scenario():
        async with open_runtime(views_config) as runtime:
            video = await _new_video(runtime, duration=600)
            await _watch(runtime, video, _report(0), _report(5))
            assert (await _viewer(runtime, video, _report(0))).watch_time == 5
            # a seek opens a new section: the jump itself is not watched
            await _watch(runtime, video, _report(100, seek=True), _report(104))
            assert (await _viewer(runtime, video, _report(0))).watch_time == 9
            # going back without a seek event also opens a new section (PeerTube's rule)
            await _watch(runtime, video, _report(50), _report(53))
            row = await _viewer(runtime, video, _report(0))
            assert (row.watch_time, row.section_start, row.section_end) == (12, 50, 53)

    run(scenario())


def test_a_view_counts_after_the_threshold_and_once_until_expiration(views_config):
    async def scenario():
        async with open_runtime(views_config) as runtime:
            video = await _new_video(runtime, duration=600)  # longer than count_view_after (10 s)
            assert await _watch(runtime, video, _report(0), _report(5), _report(9)) == [False, False, False]
            assert await _views(runtime, video) == 0
            assert await _watch(runtime, video, _report(10), _report(30)) == [True, False]
            assert await _views(runtime, video) == 1
            async with runtime.db.session(write=False) as session:
                hourly = (await session.execute(sa.select(sa.func.sum(VideoView.views)).where(
                    VideoView.video_id == video.id))).scalar_one()
            assert hourly == 1  # what the -trending sort adds up

            # another viewer counts on its own
            other = _report(0, session_id="session-b")
            assert await _watch(runtime, video, other, _report(12, session_id="session-b")) == [False, True]
            assert await _views(runtime, video) == 2

            # past view_expiration, the same viewer starts a new viewing that counts again
            async with runtime.db.transaction() as session:
                await session.execute(sa.update(VideoViewer).where(VideoViewer.video_id == video.id).values(
                    expires_at=utcnow() - timedelta(seconds=1)))
            assert await _watch(runtime, video, _report(30), _report(35)) == [False, False]
            row = await _viewer(runtime, video, _report(0))
            assert (row.watch_time, row.counted) == (5, False)
            assert row.expires_at > utcnow()
            assert await _watch(runtime, video, _report(40)) == [True]
            assert await _views(runtime, video) == 3

    run(scenario())


def test_a_short_video_counts_once_more_than_half_is_watched(views_config):
    async def scenario():
        async with open_runtime(views_config) as runtime:
            video = await _new_video(runtime, duration=4)
            assert await _watch(runtime, video, _report(0), _report(2), _report(3)) == [False, False, True]
            assert await _views(runtime, video) == 1

    run(scenario())


def test_viewer_identity_follows_trust_viewer_session_id(views_config):
    trusting = views_config
    distrusting = views_config.with_overrides({"views": {"videos": {"trust_viewer_session_id": False}}})
    a, b = _report(0, session_id="aaa"), _report(0, session_id="bbb")
    other_ip = _report(0, session_id="aaa", ip="10.0.0.2")
    assert views.viewer_key(SECRET, trusting, a) != views.viewer_key(SECRET, trusting, b)
    assert views.viewer_key(SECRET, trusting, a) == views.viewer_key(SECRET, trusting, other_ip)
    assert views.viewer_key(SECRET, distrusting, a) == views.viewer_key(SECRET, distrusting, b)
    assert views.viewer_key(SECRET, distrusting, a) != views.viewer_key(SECRET, distrusting, other_ip)
    # without a session id the IP identifies the viewer; the IP itself is not stored
    no_session = views.viewer_key(SECRET, trusting, _report(0, session_id=None))
    assert "10.0.0.1" not in no_session and len(no_session) == 64
    assert views.viewer_key("another-secret", trusting, a) != views.viewer_key(SECRET, trusting, a)


def test_concurrent_reports_of_one_viewer_count_one_view(views_config):
    async def scenario():
        async with open_runtime(views_config) as runtime:
            video = await _new_video(runtime, duration=600)
            await _watch(runtime, video, _report(0))

            async def report():
                async with runtime.db.transaction() as session:
                    return await views.record_watching(session, runtime.config, SECRET, video, None,
                                                       _report(20))

            results = await asyncio.gather(*(report() for _ in range(8)))
            assert results.count(True) == 1
            assert await _views(runtime, video) == 1

    run(scenario())


async def _history(runtime, user: User, video: Video) -> UserVideoHistory | None:
    async with runtime.db.session(write=False) as session:
        return (await session.execute(sa.select(UserVideoHistory).where(
            UserVideoHistory.user_id == user.id, UserVideoHistory.video_id == video.id))).scalar_one_or_none()


def test_history_keeps_the_last_position_of_users_who_enabled_it(views_config):
    async def scenario():
        async with open_runtime(views_config) as runtime:
            video = await _new_video(runtime, duration=600)
            async with runtime.db.session(write=False) as session:
                root = (await session.execute(sa.select(User).where(User.username == "root"))).scalar_one()
            await _watch(runtime, video, _report(7), _report(42), user=root)
            first = await _history(runtime, root, video)
            assert first.current_time == 42
            await _watch(runtime, video, _report(3), user=root)
            again = await _history(runtime, root, video)
            assert again.current_time == 3 and again.updated_at >= first.updated_at

            root.videos_history_enabled = False
            other = await _new_video(runtime, duration=600)
            await _watch(runtime, other, _report(9), user=root)
            assert await _history(runtime, root, other) is None

    run(scenario())


def test_the_clean_up_job_removes_expired_viewings_only(views_config):
    load_handlers()

    async def scenario():
        async with open_runtime(views_config) as runtime:
            video = await _new_video(runtime, duration=600)
            await _watch(runtime, video, _report(0, session_id="old"), _report(0, session_id="current"))
            old_key = views.viewer_key(SECRET, runtime.config, _report(0, session_id="old"))
            async with runtime.db.transaction() as session:
                await session.execute(sa.update(VideoViewer).where(VideoViewer.viewer == old_key).values(
                    expires_at=utcnow() - timedelta(minutes=1)))
                job = enqueue(session, "remove-expired-viewers")
            async with running_worker(runtime, ["remove-expired-viewers"]):
                async def finished():
                    async with runtime.db.session(write=False) as session:
                        row = await session.get(Job, job.id)
                        return row if row.state in (JobState.COMPLETED, JobState.FAILED) else None
                done = await wait_until(finished)
            assert done.state == JobState.COMPLETED and done.result["removed"] >= 1
            async with runtime.db.session(write=False) as session:
                left = set((await session.execute(sa.select(VideoViewer.viewer).where(
                    VideoViewer.video_id == video.id))).scalars())
            assert old_key not in left
            assert views.viewer_key(SECRET, runtime.config, _report(0, session_id="current")) in left

    run(scenario())
