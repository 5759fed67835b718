"""The housekeeping job types: expired sessions and old jobs are removed."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run, running_worker, wait_for_state
from vidpub.config import Config
from vidpub.db import fulltext_segments
from vidpub.db.base import utcnow
from vidpub.db.models import Job, JobState, OAuthClient, OAuthToken, User
from vidpub.jobs.queue import enqueue
from vidpub.jobs.registry import load_handlers
from vidpub.services.auth import tokens


async def _run_job(runtime, type_: str) -> Job:
    async with runtime.db.transaction() as session:
        job = enqueue(session, type_)
    async with running_worker(runtime, [type_]):
        return await wait_for_state(runtime, job.id, JobState.COMPLETED, JobState.FAILED)


def test_purge_expired_tokens_removes_only_dead_sessions(fresh_jobs_config):
    load_handlers()

    async def scenario():
        async with open_runtime(fresh_jobs_config) as runtime:
            async with runtime.db.transaction() as session:
                user = (await session.execute(sa.select(User).where(User.username == "root"))).scalar_one()
                client = (await session.execute(sa.select(OAuthClient))).scalars().first()
                origin = tokens.ClientInfo(device=None, ip=None)
                alive = tokens.issue(session, user=user, client=client, origin=origin,
                                     lifetimes=tokens.Lifetimes(timedelta(hours=1), timedelta(days=1)))
                # access and refresh tokens both expired: the session can never be used again
                dead = tokens.issue(session, user=user, client=client, origin=origin,
                                    lifetimes=tokens.Lifetimes(timedelta(hours=-2), timedelta(hours=-1)))
                # access token expired but refresh token still usable: the session lives on
                refreshable = tokens.issue(session, user=user, client=client, origin=origin,
                                           lifetimes=tokens.Lifetimes(timedelta(hours=-1), timedelta(days=1)))
            job = await _run_job(runtime, "purge-expired-tokens")
            assert (job.state, job.result) == (JobState.COMPLETED, {"removed": 1})
            async with runtime.db.session(write=False) as session:
                left = set((await session.execute(sa.select(OAuthToken.id))).scalars())
            assert left == {alive.row.id, refreshable.row.id}
            assert dead.row.id not in left

    run(scenario())


async def _add_finished(session, state: str, age: timedelta, type_: str = "email") -> int:
    finished = utcnow() - age
    job = Job(type=type_, payload={}, state=state, priority=100, attempts=1, max_attempts=1, run_at=finished,
              created_at=finished, processed_at=finished, finished_at=finished, pending_children=0, progress=0)
    session.add(job)
    await session.flush()
    return job.id


def test_remove_old_jobs_follows_peertube_retention(fresh_jobs_config):
    load_handlers()

    async def scenario():
        async with open_runtime(fresh_jobs_config) as runtime:
            async with runtime.db.transaction() as session:
                old_completed = await _add_finished(session, JobState.COMPLETED, timedelta(days=2, minutes=1))
                recent_completed = await _add_finished(session, JobState.COMPLETED, timedelta(days=1))
                old_failed = await _add_finished(session, JobState.FAILED, timedelta(days=7, minutes=1))
                recent_failed = await _add_finished(session, JobState.FAILED, timedelta(days=3))
                waiting = enqueue(session, "email", {"to": ["x@example.com"], "subject": "s", "text": "t"},
                                  delay=30 * 86400)
            job = await _run_job(runtime, "remove-old-jobs")
            assert job.state == JobState.COMPLETED and job.result == {"removed": 2}
            async with runtime.db.session(write=False) as session:
                left = set((await session.execute(sa.select(Job.id))).scalars())
            assert {recent_completed, recent_failed, waiting.id, job.id} <= left
            assert not {old_completed, old_failed} & left

    run(scenario())


def test_remove_old_jobs_keeps_a_bounded_number_of_finished_jobs(database_url_factory, tmp_path):
    config: Config = make_database(database_url_factory(), tmp_path / "data",
                                   extra_env={"VIDPUB_JOBS__MAX_FINISHED_JOBS": "3"})
    load_handlers()

    async def scenario():
        async with open_runtime(config) as runtime:
            async with runtime.db.transaction() as session:
                ids = [await _add_finished(session, state, timedelta(hours=1))
                       for state in (JobState.COMPLETED, JobState.FAILED) * 3]
                waiting = enqueue(session, "email", {"to": ["x@example.com"], "subject": "s", "text": "t"},
                                  delay=30 * 86400)
            job = await _run_job(runtime, "remove-old-jobs")
            async with runtime.db.session(write=False) as session:
                left = set((await session.execute(sa.select(Job.id))).scalars())
            # the cap counts finished jobs when the cleaner runs (itself still active then)
            assert left == set(ids[-3:]) | {waiting.id, job.id}
            assert job.result == {"removed": 3}

    run(scenario())


def test_refresh_planner_statistics_merges_a_fragmented_fulltext_index(fresh_jobs_config):
    load_handlers()

    async def scenario():
        async with open_runtime(fresh_jobs_config) as runtime:
            if runtime.db.is_sqlite:
                for number in range(fulltext_segments.MAX_SEGMENTS + 2):  # a segment per transaction
                    async with runtime.db.transaction() as session:
                        await session.execute(sa.text(
                            "INSERT INTO video_fts (rowid, name, tags, description) VALUES (:id, 'sunset', '', '')"),
                            {"id": number + 1})
            job = await _run_job(runtime, "refresh-planner-statistics")
            segments = None
            if runtime.db.is_sqlite:
                async with runtime.db.session(write=False) as session:
                    segments = (await fulltext_segments.segment_counts(await session.connection()))["video_fts"]
            return runtime.db.is_sqlite, job, segments

    sqlite, job, segments = run(scenario())
    assert job.state == JobState.COMPLETED
    if sqlite:
        assert job.result["mergedIndexes"] == ["video_fts"] and segments == 1
    else:  # PostgreSQL's indexes need no merging
        assert job.result["mergedIndexes"] == []
