"""Video statistics on a real database of each backend: viewing sessions and their watch sections as
reports arrive, then the figures computed from them. Every report carries its own date, so sessions
are laid out on a known timeline and nothing depends on the clock."""

from __future__ import annotations

import asyncio
import uuid as uuid_module
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run
from vidpub.db.base import utcnow
from vidpub.db.models import LocalVideoViewer, LocalVideoViewerWatchSection, Video, VideoChannel
from vidpub.errors import ProblemError
from vidpub.services.videos import stats, stats_recording
from vidpub.services.videos.views import WatchReport

T0 = datetime(2031, 3, 4, 10, 0, tzinfo=UTC)  # on a minute (and hour) boundary


@pytest.fixture(scope="module")
def stats_config(database_url_factory, tmp_path_factory):
    return make_database(database_url_factory(), tmp_path_factory.mktemp("stats-data"))


async def _new_video(runtime, duration: int = 600, is_live: bool = False) -> Video:
    async with runtime.db.transaction() as session:
        channel_id = (await session.execute(sa.select(VideoChannel.id).limit(1))).scalar_one()
        video_uuid = str(uuid_module.uuid4())
        video = Video(uuid=video_uuid, name="stats test", privacy=1, url=f"http://localhost/videos/watch/{video_uuid}",
                      channel_id=channel_id, state=1, published_at=utcnow(), duration=duration, is_live=is_live)
        session.add(video)
    return video


def _report(position: int, *, seek: bool = False, client: str | None = None, device: str | None = None,
            operating_system: str | None = None) -> WatchReport:
    return WatchReport(current_time=position, seek=seek, session_id=None, ip=None, client=client, device=device,
                       operating_system=operating_system)


async def _watch(runtime, video: Video, viewer: str, *steps: tuple[datetime, WatchReport]) -> None:
    for at, report in steps:
        async with runtime.db.transaction() as session:
            await stats_recording.record_session(session, runtime.config, video.id, viewer, report, at)


async def _session_rows(runtime, video: Video) -> list[LocalVideoViewer]:
    async with runtime.db.session(write=False) as session:
        return list((await session.execute(sa.select(LocalVideoViewer).where(
            LocalVideoViewer.video_id == video.id).order_by(LocalVideoViewer.id))).scalars())


async def _sections(runtime, viewer_row: LocalVideoViewer) -> list[tuple[int, int, int]]:
    S = LocalVideoViewerWatchSection
    async with runtime.db.session(write=False) as session:
        rows = await session.execute(sa.select(S.position, S.watch_start, S.watch_end).where(
            S.viewer_id == viewer_row.id).order_by(S.position))
        return [tuple(row) for row in rows]


