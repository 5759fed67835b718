"""Video Passwords: the owner (or a moderator) lists, replaces and deletes the passwords of a
password-protected video, and the passwords open the video."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"pw_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture
def video(owner):
    return published_video(owner, privacy=5, videoPasswords=["first-pass", "second-pass"])


def passwords_url(video) -> str:
    return f"/api/v1/videos/{video['uuid']}/passwords"


def listed(client, video, **params) -> dict:
    response = client.get(passwords_url(video), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_the_owner_lists_the_passwords(owner, video):
    body = listed(owner, video)
    assert body["total"] == 2
    assert sorted(item["password"] for item in body["data"]) == ["first-pass", "second-pass"]
    for item in body["data"]:
        assert item["videoId"] == video["id"]
        assert set(item) == {"id", "password", "videoId", "createdAt", "updatedAt"}
        assert item["createdAt"].endswith("Z")


def test_pagination_and_sort(owner, video):
    page = listed(owner, video, count=1, sort="id")
    assert page["total"] == 2 and len(page["data"]) == 1
    rest = listed(owner, video, start=1, count=1, sort="id")
    assert rest["data"][0]["id"] > page["data"][0]["id"]
    descending = listed(owner, video, sort="-id")
    assert [item["id"] for item in descending["data"]] == sorted((item["id"] for item in descending["data"]),
                                                                 reverse=True)


def test_replacing_the_passwords(server, owner, video):
    response = owner.put(passwords_url(video), json={"passwords": ["alpha-1", "beta-2", "gamma-3"]})
    assert response.status_code == 204, response.text
    passwords = sorted(item["password"] for item in listed(owner, video)["data"])
    assert passwords == ["alpha-1", "beta-2", "gamma-3"]
    # the old passwords no longer open the video, the new ones do
    video_url = f"/api/v1/videos/{video['uuid']}/chapters"
    for password, status in (("first-pass", 403), ("beta-2", 200)):
        response = server.anonymous.get(video_url, headers={"x-peertube-video-password": password})
        assert response.status_code == status, response.text


def test_deleting_passwords_but_never_the_last(owner, video):
    first, second = listed(owner, video, sort="id")["data"]
    response = owner.delete(f"{passwords_url(video)}/{first['id']}")
    assert response.status_code == 204, response.text
    assert [item["id"] for item in listed(owner, video)["data"]] == [second["id"]]
    last = owner.delete(f"{passwords_url(video)}/{second['id']}")
    assert last.status_code == 403, last.text
    assert listed(owner, video)["total"] == 1


def test_a_moderator_manages_the_passwords(server, video):
    moderator = server.create_user(f"pw_mod_{uuid.uuid4().hex[:8]}", role=1)
    assert listed(moderator, video)["total"] == 2
    response = moderator.put(passwords_url(video), json={"passwords": ["moderated"]})
    assert response.status_code == 204, response.text
    assert [item["password"] for item in listed(moderator, video)["data"]] == ["moderated"]
