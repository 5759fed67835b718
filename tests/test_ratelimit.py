"""The per-IP fixed windows of `rates_limit` (the HTTP side is in tests/api/test_oauth.py)."""

import pytest

from vidpub import ratelimit
from vidpub.config import load_config
from vidpub.errors import ProblemError
from vidpub.ratelimit import RateLimits


class Clock:
    def __init__(self):
        self.now = 1_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def limits(tmp_path):
    config = load_config(data_dir=tmp_path, environ={"VIDPUB_RATES_LIMIT__LOGIN__MAX": "3",
                                                     "VIDPUB_RATES_LIMIT__LOGIN__WINDOW": "5 minutes"})
    clock = Clock()
    return RateLimits(config, clock=clock), clock


def test_requests_past_the_maximum_are_refused_until_the_window_ends(limits):
    rate_limits, clock = limits
    for _ in range(3):
        rate_limits.hit("login", "203.0.113.5")
    with pytest.raises(ProblemError) as refused:
        rate_limits.hit("login", "203.0.113.5")
    assert refused.value.status == 429
    assert refused.value.headers["Retry-After"] == "300" and refused.value.headers["X-RateLimit-Limit"] == "3"
    rate_limits.hit("login", "198.51.100.7")  # another IP has its own window
    clock.now += 299
    assert not rate_limits.would_pass("login", "203.0.113.5")
    clock.now += 1
    assert rate_limits.would_pass("login", "203.0.113.5")
    rate_limits.hit("login", "203.0.113.5")


def test_ensure_available_does_not_count_and_spend_does(limits):
    rate_limits, _ = limits
    for _ in range(5):
        rate_limits.ensure_available("login", "203.0.113.5")
    for _ in range(3):
        rate_limits.spend("login", "203.0.113.5")
    with pytest.raises(ProblemError):
        rate_limits.ensure_available("login", "203.0.113.5")
    rate_limits.spend("login", "203.0.113.5")  # a concurrent success past the limit stands


def test_expired_windows_are_forgotten(limits, monkeypatch):
    rate_limits, clock = limits
    monkeypatch.setattr(ratelimit, "SWEEP_EVERY", 10)
    for number in range(9):
        rate_limits.hit("login", f"203.0.113.{number}")
    clock.now += 301
    rate_limits.hit("login", "198.51.100.7")  # the tenth hit sweeps
    assert set(rate_limits._windows) == {("login", "198.51.100.7")}
