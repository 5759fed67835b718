"""`POST /videos/{id}/views`: bad reports are 400 naming the field; a video the caller may not see
is refused as every read of it is."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import CLIP_SECONDS, published_video


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"viewsp_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def video(owner):
    return published_video(owner)


def views_url(video) -> str:
    return f"/api/v1/videos/{video['uuid']}/views"


@pytest.mark.parametrize("body,field", [
    ({}, "currentTime"),
    ({"currentTime": -1}, "currentTime"),
    ({"currentTime": "soon"}, "currentTime"),
    ({"currentTime": CLIP_SECONDS + 1}, "currentTime"),
    ({"currentTime": 1, "viewEvent": "jump"}, "viewEvent"),
    ({"currentTime": 1, "sessionId": "not a session!"}, "sessionId"),
    ({"currentTime": 1, "sessionId": "x" * 201}, "sessionId"),
    ({"currentTime": 1, "device": "fridge"}, "device"),
    ({"currentTime": 1, "client": 12}, "client"),
])
def test_bad_reports_name_the_field(server, video, body, field):
    response = server.anonymous.post(views_url(video), json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.json()["invalid-params"]


def test_fractional_positions_are_whole_seconds(server, video):
    response = server.anonymous.post(views_url(video), json={"currentTime": 1.7})
    assert response.status_code == 204, response.text


def test_unknown_video_is_404(server):
    for ref in ("999999", str(uuid.uuid4()), "not-a-video"):
        response = server.anonymous.post(f"/api/v1/videos/{ref}/views", json={"currentTime": 1})
        assert response.status_code == 404, response.text


def test_a_private_video_takes_reports_from_whoever_may_see_it(server, owner):
    private = published_video(owner, privacy=3)
    assert server.anonymous.post(views_url(private), json={"currentTime": 1}).status_code == 401
    stranger = server.create_user(f"viewsp_other_{uuid.uuid4().hex[:8]}")
    assert stranger.post(views_url(private), json={"currentTime": 1}).status_code == 403
    assert server.root.post(views_url(private), json={"currentTime": 1}).status_code == 204
