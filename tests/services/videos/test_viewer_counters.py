"""Current viewers across instances on a real database of each backend: our viewers within their
lifetime, the viewers peers tell us of until their `expires`, the origin's count of a remote video,
and when our viewers are sent again to peers."""

from __future__ import annotations

import uuid as uuid_module
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run
from vidpub.db.base import utcnow
from vidpub.db.models import Job, Video, VideoChannel, VideoRemoteViewer, VideoViewer
from vidpub.federation.video_jobs import REMOTE_VIEWER_JOB, VIEWERS_UPDATE_JOB
from vidpub.services.videos import viewer_counters, views

SECRET = "test-secret"
PEER = "https://peer.example/accounts/peertube/views/videos/12"


@pytest.fixture(scope="module")
def counters_config(database_url_factory, tmp_path_factory):
    return make_database(database_url_factory(), tmp_path_factory.mktemp("viewer-counters-data"))


async def _new_video(runtime, *, remote: bool = False, privacy: int = 1) -> Video:
    async with runtime.db.transaction() as session:
        channel_id = (await session.execute(sa.select(VideoChannel.id).limit(1))).scalar_one()
        video_uuid = str(uuid_module.uuid4())
        video = Video(uuid=video_uuid, name="viewers test", privacy=privacy, remote=remote,
                      url=f"http://{'origin.example' if remote else 'localhost'}/videos/watch/{video_uuid}",
                      channel_id=channel_id, state=1, published_at=utcnow(), duration=600)
        session.add(video)
    return video


async def _viewers(runtime, video: Video) -> int:
    async with runtime.db.session(write=False) as session:
        return await viewer_counters.total_viewers(session, video.id)


def _key(runtime, session_id: str) -> str:
    return views.viewer_key(SECRET, runtime.config, views.WatchReport(0, False, session_id, "10.0.0.1"))


async def _watch(runtime, video: Video, session_id: str, at: int = 0) -> None:
    report = views.WatchReport(current_time=at, seek=False, session_id=session_id, ip="10.0.0.1")
    async with runtime.db.transaction() as session:
        await views.record_watching(session, runtime.config, SECRET, video, None, report)


async def _peer_viewer(runtime, video: Video, viewer: str, expires_in: timedelta, origin_count: int | None = None):
    async with runtime.db.transaction() as session:
        return await viewer_counters.add_remote_viewer(session, video.id, f"{PEER}/{viewer}",
                                                       utcnow() + expires_in, origin_count)


async def _jobs(runtime, job_type: str, video: Video) -> list[dict]:
    async with runtime.db.session(write=False) as session:
        payloads = (await session.execute(sa.select(Job.payload).where(Job.type == job_type))).scalars()
        return [payload for payload in payloads if payload["videoId"] == video.id]


def test_our_viewers_and_the_peers_add_up_until_they_expire(counters_config):
    async def scenario():
        async with open_runtime(counters_config) as runtime:
            video = await _new_video(runtime)
            assert await _viewers(runtime, video) == 0
            await _watch(runtime, video, "a")
            await _watch(runtime, video, "b")
            assert await _peer_viewer(runtime, video, "x", timedelta(minutes=1))
            assert await _peer_viewer(runtime, video, "x", timedelta(minutes=1))  # the same viewer again
            assert not await _peer_viewer(runtime, video, "gone", timedelta(seconds=-1))
            assert await _viewers(runtime, video) == 3
            async with runtime.db.transaction() as session:  # b stopped reporting two minutes ago
                await session.execute(sa.update(VideoViewer).where(
                    VideoViewer.video_id == video.id, VideoViewer.viewer == _key(runtime, "b"))
                    .values(last_seen_at=utcnow() - viewer_counters.VIEWER_LIFETIME - timedelta(seconds=1)))
                await session.execute(sa.update(VideoRemoteViewer).where(VideoRemoteViewer.video_id == video.id)
                                      .values(expires_at=utcnow() - timedelta(seconds=1)))
            assert await _viewers(runtime, video) == 1
            async with runtime.db.transaction() as session:
                assert await viewer_counters.remove_expired_remote_viewers(session) >= 1

    run(scenario())


