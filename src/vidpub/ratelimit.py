"""Per-IP rate limits named as in PeerTube's `rates_limit` config (fixed windows, in memory per process)."""

from __future__ import annotations

import contextlib
import math
import time

from limits import RateLimitItemPerSecond
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter

from vidpub.config import Config, parse_duration
from vidpub.errors import ProblemError


class RateLimits:
    def __init__(self, config: Config):
        self._limiter = FixedWindowRateLimiter(MemoryStorage())
        self.configure(config)

    def configure(self, config: Config) -> None:
        self._items = {
            name: RateLimitItemPerSecond(int(rule["max"]), max(1, int(parse_duration(rule["window"]))))
            for name, rule in config.rates_limit.items()
        }

    def hit(self, name: str, key: str) -> None:
        """Count one request; raise 429 past the limit."""
        item = self._items[name]
        if self._limiter.hit(item, name, key):
            return
        reset, _remaining = self._limiter.get_window_stats(item, name, key)
        retry_after = max(1, math.ceil(reset - time.time()))
        raise ProblemError(429, "You have reached the maximum number of requests for this period, "
                                "please try again later", headers={
                                    "Retry-After": str(retry_after), "X-RateLimit-Limit": str(item.amount),
                                    "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(int(reset))})

    def would_pass(self, name: str, key: str) -> bool:
        return self._limiter.test(self._items[name], name, key)

    def ensure_available(self, name: str, key: str) -> None:
        """429 if the limit is reached, without counting this request: for limits that count only
        successes (PeerTube's sign-up limit skips failed requests); call `spend` after success."""
        if not self.would_pass(name, key):
            self.hit(name, key)

    def spend(self, name: str, key: str) -> None:
        with contextlib.suppress(ProblemError):  # a concurrent success took the last slot: this one stands
            self.hit(name, key)

    def reset(self) -> None:
        self._limiter.storage.reset()
