"""Video Stats: viewers report their watching through `POST /videos/{id}/views`, then the owner's
overall figures, retention, time series and user agents agree with what was reported. The clip lasts
4 s; the reports of the two viewers interleave, so their sessions overlap."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tests.support.interactions import published_video, video_json
from tests.support.video_files import fetch


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"stats_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def watched(server, owner):
    """A video watched by two viewers (4 s and 2 s) and opened by a third who watched nothing."""
    video = published_video(owner)
    first, second, third = (f"s{uuid.uuid4().hex}" for _ in range(3))
    agent = {"client": "Vidpub tests", "device": "desktop", "operatingSystem": "Linux"}
    for session_id, body in ((first, {"currentTime": 0, **agent}), (second, {"currentTime": 0, "device": "mobile"}),
                             (first, {"currentTime": 2}), (second, {"currentTime": 1}),
                             (second, {"currentTime": 3, "viewEvent": "seek"}), (first, {"currentTime": 4}),
                             (second, {"currentTime": 4}), (third, {"currentTime": 0})):
        response = server.anonymous.post(f"/api/v1/videos/{video['uuid']}/views",
                                         json={"sessionId": session_id, **body})
        assert response.status_code == 204, response.text
    return video


def stats_of(client, video, what: str, **params) -> dict:
    response = client.get(f"/api/v1/videos/{video['uuid']}/stats/{what}", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def parse(date: str) -> datetime:
    return datetime.fromisoformat(date.replace("Z", "+00:00"))


def test_overall_figures_add_up_the_reports(owner, watched):
    before = datetime.now(UTC)
    overall = stats_of(owner, watched, "overall")
    peak_date = overall.pop("viewersPeakDate")
    assert overall == {"averageWatchTime": 3, "totalWatchTime": 6, "totalViewers": 2, "viewersPeak": 2,
                       "countries": [], "subdivisions": []}
    assert peak_date.endswith("Z") and parse(peak_date) <= before


def test_date_filters_of_the_overall_figures(owner, watched):
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    assert stats_of(owner, watched, "overall", startDate=tomorrow) == {
        "averageWatchTime": 0, "totalWatchTime": 0, "totalViewers": 0, "viewersPeak": 0, "viewersPeakDate": None,
        "countries": [], "subdivisions": []}
    assert stats_of(owner, watched, "overall", endDate=yesterday)["totalViewers"] == 0
    within = stats_of(owner, watched, "overall", startDate=yesterday, endDate=tomorrow)
    assert (within["totalViewers"], within["totalWatchTime"], within["viewersPeak"]) == (2, 6, 2)


def test_retention_per_second(owner, watched):
    # the first viewer watched 0-4 s, the second 0-1 s then 3-4 s
    assert stats_of(owner, watched, "retention") == {"data": [
        {"second": 0, "retentionPercent": 100}, {"second": 1, "retentionPercent": 100},
        {"second": 2, "retentionPercent": 50}, {"second": 3, "retentionPercent": 100},
        {"second": 4, "retentionPercent": 100}]}


def test_time_series_since_the_upload(owner, watched):
    created = parse(video_json(owner, watched["uuid"])["createdAt"])
    viewers = stats_of(owner, watched, "timeseries/viewers")
    assert viewers["groupInterval"] == "1 minute"
    dates = [parse(point["date"]) for point in viewers["data"]]
    assert dates[0] == created.replace(second=0, microsecond=0)
    assert all(later - earlier == timedelta(minutes=1) for earlier, later in zip(dates, dates[1:]))
    assert max(point["value"] for point in viewers["data"]) == 2  # the sessions overlap
    watch_time = stats_of(owner, watched, "timeseries/aggregateWatchTime")
    assert sum(point["value"] for point in watch_time["data"]) == 6  # each session counted once


def test_time_series_over_a_given_range(owner, watched):
    now = datetime.now(UTC)
    series = stats_of(owner, watched, "timeseries/viewers", startDate=(now - timedelta(days=20)).isoformat(),
                      endDate=now.isoformat())
    assert series["groupInterval"] == "1 day"
    assert len(series["data"]) == 21
    assert series["data"][-1]["value"] == 2
    assert parse(series["data"][0]["date"]) == (now - timedelta(days=20)).replace(hour=0, minute=0, second=0,
                                                                                microsecond=0)


def test_downloads_time_series(owner):
    video = published_video(owner)
    assert sum(p["value"] for p in stats_of(owner, video, "timeseries/downloads")["data"]) == 0
    details = video_json(owner, video["uuid"])
    files = details["files"] or details["streamingPlaylists"][0]["files"]
    assert fetch(owner, files[0]["fileDownloadUrl"]).status_code == 200
    series = stats_of(owner, video, "timeseries/downloads")
    assert sum(point["value"] for point in series["data"]) == 1


def test_user_agents_of_the_viewers(owner, watched):
    assert stats_of(owner, watched, "user-agent") == {
        "clients": [{"name": "Vidpub tests", "viewers": 1}],
        "devices": [{"name": "desktop", "viewers": 1}, {"name": "mobile", "viewers": 1}],
        "operatingSystems": [{"name": "Linux", "viewers": 1}]}


def test_a_video_nobody_watched(owner):
    video = published_video(owner)
    assert stats_of(owner, video, "overall")["viewersPeakDate"] is None
    assert {p["retentionPercent"] for p in stats_of(owner, video, "retention")["data"]} == {0}
    assert {p["value"] for p in stats_of(owner, video, "timeseries/viewers")["data"]} == {0}


def test_moderators_see_the_stats_of_any_video(server, watched):
    moderator = server.create_user(f"stats_mod_{uuid.uuid4().hex[:8]}", role=1)
    for client in (moderator, server.root):
        assert stats_of(client, watched, "overall")["totalViewers"] == 2
        assert len(stats_of(client, watched, "retention")["data"]) == 5
