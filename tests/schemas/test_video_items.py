"""The list items' fast helpers agree with the model builders' own: description truncation (PeerTube's
rule) and timestamps (JavaScript's `toISOString`), on many generated inputs."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

from vidpub.schemas.common import iso_millis
from vidpub.schemas.video_items import _truncated, timestamp
from vidpub.schemas.videos import truncate_description


def test_truncation_matches_the_regular_expression_rule():
    rng = random.Random(2026)
    alphabet = "ab ,.  ,,xé\n"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.choice([0, 1, 249, 250, 251, 252, 300, 600])))
        assert _truncated(text) == truncate_description(text), repr(text)
    assert _truncated(None) is None and _truncated("") is None


def test_timestamps_match_iso_millis():
    rng = random.Random(7)
    start = datetime(1999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    for _ in range(5_000):
        value = start + timedelta(microseconds=rng.randrange(10**15))
        assert timestamp(value) == iso_millis(value)
        shifted = value.astimezone(timezone(timedelta(hours=rng.randrange(-12, 13))))
        assert timestamp(shifted) == iso_millis(value)
    assert timestamp(None) is None
