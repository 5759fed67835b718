"""GET /api/v1/jobs/{state} and pausing the queue, against a real server of its own (the queue
stays paused while the listing test plants jobs that no worker must touch)."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import pytest

from vidpub.db import Database
from vidpub.db.base import utcnow
from vidpub.db.models import Job, JobState

JOB_FIELDS = {"id", "state", "type", "data", "priority", "progress", "error", "createdAt", "finishedOn",
              "processedOn", "parent"}
PLANTED_TYPE = "video-transcoding"  # a PeerTube type: listed without naming it


@pytest.fixture(scope="module")
def jobs_server(server_factory):
    return server_factory()


def _plant(server, rows: list[dict]) -> dict[str, int]:
    """Write jobs straight into the server's database; returns their ids by name."""

    async def insert():
        db = Database(server.config["database"]["url"], pool_size=1)
        try:
            ids = {}
            async with db.transaction() as session:
                for spec in rows:
                    spec = dict(spec)
                    name = spec.pop("name")
                    parent = spec.pop("parent", None)
                    values = dict(payload={"name": name}, priority=100, attempts=0, max_attempts=1,
                                  pending_children=0, progress=0, parent_id=ids.get(parent))
                    job = Job(**{**values, **spec})
                    session.add(job)
                    await session.flush()
                    ids[name] = job.id
            return ids
        finally:
            await db.dispose()

    return asyncio.run(insert())


def _listing(client, path: str, **params) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_listing_by_state_type_and_page(jobs_server):
    root = jobs_server.root
    assert root.post("/api/v1/jobs/pause").status_code == 204
    now = utcnow()

    def at(minutes: int):
        return now - timedelta(minutes=minutes)

    ids = _plant(jobs_server, [
        dict(name="waiting", type=PLANTED_TYPE, state=JobState.WAITING, run_at=at(10), created_at=at(10)),
        dict(name="delayed", type=PLANTED_TYPE, state=JobState.WAITING, run_at=now + timedelta(days=1),
             created_at=at(9)),
        dict(name="active", type=PLANTED_TYPE, state=JobState.ACTIVE, run_at=at(8), created_at=at(8),
             processed_at=at(7), worker_id="elsewhere", lease_expires_at=now + timedelta(days=1), attempts=1),
        dict(name="completed", type=PLANTED_TYPE, state=JobState.COMPLETED, run_at=at(6), created_at=at(6),
             processed_at=at(5), finished_at=at(4), progress=100, attempts=1),
        dict(name="failed", type=PLANTED_TYPE, state=JobState.FAILED, run_at=at(5), created_at=at(5),
             processed_at=at(4), finished_at=at(3), attempts=1,
             error={"message": "ffmpeg exited with 1", "stack": "Traceback ...\nRuntimeError: ffmpeg exited with 1"}),
        dict(name="parent", type=PLANTED_TYPE, state=JobState.WAITING_CHILDREN, run_at=at(4), created_at=at(4),
             pending_children=1),
        dict(name="child", type=PLANTED_TYPE, state=JobState.WAITING, run_at=at(3), created_at=at(3),
             parent="parent"),
        dict(name="housekeeping", type="purge-expired-tokens", state=JobState.COMPLETED, run_at=at(2),
             created_at=at(2), processed_at=at(2), finished_at=at(2)),
    ])

    def names(body):
        return [job["data"]["name"] for job in body["data"]]

    by_state = {state: _listing(root, f"/api/v1/jobs/{state}", jobType=PLANTED_TYPE)
                for state in ("waiting", "delayed", "active", "completed", "failed", "waiting-children",
                              "paused", "prioritized")}
    assert names(by_state["waiting"]) == ["child", "waiting"]  # newest first by default
    assert names(by_state["delayed"]) == ["delayed"]
    assert names(by_state["active"]) == ["active"]
    assert names(by_state["completed"]) == ["completed"]
    assert names(by_state["failed"]) == ["failed"]
    assert names(by_state["waiting-children"]) == ["parent"]
    assert by_state["paused"] == by_state["prioritized"] == {"total": 0, "data": []}
    for state, body in by_state.items():
        assert body["total"] == len(body["data"])
        for job in body["data"]:
            assert set(job) == JOB_FIELDS and job["state"] == state and job["type"] == PLANTED_TYPE

    child, waiting = by_state["waiting"]["data"]
    assert child["parent"] == {"id": str(ids["parent"])} and waiting["parent"] is None
    assert (waiting["id"], waiting["finishedOn"], waiting["processedOn"], waiting["error"]) == (
        ids["waiting"], None, None, None)
    assert waiting["priority"] == 100 and waiting["progress"] == 0
    completed = by_state["completed"]["data"][0]
    assert completed["progress"] == 100
    assert completed["finishedOn"].endswith("Z") and completed["processedOn"] < completed["finishedOn"]
    failed = by_state["failed"]["data"][0]
    assert failed["error"] == "Traceback ...\nRuntimeError: ffmpeg exited with 1"  # a string, as PeerTube

    # no state: every state, each job's own; the housekeeping job only when named
    everything = _listing(root, "/api/v1/jobs", jobType=PLANTED_TYPE, count=100)
    assert everything["total"] == 7
    assert {job["data"]["name"]: job["state"] for job in everything["data"]} == {
        "waiting": "waiting", "delayed": "delayed", "active": "active", "completed": "completed",
        "failed": "failed", "parent": "waiting-children", "child": "waiting"}
    assert _listing(root, "/api/v1/jobs/", jobType=PLANTED_TYPE, count=100) == everything
    some = _listing(root, "/api/v1/jobs", jobType=PLANTED_TYPE, states="failed,completed")
    assert sorted(names(some)) == ["completed", "failed"]

    all_completed = _listing(root, "/api/v1/jobs/completed", count=100)
    assert ids["completed"] in [job["id"] for job in all_completed["data"]]
    assert all(job["type"] != "purge-expired-tokens" for job in all_completed["data"])
    named = _listing(root, "/api/v1/jobs/completed", jobType="purge-expired-tokens", count=100)
    assert ids["housekeeping"] in [job["id"] for job in named["data"]]

    # pages and order
    oldest_first = _listing(root, "/api/v1/jobs", jobType=PLANTED_TYPE, sort="createdAt", count=100)
    assert names(oldest_first) == list(reversed(names(everything)))
    assert names(everything)[:3] == ["child", "parent", "failed"]
    page = _listing(root, "/api/v1/jobs", jobType=PLANTED_TYPE, start=2, count=2)
    assert page["total"] == 7 and names(page) == ["failed", "completed"]


