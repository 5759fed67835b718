"""Video Passwords: who may manage them, on which videos, and bad input."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"pwp_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def protected(owner):
    return published_video(owner, privacy=5, videoPasswords=["one-pass", "two-pass"])


@pytest.fixture(scope="module")
def public(owner):
    return published_video(owner)


def url(video, suffix="") -> str:
    return f"/api/v1/videos/{video['uuid']}/passwords{suffix}"


def first_password_id(owner, video) -> int:
    return owner.get(url(video), params={"sort": "id"}).json()["data"][0]["id"]


def test_anonymous_callers_are_refused(server, protected):
    assert server.anonymous.get(url(protected)).status_code == 401
    assert server.anonymous.put(url(protected), json={"passwords": ["abc"]}).status_code == 401
    assert server.anonymous.delete(url(protected, "/1")).status_code == 401


def test_other_users_are_refused(server, owner, protected):
    stranger = server.create_user(f"pwp_other_{uuid.uuid4().hex[:8]}")
    password_id = first_password_id(owner, protected)
    assert stranger.get(url(protected)).status_code == 403
    assert stranger.put(url(protected), json={"passwords": ["mine-now"]}).status_code == 403
    assert stranger.delete(url(protected, f"/{password_id}")).status_code == 403
    assert owner.get(url(protected)).json()["total"] == 2


def test_a_video_without_password_protection_is_400(owner, public):
    for response in (owner.get(url(public)), owner.put(url(public), json={"passwords": ["abc"]}),
                     owner.delete(url(public, "/1"))):
        assert response.status_code == 400, response.text
        assert "not password protected" in response.json()["detail"]


@pytest.mark.parametrize("body", [
    {}, {"passwords": []}, {"passwords": ["a"]}, {"passwords": ["x" * 101]}, {"passwords": ["same", "same"]},
    {"passwords": "not-a-list"}, {"passwords": [12]},
])
def test_bad_password_lists_name_the_field(owner, protected, body):
    response = owner.put(url(protected), json=body)
    assert response.status_code == 400, response.text
    assert any(field.startswith("passwords") for field in response.json()["invalid-params"])


def test_unknown_password_and_bad_ids(server, owner, protected):
    other = published_video(owner, privacy=5, videoPasswords=["elsewhere"])
    foreign_id = first_password_id(owner, other)
    assert owner.delete(url(protected, f"/{foreign_id}")).status_code == 404
    assert owner.delete(url(protected, "/2147483647")).status_code == 404
    assert owner.delete(url(protected, "/0")).status_code == 400
    assert owner.delete(url(protected, "/not-a-number")).status_code == 400
    assert owner.get(url(protected), params={"sort": "password"}).status_code == 400
    assert owner.get(f"/api/v1/videos/{uuid.uuid4()}/passwords").status_code == 404
