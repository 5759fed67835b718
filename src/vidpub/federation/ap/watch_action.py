"""`WatchAction` documents both ways: one viewer's session on a video, with its watch sections
(PeerTube's viewer statistics, sent by the viewer's instance to the video's origin)."""

from __future__ import annotations

import uuid as uuid_lib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vidpub.federation.ap.common import InvalidObject, iso, object_id, optional_id, parse_date
from vidpub.federation.ap.video import iso_duration
from vidpub.federation.ap.video_parse import parse_duration

COMPLETED = "CompletedActionStatus"
MAX_SECTIONS = 100  # PeerTube's MAX_LOCAL_VIEWER_WATCH_SECTIONS
MAX_TIMESTAMP = 2**31 - 1


def watch_action_to_ap(*, url: str, viewer_uuid: str, video_url: str, start: datetime, end: datetime,
                       watch_time: int, sections: list[tuple[int, int]], country: str | None = None,
                       region: str | None = None) -> dict:
    document: dict[str, Any] = {
        "id": url, "type": "WatchAction", "startTime": iso(start), "endTime": iso(end), "uuid": viewer_uuid,
        "object": video_url, "actionStatus": COMPLETED, "duration": iso_duration(watch_time),
        "watchSections": [{"startTimestamp": start_at, "endTimestamp": end_at} for start_at, end_at in sections],
    }
    if country:
        document["location"] = {"addressCountry": country, "addressRegion": region or ""}
    return document


@dataclass
class WatchActionFields:
    id: str
    uuid: str
    video_url: str
    start: datetime
    end: datetime
    watch_time: int
    sections: list[tuple[int, int]]
    country: str | None
    region: str | None


def _timestamp(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= MAX_TIMESTAMP:
        raise InvalidObject("watchSections: seconds of the video are required")
    return int(value)


def _text(value: Any, limit: int = 255) -> str | None:
    return value.strip()[:limit] or None if isinstance(value, str) else None


def watch_action_from_ap(doc: Any) -> WatchActionFields:
    """Validate a received `WatchAction`; raises InvalidObject (also for one not completed)."""
    if not isinstance(doc, dict) or doc.get("type") != "WatchAction":
        raise InvalidObject("a WatchAction object is required")
    if doc.get("actionStatus") != COMPLETED:
        raise InvalidObject("actionStatus: only completed watch actions are kept")
    try:
        viewer_uuid = str(uuid_lib.UUID(str(doc.get("uuid"))))
    except ValueError:
        raise InvalidObject("uuid: a UUID is required") from None
    video_url = optional_id(doc.get("object"))
    if not video_url:
        raise InvalidObject("object: the video's URL is required")
    sections = doc.get("watchSections") or []
    if not isinstance(sections, list) or len(sections) > MAX_SECTIONS:
        raise InvalidObject("watchSections: a list of at most 100 sections is required")
    parsed = []
    for section in sections:
        if not isinstance(section, dict):
            raise InvalidObject("watchSections: objects are required")
        parsed.append((_timestamp(section.get("startTimestamp")), _timestamp(section.get("endTimestamp"))))
    start, end = parse_date(doc.get("startTime"), "startTime"), parse_date(doc.get("endTime"), "endTime")
    if end < start:
        raise InvalidObject("endTime: before startTime")
    location = doc.get("location") if isinstance(doc.get("location"), dict) else {}
    return WatchActionFields(
        id=object_id(doc.get("id"), "id"), uuid=viewer_uuid, video_url=video_url, start=start, end=end,
        watch_time=parse_duration(doc.get("duration")), sections=parsed,
        country=_text(location.get("addressCountry")), region=_text(location.get("addressRegion")))