def at(seconds: int) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_session_keeps_its_watch_sections_and_watch_time(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _new_video(runtime)
            await _watch(runtime, video, "viewer-a",
                         (at(0), _report(0, client="Firefox", device="desktop", operating_system="Linux")),
                         (at(5), _report(5, client="Chrome")),
                         (at(6), _report(100, seek=True)), (at(10), _report(104)),
                         (at(11), _report(50)), (at(14), _report(53)))
            [row] = await _session_rows(runtime, video)
            assert row.watch_time == 5 + 4 + 3
            assert (row.start_date, row.end_date) == (at(0), at(14))
            assert (row.client, row.device, row.operating_system) == ("Firefox", "desktop", "Linux")
            assert await _sections(runtime, row) == [(1, 0, 5), (2, 100, 104), (3, 50, 53)]
            assert row.url == f"{runtime.config.url}/videos/local-viewer/{row.uuid}"
            assert row.country is None and row.subdivision_name is None

    run(scenario())


def test_a_viewer_silent_for_an_hour_starts_a_new_session(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _new_video(runtime)
            await _watch(runtime, video, "viewer-b", (at(0), _report(0)), (at(20), _report(20)),
                         (at(20 + 3599), _report(30)))  # still the same session
            await _watch(runtime, video, "viewer-b", (at(20 + 3599 + 3601), _report(40)),
                         (at(20 + 3599 + 3611), _report(50)))
            first, second = await _session_rows(runtime, video)
            assert (first.viewer, first.watch_time, first.end_date) == (None, 30, at(3619))
            assert (second.viewer, second.watch_time, second.start_date) == ("viewer-b", 10, at(7220))
            assert await _sections(runtime, second) == [(1, 40, 50)]

    run(scenario())


def test_past_a_hundred_sections_reports_are_ignored(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _new_video(runtime)
            steps = []
            for index in range(stats_recording.MAX_WATCH_SECTIONS):
                steps += [(at(2 * index), _report(index * 5, seek=True)), (at(2 * index + 1), _report(index * 5 + 1))]
            await _watch(runtime, video, "viewer-c", *steps)
            # as in PeerTube, the report that opened the hundredth section is the last one taken
            [row] = await _session_rows(runtime, video)
            assert (row.section_count, row.watch_time, row.end_date) == (100, 99, at(198))
            await _watch(runtime, video, "viewer-c", (at(300), _report(590, seek=True)), (at(301), _report(595)),
                         (at(302), _report(499)))
            [row] = await _session_rows(runtime, video)
            assert (row.section_count, row.watch_time, row.end_date) == (100, 99, at(198))
            sections = await _sections(runtime, row)
            assert len(sections) == 100 and sections[-1] == (100, 495, 495)

    run(scenario())


def test_concurrent_reports_of_one_viewer_share_one_session(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _new_video(runtime)
            await _watch(runtime, video, "viewer-d", (at(0), _report(0)))

            async def report():
                async with runtime.db.transaction() as session:
                    await stats_recording.record_session(session, runtime.config, video.id, "viewer-d",
                                                         _report(9), at(9))

            await asyncio.gather(*(report() for _ in range(8)))
            [row] = await _session_rows(runtime, video)
            assert row.watch_time == 9
            assert await _sections(runtime, row) == [(1, 0, 9)]

    run(scenario())


def test_ended_sessions_lose_their_viewer_key(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _new_video(runtime)
            now = utcnow()
            await _watch(runtime, video, "old", (now - timedelta(hours=2), _report(0)))
            await _watch(runtime, video, "current", (now - timedelta(minutes=5), _report(0)))
            async with runtime.db.transaction() as session:
                assert await stats_recording.forget_ended_sessions(session, now) >= 1
            assert [row.viewer for row in await _session_rows(runtime, video)] == [None, "current"]

    run(scenario())


async def _timeline(runtime) -> Video:
    """Four viewers of a 10-second video: A [0 s, 10 s] watching 10 s, B [5 s, 30 s] watching 5 s,
    C [20 s, 25 s] watching 3 s, D [50 s, 70 s] watching 4 s; E only opened the player."""
    video = await _new_video(runtime, duration=10)
    await _watch(runtime, video, "A", (at(0), _report(0, client="Firefox", device="desktop")),
                 (at(10), _report(10)))
    await _watch(runtime, video, "B", (at(5), _report(0, client="Firefox", device="mobile")),
                 (at(30), _report(5)))
    await _watch(runtime, video, "C", (at(20), _report(2, device="mobile")), (at(25), _report(5)))
    await _watch(runtime, video, "D", (at(50), _report(6, seek=True)), (at(70), _report(10)))
    await _watch(runtime, video, "E", (at(60), _report(0)))
    return video


def test_overall_figures(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _timeline(runtime)
            async with runtime.db.session(write=False) as session:
                everything = await stats.overall(session, video, stats.DateRange())
                from_8s = await stats.overall(session, video, stats.DateRange(start=at(8)))
                until_40s = await stats.overall(session, video, stats.DateRange(end=at(40)))
                later = await stats.overall(session, video, stats.DateRange(start=at(100)))
            assert everything == {
                "averageWatchTime": 6, "totalWatchTime": 22, "totalViewers": 4,  # E watched nothing
                "viewersPeak": 2, "viewersPeakDate": at(5), "countries": [], "subdivisions": []}
            # viewers overlapping the range; watch time of the sessions inside it; the peak counts the
            # two viewers already there at 8 s, and is reached again at 20 s
            assert (from_8s["totalViewers"], from_8s["totalWatchTime"], from_8s["averageWatchTime"]) == (4, 7, 4)
            assert (from_8s["viewersPeak"], from_8s["viewersPeakDate"]) == (2, at(20))
            assert (until_40s["totalViewers"], until_40s["totalWatchTime"]) == (3, 18)
            assert (later["totalViewers"], later["viewersPeak"], later["viewersPeakDate"]) == (0, 0, None)

    run(scenario())


def test_user_agents(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _timeline(runtime)
            async with runtime.db.session(write=False) as session:
                agents = await stats.user_agents(session, video, stats.DateRange())
                after_c = await stats.user_agents(session, video, stats.DateRange(start=at(26)))
            assert agents == {"clients": [{"name": "Firefox", "viewers": 2}],
                              "devices": [{"name": "mobile", "viewers": 2}, {"name": "desktop", "viewers": 1}],
                              "operatingSystems": []}
            assert after_c["devices"] == [{"name": "mobile", "viewers": 1}]

    run(scenario())


def test_retention_is_the_share_of_viewers_on_each_second(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _timeline(runtime)
            live = await _new_video(runtime, is_live=True)
            async with runtime.db.session(write=False) as session:
                result = await stats.retention(session, video)
                with pytest.raises(ProblemError) as refused:
                    await stats.retention(session, live)
            watching = {0: 2, 1: 2, 2: 3, 3: 3, 4: 3, 5: 3, 6: 2, 7: 2, 8: 2, 9: 2, 10: 2}  # A, B, C, D
            assert result == {"data": [{"second": second, "retentionPercent": count / 4 * 100}
                                       for second, count in watching.items()]}
            assert refused.value.status == 400

    run(scenario())


def test_retention_samples_about_a_hundred_points(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _new_video(runtime, duration=1250)
            async with runtime.db.session(write=False) as session:
                result = await stats.retention(session, video)
            seconds = [point["second"] for point in result["data"]]
            assert seconds == list(range(0, 1251, 13))  # a step of round(12.5) = 13 s
            assert {point["retentionPercent"] for point in result["data"]} == {0}

    run(scenario())


def test_time_series_by_minute(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _timeline(runtime)
            dates = stats.DateRange(start=at(30), end=at(3 * 60))
            async with runtime.db.session(write=False) as session:
                viewers = await stats.timeserie(session, video, "viewers", dates)
                watch_time = await stats.timeserie(session, video, "aggregateWatchTime", dates)
                downloads = await stats.timeserie(session, video, "downloads", dates)
            minutes = [at(0), at(60), at(120), at(180)]  # the start is truncated to its minute
            assert viewers == {"groupInterval": "1 minute", "data": [
                {"date": minute, "value": value} for minute, value in zip(minutes, [4, 1, 0, 0])]}
            assert [point["value"] for point in watch_time["data"]] == [18, 4, 0, 0]
            assert [point["value"] for point in downloads["data"]] == [0, 0, 0, 0]

    run(scenario())


def test_downloads_by_minute_hour_and_day(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            video = await _new_video(runtime)
            async with runtime.db.transaction() as session:
                for moment in (T0, T0 + timedelta(minutes=59), T0 + timedelta(hours=1), T0 + timedelta(days=1)):
                    await stats_recording.record_download(session, video.id, moment)
            async with runtime.db.session(write=False) as session:
                hourly = await stats.timeserie(session, video, "downloads",
                                               stats.DateRange(T0, T0 + timedelta(hours=20)))
                daily = await stats.timeserie(session, video, "downloads",
                                              stats.DateRange(T0, T0 + timedelta(days=20)))
                by_minute = await stats.timeserie(session, video, "downloads", stats.DateRange(at(30), at(150)))
            assert [point["value"] for point in by_minute["data"]] == [1, 0, 0]
            assert hourly["groupInterval"] == "1 hour"
            assert [point["value"] for point in hourly["data"][:3]] == [2, 1, 0]
            assert len(hourly["data"]) == 21
            assert daily["groupInterval"] == "1 day"
            assert daily["data"][0]["date"] == T0.replace(hour=0)
            assert [point["value"] for point in daily["data"][:3]] == [3, 1, 0]
            reversed_range = await _reversed(runtime, video)
            assert reversed_range == {"groupInterval": "1 minute", "data": []}

    run(scenario())


async def _reversed(runtime, video):
    async with runtime.db.session(write=False) as session:
        return await stats.timeserie(session, video, "viewers", stats.DateRange(at(60), at(0)))
