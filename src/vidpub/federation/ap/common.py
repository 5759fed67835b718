"""Small value helpers shared by the object mappers: dates as PeerTube writes them, audience checks,
ids given either as a string or as an object, and the error raised for an unusable document."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from vidpub.federation.context import AS_PUBLIC
from vidpub.schemas.common import iso_millis as iso  # noqa: F401  (PeerTube's date format, for the mappers)

# forms of the public collection that real senders use (Mastodon compacts to `as:Public` at times)
PUBLIC_FORMS = frozenset({AS_PUBLIC, "as:Public", "Public"})
MAX_URL_LENGTH = 2000


class InvalidObject(ValueError):
    """A received document that cannot be used (missing or malformed field): it is dropped."""


def parse_date(value: Any, field: str, *, required: bool = True) -> datetime | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidObject(f"{field}: a date is required")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InvalidObject(f"{field}: invalid date {value!r}") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def is_public(*audiences: Any) -> bool:
    """True when one of the `to`/`cc` values names the public collection."""
    return any(isinstance(item, str) and item in PUBLIC_FORMS for audience in audiences for item in as_list(audience))


def is_http_url(value: Any) -> bool:
    if not isinstance(value, str) or len(value) > MAX_URL_LENGTH:
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def object_id(value: Any, field: str = "object") -> str:
    """An ActivityPub id given as a string or as an object carrying `id`."""
    if isinstance(value, dict):
        value = value.get("id")
    if not is_http_url(value):
        raise InvalidObject(f"{field}: an http(s) URL is required")
    return value


def optional_id(value: Any) -> str | None:
    try:
        return object_id(value)
    except InvalidObject:
        return None


def host_of(url: str) -> str:
    """`host[:port]`, lowercase: what "same origin" compares."""
    return urlsplit(url).netloc.lower()


def same_host(*urls: str) -> bool:
    return len({host_of(url) for url in urls}) == 1


def first_http_url(values: Iterable[Any]) -> str | None:
    for value in values:
        candidate = value.get("href") or value.get("id") if isinstance(value, dict) else value
        if is_http_url(candidate):
            return candidate
    return None
