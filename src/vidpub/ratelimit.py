"""Per-IP rate limits named as in PeerTube's `rates_limit` config (fixed windows, in memory per process).

A window opens at a key's first request and lasts `window` seconds; past `max` requests in it, the
request is refused with 429 and PeerTube's `Retry-After` / `X-RateLimit-*` headers.

The counters are a plain dict rather than the `limits` package: its in-memory storage starts a timer
thread every 10 ms to expire keys, and on a busy API process those threads fight the event loop for
the GIL on every request (measured: most of a list request's time under load). Every caller runs on
the event loop's thread, so nothing here needs a lock; expired windows are swept now and then.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

from vidpub.config import Config, parse_duration
from vidpub.errors import ProblemError

SWEEP_EVERY = 10_000  # hits between two sweeps of expired windows


@dataclass(frozen=True)
class Limit:
    amount: int
    seconds: int


class RateLimits:
    def __init__(self, config: Config, clock=time.time):
        self._clock = clock
        self._windows: dict[tuple[str, str], list] = {}  # (name, key) -> [expires_at, count]
        self._hits_since_sweep = 0
        self.configure(config)

    def configure(self, config: Config) -> None:
        self._limits = {
            name: Limit(int(rule["max"]), max(1, int(parse_duration(rule["window"]))))
            for name, rule in config.rates_limit.items()
        }

    def _window(self, name: str, key: str, now: float) -> list:
        window = self._windows.get((name, key))
        if window is None or window[0] <= now:
            window = self._windows[(name, key)] = [now + self._limits[name].seconds, 0]
        return window

    def hit(self, name: str, key: str) -> None:
        """Count one request; raise 429 past the limit."""
        limit = self._limits[name]
        now = self._clock()
        self._sweep_now_and_then(now)
        window = self._window(name, key, now)
        if window[1] < limit.amount:
            window[1] += 1
            return
        reset = window[0]
        raise ProblemError(429, "You have reached the maximum number of requests for this period, "
                                "please try again later", headers={
                                    "Retry-After": str(max(1, math.ceil(reset - now))),
                                    "X-RateLimit-Limit": str(limit.amount), "X-RateLimit-Remaining": "0",
                                    "X-RateLimit-Reset": str(int(reset))})

    def would_pass(self, name: str, key: str) -> bool:
        window = self._windows.get((name, key))
        return window is None or window[0] <= self._clock() or window[1] < self._limits[name].amount

    def ensure_available(self, name: str, key: str) -> None:
        """429 if the limit is reached, without counting this request: for limits that count only
        successes (PeerTube's sign-up limit skips failed requests); call `spend` after success."""
        if not self.would_pass(name, key):
            self.hit(name, key)

    def spend(self, name: str, key: str) -> None:
        with contextlib.suppress(ProblemError):  # a concurrent success took the last slot: this one stands
            self.hit(name, key)

    def reset(self) -> None:
        self._windows.clear()

    def _sweep_now_and_then(self, now: float) -> None:
        self._hits_since_sweep += 1
        if self._hits_since_sweep < SWEEP_EVERY:
            return
        self._hits_since_sweep = 0
        for window_key in [k for k, (expires_at, _) in self._windows.items() if expires_at <= now]:
            del self._windows[window_key]
