"""The `Flag` activity: an abuse report sent to the instance that hosts what is reported
(peertube-internals §5.3). PeerTube's shape: `content` is the reason (markdown), `object` the reported
video, comment or account URL (a list is accepted), the predefined reasons are `Hashtag` tags, and a
video report may carry `startAt`/`endAt` (seconds). Its audience is only the flagged account."""

from __future__ import annotations

from dataclasses import dataclass

from vidpub.federation.ap.common import InvalidObject, as_list, object_id
from vidpub.federation.context import context_for
from vidpub.schemas.abuses import PREDEFINED_REASONS, REASON_MAX, REASON_MIN

MAX_FLAG_OBJECTS = 10


@dataclass
class FlagFields:
    id: str
    object_urls: list[str]
    reason: str
    predefined_reasons: list[int]
    start_at: int | None
    end_at: int | None


def flag_activity(*, flag_id: str, actor_url: str, flagged_actor_url: str, object_url: str, reason: str,
                  predefined_reasons: list[str], start_at: int | None = None, end_at: int | None = None) -> dict:
    activity = {
        "@context": context_for("Flag"), "type": "Flag", "id": flag_id, "actor": actor_url,
        "content": reason, "mediaType": "text/markdown", "object": object_url,
        "tag": [{"type": "Hashtag", "name": name} for name in predefined_reasons],
        "to": [flagged_actor_url], "cc": [],
    }
    if start_at is not None:
        activity["startAt"] = start_at
    if end_at is not None:
        activity["endAt"] = end_at
    return activity


def _timestamp(value) -> int | None:
    # PeerTube sends integer seconds; anything else is ignored rather than refusing the report
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31 else None


def parse_flag(activity: dict) -> FlagFields:
    """The usable fields of a received Flag; raises InvalidObject (the Flag is dropped), as PeerTube
    drops a Flag whose reason is not 2 to 3000 characters long."""
    flag_id = object_id(activity.get("id"), "id")
    reason = activity.get("content")
    if not isinstance(reason, str) or not REASON_MIN <= len(reason) <= REASON_MAX or "\x00" in reason:
        raise InvalidObject("content: a reason of 2 to 3000 characters is required")
    objects = [object_id(item) for item in as_list(activity.get("object"))[:MAX_FLAG_OBJECTS]]
    if not objects:
        raise InvalidObject("object: required")
    reasons = []
    for tag in as_list(activity.get("tag")):
        number = PREDEFINED_REASONS.get(tag.get("name")) if isinstance(tag, dict) else None
        if number is not None and number not in reasons:
            reasons.append(number)
    start_at, end_at = _timestamp(activity.get("startAt")), _timestamp(activity.get("endAt"))
    if end_at is not None and (start_at is None or end_at <= start_at):
        end_at = None
    return FlagFields(flag_id, objects, reason, reasons, start_at, end_at)
