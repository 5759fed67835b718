"""The `total` of the video lists, cheap on large instances.

An exact count visits every listed video: with 100,000 of them that is a scan of tens of milliseconds
on every page request, more than everything else the page costs. A large total is therefore
remembered, per process, for a few seconds: the next pages and the next visitors reuse it, and when it
expires one request counts again while the others keep the previous value. Small totals (every list
of a small instance, every test) are counted on each request as before, so they are always exact; a
large one may lag by a few seconds, which nobody paging through ten thousand videos can notice.
PeerTube itself lets clients skip the count (`skipCount`), which Vidpub honours too.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable

from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Select

LARGE_TOTAL = 10_000        # totals below are always counted exactly
REMEMBERED_SECONDS = 10.0
MAX_REMEMBERED = 2048        # distinct lists (filters × viewer) kept

_clock = time.monotonic
_totals: OrderedDict[Hashable, tuple[int, float]] = OrderedDict()
_recounting: set[Hashable] = set()


async def count(connection: AsyncConnection, key: Hashable, statement: Select) -> int:
    """The value of `statement` (a COUNT), or the one remembered under `key` while it is fresh;
    `key` must name everything the statement depends on (filters and viewer)."""
    remembered = _totals.get(key)
    now = _clock()
    if remembered is not None and (remembered[1] > now or key in _recounting):
        _totals.move_to_end(key)
        return remembered[0]
    _recounting.add(key)
    try:
        total = (await connection.execute(statement)).scalar_one()
    finally:
        _recounting.discard(key)
    if total >= LARGE_TOTAL:
        _totals[key] = (total, now + REMEMBERED_SECONDS)
        _totals.move_to_end(key)
        while len(_totals) > MAX_REMEMBERED:
            _totals.popitem(last=False)
    else:
        _totals.pop(key, None)
    return total
