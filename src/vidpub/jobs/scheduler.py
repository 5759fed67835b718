"""Repeating jobs. Every process may run the scheduler: a job's dedupe key names its time slot,
so a slot is enqueued once however many processes see it."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vidpub.jobs.queue import enqueue_unique

if TYPE_CHECKING:
    from vidpub.runtime import Runtime

log = logging.getLogger("vidpub.jobs.scheduler")


@dataclass(frozen=True)
class Schedule:
    type: str
    every: float  # seconds
    every_setting: str | None = None  # a configured duration that replaces `every`


SCHEDULES = (
    Schedule("purge-expired-tokens", every=3600),
    Schedule("remove-old-jobs", every=3600),
    # analyses only what changed a lot (db/statistics.py), merges fragmented full-text indexes (db/fulltext_segments.py)
    Schedule("refresh-planner-statistics", every=900),
    Schedule("remove-expired-viewers", every=3600),
    Schedule("remove-dangling-resumable-uploads", every=3600),
    Schedule("apply-scheduled-video-updates", every=60),
    Schedule("video-channel-sync-latest", every=300),  # each sync itself waits for its check_interval
    Schedule("videos-redundancy-check", every=3600, every_setting="redundancy.videos.check_interval"),
)


def interval_of(runtime: Runtime, schedule: Schedule) -> float:
    if schedule.every_setting is None:
        return schedule.every
    try:
        return max(1.0, runtime.config.duration(schedule.every_setting))
    except Exception:  # an unusable setting keeps the default rather than stopping every schedule
        log.warning("%s: unusable duration, %s s used", schedule.every_setting, schedule.every)
        return schedule.every


async def enqueue_due(runtime: Runtime, now: float | None = None) -> int:
    now = time.time() if now is None else now
    created = 0
    async with runtime.db.transaction() as session:
        for schedule in SCHEDULES:
            slot = int(now // interval_of(runtime, schedule))
            if await enqueue_unique(session, schedule.type, f"{schedule.type}@{slot}"):
                created += 1
    return created


async def run_scheduler(runtime: Runtime, stop: asyncio.Event, tick: float = 30.0) -> None:
    while not stop.is_set():
        try:
            await enqueue_due(runtime)
        except Exception:
            log.exception("scheduler tick failed")
        try:
            await asyncio.wait_for(stop.wait(), timeout=tick)
        except TimeoutError:
            pass
