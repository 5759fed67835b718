"""Video Stats: only the owner of the video and those who may see every video read its statistics;
bad dates, metrics and ranges are 400 naming what is wrong."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video

ENDPOINTS = ("overall", "retention", "timeseries/viewers", "timeseries/aggregateWatchTime",
             "timeseries/downloads", "user-agent")
WITH_DATES = ("overall", "timeseries/viewers", "user-agent")


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"statsp_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def video(owner):
    return published_video(owner)


def url(video, what: str) -> str:
    return f"/api/v1/videos/{video['uuid']}/stats/{what}"


def assert_problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    if field:
        assert field in body["invalid-params"], body
    return body


@pytest.mark.parametrize("what", ENDPOINTS)
def test_who_may_read_the_stats(server, owner, video, what):
    assert_problem(server.anonymous.get(url(video, what)), 401)
    stranger = server.create_user(f"statsp_other_{uuid.uuid4().hex[:8]}")
    body = assert_problem(stranger.get(url(video, what)), 403)
    assert body["detail"] == "Cannot manage a video of another user"
    assert owner.get(url(video, what)).status_code == 200
    assert server.root.get(url(video, what)).status_code == 200


@pytest.mark.parametrize("what", ENDPOINTS)
def test_unknown_video_is_404(server, what):
    for ref in ("999999", str(uuid.uuid4()), "not-a-video"):
        assert_problem(server.root.get(f"/api/v1/videos/{ref}/stats/{what}"), 404)


def test_unknown_metric(server, video):
    assert_problem(server.root.get(url(video, "timeseries/likes")), 400, "metric")


@pytest.mark.parametrize("what", WITH_DATES)
@pytest.mark.parametrize("field,value", [
    ("startDate", "yesterday"), ("endDate", "2024-13-01"), ("startDate", "2024-01-01T25:00:00Z"),
    ("endDate", "0001-01-01"), ("startDate", "9999-12-31T23:59:59Z"), ("endDate", "x" * 65),
])
def test_bad_dates_name_the_field(owner, video, what, field, value):
    assert_problem(owner.get(url(video, what), params={field: value}), 400, field)


@pytest.mark.parametrize("params", [{"startDate": "2024-01-01T00:00:00Z"}, {"endDate": "2024-01-01T00:00:00Z"}])
def test_a_time_series_takes_both_dates_or_none(owner, video, params):
    body = assert_problem(owner.get(url(video, "timeseries/viewers"), params=params), 400)
    assert "Both start date and end date" in body["detail"]


def test_a_time_series_covers_ten_years_at_most(owner, video):
    too_long = {"startDate": "2010-01-01T00:00:00Z", "endDate": "2020-01-02T00:00:00Z"}
    assert_problem(owner.get(url(video, "timeseries/viewers"), params=too_long), 400)
    ten_years = {"startDate": "2010-01-01T00:00:00Z", "endDate": "2019-12-29T00:00:00Z"}
    response = owner.get(url(video, "timeseries/viewers"), params=ten_years)
    assert response.status_code == 200, response.text
    assert response.json()["groupInterval"] == "6 months"


def test_dates_in_any_iso_8601_form(owner, video):
    for params in ({"startDate": "2024-01-01", "endDate": "2024-01-02"},
                   {"startDate": "2024-01-01T10:00:00+02:00", "endDate": "2024-01-01T12:00:00.250Z"}):
        assert owner.get(url(video, "timeseries/viewers"), params=params).status_code == 200
        assert owner.get(url(video, "overall"), params=params).status_code == 200
