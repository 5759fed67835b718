"""Job routes: who may call them, and what bad input answers."""

from __future__ import annotations

import pytest

ROUTES = [("GET", "/api/v1/jobs/completed"), ("GET", "/api/v1/jobs"), ("POST", "/api/v1/jobs/pause"),
          ("POST", "/api/v1/jobs/resume")]


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_callers_get_401(server, method, path):
    _problem(server.anonymous.request(method, path), 401)


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize("role", [1, 2], ids=["moderator", "user"])
def test_callers_without_manage_jobs_get_403(server, unique, method, path, role):
    client = server.create_user(f"jobs_{role}_{unique}", role=role)
    body = _problem(client.request(method, path), 403)
    assert "MANAGE_JOBS" in body["detail"]


def test_a_refused_pause_pauses_nothing(server, unique):
    client = server.create_user(f"jobs_pauser_{unique}")
    _problem(client.post("/api/v1/jobs/pause"), 403)
    # the queue still runs: a mail job enqueued now is delivered
    email = f"jobs_pauser_{unique}@example.com"
    assert server.anonymous.post("/api/v1/users/ask-reset-password", json={"email": email}).status_code == 204
    server.wait_for(lambda: [m for m in server.mail_log() if m["to"] == [email]])


@pytest.mark.parametrize(("path", "params", "field"), [
    ("/api/v1/jobs/finished", {}, "state"),
    ("/api/v1/jobs/pause", {}, "state"),
    ("/api/v1/jobs/completed", {"jobType": "no-such-type"}, "jobType"),
    ("/api/v1/jobs/completed", {"jobType": "x" * 101}, "jobType"),
    ("/api/v1/jobs/completed", {"count": 101}, "count"),
    ("/api/v1/jobs/completed", {"count": -1}, "count"),
    ("/api/v1/jobs/completed", {"count": "ten"}, "count"),
    ("/api/v1/jobs/completed", {"start": -1}, "start"),
    ("/api/v1/jobs/completed", {"sort": "priority"}, "sort"),
    ("/api/v1/jobs/completed", {"sort": "-id"}, "sort"),
    ("/api/v1/jobs", {"states": "completed,finished"}, "states"),
])
def test_bad_listing_parameters_are_400_naming_the_field(server, path, params, field):
    body = _problem(server.root.get(path, params=params), 400)
    assert field in body.get("invalid-params", {}), body


@pytest.mark.parametrize("job_type", ["email", "video-transcoding", "videos-views-stats", "purge-expired-tokens"])
def test_known_job_types_are_accepted(server, job_type):
    response = server.root.get("/api/v1/jobs/failed", params={"jobType": job_type})
    assert response.status_code == 200, response.text
    assert all(job["type"] == job_type for job in response.json()["data"])