def test_a_list_counts_each_video_its_own_viewers(counters_config):
    async def scenario():
        async with open_runtime(counters_config) as runtime:
            watched, busier, quiet = [await _new_video(runtime) for _ in range(3)]
            await _watch(runtime, watched, "one")
            for viewer in ("one", "two"):
                await _watch(runtime, busier, viewer)
            await _peer_viewer(runtime, busier, "far", timedelta(minutes=1))
            ids = [watched.id, busier.id, quiet.id]
            now = utcnow()
            async with runtime.db.session(write=False) as session:
                rows = await session.execute(sa.select(Video.id, viewer_counters.viewers_of(
                    Video.id, now, now - viewer_counters.VIEWER_LIFETIME)).where(Video.id.in_(ids)))
                assert dict(rows.all()) == {watched.id: 1, busier.id: 3, quiet.id: 0}

    run(scenario())


def test_a_peer_cannot_pin_a_viewer_for_long(counters_config):
    async def scenario():
        async with open_runtime(counters_config) as runtime:
            video = await _new_video(runtime)
            await _peer_viewer(runtime, video, "forever", timedelta(days=365))
            async with runtime.db.session(write=False) as session:
                expires = (await session.execute(sa.select(VideoRemoteViewer.expires_at).where(
                    VideoRemoteViewer.video_id == video.id))).scalar_one()
            assert expires <= utcnow() + viewer_counters.MAX_REMOTE_LIFETIME

    run(scenario())


def test_the_origin_count_of_a_remote_video_replaces_what_we_knew(counters_config):
    async def scenario():
        async with open_runtime(counters_config) as runtime:
            video = await _new_video(runtime, remote=True)
            await _watch(runtime, video, "here")
            await _peer_viewer(runtime, video, "forwarded", timedelta(minutes=1))
            assert await _viewers(runtime, video) == 2
            # the origin counts every viewer, ours included (we told it of them)
            await _peer_viewer(runtime, video, "summary", timedelta(minutes=2), origin_count=7)
            assert await _viewers(runtime, video) == 7
            await _peer_viewer(runtime, video, "forwarded-later", timedelta(minutes=1))
            assert await _viewers(runtime, video) == 8
            await _peer_viewer(runtime, video, "summary", timedelta(minutes=2), origin_count=4)
            assert await _viewers(runtime, video) == 4
            # the origin's count gone, our own viewers count again
            await _peer_viewer(runtime, video, "summary", timedelta(minutes=2), origin_count=0)
            assert await _viewers(runtime, video) == 1

    run(scenario())


def test_a_viewer_of_a_remote_video_reaches_its_origin_again_while_watching(counters_config):
    async def scenario():
        async with open_runtime(counters_config) as runtime:
            video = await _new_video(runtime, remote=True)
            for at in (0, 5, 10):
                await _watch(runtime, video, "watcher", at)
            [sent] = await _jobs(runtime, REMOTE_VIEWER_JOB, video)
            key = _key(runtime, "watcher")
            assert sent["viewer"] == viewer_counters.peer_viewer_id(key, video.uuid) != key
            async with runtime.db.transaction() as session:
                await session.execute(sa.update(VideoViewer).where(VideoViewer.video_id == video.id).values(
                    federated_at=utcnow() - viewer_counters.FEDERATE_AGAIN_AFTER))
            await _watch(runtime, video, "watcher", 15)
            assert len(await _jobs(runtime, REMOTE_VIEWER_JOB, video)) == 2

    run(scenario())


def test_the_followers_of_a_local_video_hear_of_its_viewers_if_it_is_federated(counters_config):
    async def scenario():
        async with open_runtime(counters_config) as runtime:
            public = await _new_video(runtime)
            private = await _new_video(runtime, privacy=3)
            for video in (public, private):
                await _watch(runtime, video, "one")
                await _watch(runtime, video, "two")
            assert len(await _jobs(runtime, VIEWERS_UPDATE_JOB, public)) == 1  # one per interval
            assert await _jobs(runtime, VIEWERS_UPDATE_JOB, private) == []

    run(scenario())
