"""Video Stats: overall figures, retention, time series and user agents of a video's viewers.

The 7.0 spec and PeerTube 8's types agree but for fields the spec lacks (`totalViewers`,
`subdivisions`, `groupInterval`, the user-agent figures): the union is answered."""

from __future__ import annotations

from datetime import UTC, datetime

from vidpub.errors import invalid_param
from vidpub.schemas.common import ApiModel, Timestamp

# dates a few months away from datetime's limits, so that interval arithmetic cannot overflow
MIN_YEAR, MAX_YEAR = 2, 9998


class CountryViewers(ApiModel):
    isoCode: str
    viewers: int


class NamedViewers(ApiModel):
    name: str
    viewers: int


class VideoStatsOverall(ApiModel):
    averageWatchTime: int       # seconds, rounded
    totalWatchTime: int         # seconds
    totalViewers: int
    viewersPeak: int
    viewersPeakDate: Timestamp | None  # null when nobody watched
    countries: list[CountryViewers]
    subdivisions: list[NamedViewers]


class RetentionPoint(ApiModel):
    second: int
    retentionPercent: float


class VideoStatsRetention(ApiModel):
    data: list[RetentionPoint]


class TimeseriePoint(ApiModel):
    date: Timestamp  # start of the interval
    value: int


class VideoStatsTimeserie(ApiModel):
    groupInterval: str  # "1 minute", "10 minutes", "1 hour", ... "6 months"
    data: list[TimeseriePoint]


class VideoStatsUserAgent(ApiModel):
    clients: list[NamedViewers]
    devices: list[NamedViewers]
    operatingSystems: list[NamedViewers]


def parse_date(field: str, value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time of the query string (UTC unless it says otherwise)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise invalid_param(field, value, "Should have a valid ISO 8601 date", "query") from None
    if not MIN_YEAR <= moment.year <= MAX_YEAR:
        raise invalid_param(field, value, f"Should be a date between the years {MIN_YEAR} and {MAX_YEAR}", "query")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
