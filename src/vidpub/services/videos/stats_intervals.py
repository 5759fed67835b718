"""The intervals a video statistics time series is grouped by, as PeerTube picks them: the wider the
range, the coarser the interval (one minute up to six months), the first interval starting at the
range's start truncated to the interval's unit, the last one at or before the range's end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

A_MINUTE = 60
AN_HOUR = 3600
A_DAY = 86400
A_MONTH = 31 * A_DAY
A_YEAR = 365 * A_DAY

MAX_RANGE_DAYS = 365 * 10  # PeerTube's STATS_TIMESERIE.MAX_DAYS


@dataclass(frozen=True)
class GroupInterval:
    amount: int
    unit: str  # minute | hour | day | month

    @property
    def label(self) -> str:
        """PostgreSQL's spelling, which PeerTube answers as `groupInterval` ("1 day", "10 minutes")."""
        return f"{self.amount} {self.unit}{'s' if self.amount > 1 else ''}"

    def after(self, start: datetime) -> datetime:
        if self.unit == "month":
            months = start.month - 1 + self.amount
            # a truncated start is the first of a month: no day overflows into the next month
            return start.replace(year=start.year + months // 12, month=months % 12 + 1)
        seconds = {"minute": A_MINUTE, "hour": AN_HOUR, "day": A_DAY}[self.unit]
        return start + timedelta(seconds=self.amount * seconds)

    def truncate(self, moment: datetime) -> datetime:
        if self.unit == "month":
            return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        if self.unit == "day":
            return moment.replace(hour=0, minute=0, second=0, microsecond=0)
        if self.unit == "hour":
            return moment.replace(minute=0, second=0, microsecond=0)
        return moment.replace(second=0, microsecond=0)


# (smallest range in seconds, interval), widest first
_LADDER = (
    (6 * A_YEAR, GroupInterval(6, "month")),
    (2 * A_YEAR, GroupInterval(1, "month")),
    (6 * A_MONTH, GroupInterval(7, "day")),
    (2 * A_MONTH, GroupInterval(2, "day")),
    (15 * A_DAY, GroupInterval(1, "day")),
    (8 * A_DAY, GroupInterval(12, "hour")),
    (4 * A_DAY, GroupInterval(6, "hour")),
    (15 * AN_HOUR, GroupInterval(1, "hour")),
    (180 * A_MINUTE, GroupInterval(10, "minute")),
)


def group_interval(start: datetime, end: datetime) -> GroupInterval:
    seconds = (end - start).total_seconds()
    for smallest, interval in _LADDER:
        if seconds >= smallest:
            return interval
    return GroupInterval(1, "minute")


def buckets(start: datetime, end: datetime) -> tuple[GroupInterval, list[tuple[datetime, datetime]]]:
    """The interval for the range and its `(start, end)` buckets; none when `start` is after `end`.
    A range is at most `MAX_RANGE_DAYS` long when the caller gives it, so there are a few hundred
    buckets at most."""
    interval = group_interval(start, end)
    result = []
    moment = interval.truncate(start)
    while moment <= end:
        following = interval.after(moment)
        result.append((moment, following))
        moment = following
    return interval, result
