"""The grouping interval of video statistics time series: PeerTube's ladder, truncated starts, and
calendar months."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from vidpub.services.videos.stats_intervals import buckets, group_interval

START = datetime(2030, 5, 17, 13, 47, 29, 123000, tzinfo=UTC)


@pytest.mark.parametrize("length,label", [
    (timedelta(0), "1 minute"),
    (timedelta(minutes=179), "1 minute"),
    (timedelta(minutes=180), "10 minutes"),
    (timedelta(hours=15) - timedelta(seconds=1), "10 minutes"),
    (timedelta(hours=15), "1 hour"),
    (timedelta(days=4), "6 hours"),
    (timedelta(days=8), "12 hours"),
    (timedelta(days=15), "1 day"),
    (timedelta(days=62), "2 days"),
    (timedelta(days=6 * 31), "7 days"),
    (timedelta(days=2 * 365), "1 month"),
    (timedelta(days=6 * 365), "6 months"),
    (timedelta(days=10 * 365), "6 months"),
    (timedelta(days=-3), "1 minute"),
])
def test_the_interval_grows_with_the_range(length, label):
    assert group_interval(START, START + length).label == label


def test_minute_buckets_start_on_the_minute_and_include_the_end():
    interval, ranges = buckets(START, START + timedelta(minutes=2))
    assert interval.label == "1 minute"
    assert [start for start, _ in ranges] == [datetime(2030, 5, 17, 13, minute, tzinfo=UTC) for minute in (47, 48, 49)]
    assert all(end - start == timedelta(minutes=1) for start, end in ranges)


def test_ten_minute_buckets_keep_the_start_minute():
    _, ranges = buckets(START, START + timedelta(hours=4))
    assert ranges[0] == (datetime(2030, 5, 17, 13, 47, tzinfo=UTC), datetime(2030, 5, 17, 13, 57, tzinfo=UTC))
    assert len(ranges) == 25  # 13:47 to 17:47, both included


def test_day_and_hour_buckets_start_at_midnight_and_on_the_hour():
    assert buckets(START, START + timedelta(days=20))[1][0][0] == datetime(2030, 5, 17, tzinfo=UTC)
    assert buckets(START, START + timedelta(days=5))[1][0][0] == datetime(2030, 5, 17, 13, tzinfo=UTC)


def test_month_buckets_follow_the_calendar():
    interval, ranges = buckets(START, START + timedelta(days=3 * 365))
    assert interval.label == "1 month"
    assert ranges[0] == (datetime(2030, 5, 1, tzinfo=UTC), datetime(2030, 6, 1, tzinfo=UTC))
    assert ranges[8] == (datetime(2031, 1, 1, tzinfo=UTC), datetime(2031, 2, 1, tzinfo=UTC))
    assert len(ranges) == 37
    six, ranges = buckets(START, START + timedelta(days=10 * 365))
    assert six.label == "6 months"
    assert [start.month for start, _ in ranges[:4]] == [5, 11, 5, 11]


def test_a_reversed_range_has_no_bucket():
    assert buckets(START, START - timedelta(days=1))[1] == []
