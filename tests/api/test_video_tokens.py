"""`POST /api/v1/videos/{id}/token`: short-lived tokens for a video's files, for whoever may see it."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, UTC

import pytest

from tests.support.video_files import uploaded

PRIVATE, PASSWORD_PROTECTED = 3, 5
PASSWORD_HEADER = "x-peertube-video-password"


@pytest.fixture(scope="module")
def people(server):
    suffix = uuid.uuid4().hex[:6]
    return {"owner": server.create_user(f"tokowner{suffix}"),
            "other": server.create_user(f"tokother{suffix}")}


@pytest.fixture(scope="module")
def videos(people):
    owner = people["owner"]
    return {"public": uploaded(owner), "private": uploaded(owner, privacy=PRIVATE),
            "password": uploaded(owner, privacy=PASSWORD_PROTECTED, videoPasswords=["tok-secret-1"])}


def test_the_token_and_its_expiry(people, videos):
    before = datetime.now(UTC)
    for ref in (videos["private"]["uuid"], videos["private"]["shortUUID"], str(videos["private"]["id"])):
        response = people["owner"].post(f"/api/v1/videos/{ref}/token")
        assert response.status_code == 200, response.text
        files = response.json()["files"]
        assert set(files) == {"token", "expires"} and isinstance(files["token"], str) and files["token"]
        assert files["expires"].endswith("Z")
        expires = datetime.fromisoformat(files["expires"].replace("Z", "+00:00"))
        assert timedelta(hours=8) - timedelta(seconds=5) <= expires - before <= timedelta(hours=8, seconds=5)


def test_users_who_may_see_the_video_get_tokens(server, people, videos):
    assert people["other"].post(f"/api/v1/videos/{videos['public']['uuid']}/token").status_code == 200
    assert server.root.post(f"/api/v1/videos/{videos['private']['uuid']}/token").status_code == 200
    refused = people["other"].post(f"/api/v1/videos/{videos['private']['uuid']}/token")
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_anonymous_callers_need_a_video_password(server, videos):
    anonymous = server.anonymous
    assert anonymous.post(f"/api/v1/videos/{videos['public']['uuid']}/token").status_code == 401
    assert anonymous.post(f"/api/v1/videos/{videos['private']['uuid']}/token").status_code == 401
    ref = videos["password"]["uuid"]
    assert anonymous.post(f"/api/v1/videos/{ref}/token").status_code == 403
    wrong = anonymous.post(f"/api/v1/videos/{ref}/token", headers={PASSWORD_HEADER: "not-it"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "incorrect_video_password"
    right = anonymous.post(f"/api/v1/videos/{ref}/token", headers={PASSWORD_HEADER: "tok-secret-1"})
    assert right.status_code == 200 and right.json()["files"]["token"]


def test_unknown_videos(people):
    for ref in ("999999", str(uuid.uuid4()), "not-a-video-ref"):
        assert people["owner"].post(f"/api/v1/videos/{ref}/token").status_code == 404
