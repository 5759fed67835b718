"""Video rates: who may rate, and bad input."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"ratesp_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def video(owner):
    return published_video(owner)


def test_anonymous_callers_are_refused(server, video):
    response = server.anonymous.put(f"/api/v1/videos/{video['uuid']}/rate", json={"rating": "like"})
    assert response.status_code == 401
    assert server.anonymous.get(f"/api/v1/users/me/videos/{video['id']}/rating").status_code == 401


@pytest.mark.parametrize("body", [{}, {"rating": "love"}, {"rating": 1}, {"rating": None}])
def test_bad_rating_names_the_field(server, owner, video, body):
    response = owner.put(f"/api/v1/videos/{video['uuid']}/rate", json=body)
    assert response.status_code == 400, response.text
    assert "rating" in response.json()["invalid-params"]


def test_unknown_video_is_404(server, owner):
    for ref in ("999999", str(uuid.uuid4()), "..%2F..%2Fetc"):
        assert owner.put(f"/api/v1/videos/{ref}/rate", json={"rating": "like"}).status_code == 404
        assert owner.get(f"/api/v1/users/me/videos/{ref}/rating").status_code == 404


def test_a_video_one_may_not_see_cannot_be_rated(server, owner):
    private = published_video(owner, privacy=3)
    stranger = server.create_user(f"ratesp_other_{uuid.uuid4().hex[:8]}")
    response = stranger.put(f"/api/v1/videos/{private['uuid']}/rate", json={"rating": "like"})
    assert response.status_code == 403, response.text
    # reading one's own (absent) rate only needs the video to exist
    assert stranger.get(f"/api/v1/users/me/videos/{private['id']}/rating").json()["rating"] == "none"