def test_pause_holds_new_jobs_and_resume_runs_them(jobs_server, unique):
    root = jobs_server.root
    username = f"jobs_pause_{unique}"
    jobs_server.create_user(username)
    email = f"{username}@example.com"

    def mails():
        return [mail for mail in jobs_server.mail_log() if mail["to"] == [email]]

    def email_jobs(state):
        body = _listing(root, f"/api/v1/jobs/{state}", jobType="email", count=100)
        return [job for job in body["data"] if job["data"]["to"] == [email]]

    assert root.post("/api/v1/jobs/pause").status_code == 204
    try:
        assert jobs_server.anonymous.post("/api/v1/users/ask-reset-password", json={"email": email}).status_code == 204
        waiting = email_jobs("waiting")
        assert len(waiting) == 1 and waiting[0]["state"] == "waiting"
        assert "reset" in waiting[0]["data"]["subject"].lower()
        # the server's worker polls every 200 ms: give it many chances to (wrongly) run the job
        time.sleep(1.5)
        assert mails() == [] and len(email_jobs("waiting")) == 1
    finally:
        assert root.post("/api/v1/jobs/resume").status_code == 204
    jobs_server.wait_for(mails)
    done = jobs_server.wait_for(lambda: email_jobs("completed"))
    assert done[0]["id"] == waiting[0]["id"] and done[0]["finishedOn"] is not None
    assert email_jobs("waiting") == []
