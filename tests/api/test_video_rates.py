"""Video rates: likes and dislikes move the video's counters, and users read back their own rate."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video, video_json


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"rates_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture
def video(owner):
    return published_video(owner)


def rate(client, video, rating):
    response = client.put(f"/api/v1/videos/{video['uuid']}/rate", json={"rating": rating})
    assert response.status_code == 204, response.text


def my_rating(client, ref):
    response = client.get(f"/api/v1/users/me/videos/{ref}/rating")
    assert response.status_code == 200, response.text
    return response.json()


def counters(client, video) -> tuple[int, int]:
    body = video_json(client, video["id"])
    return body["likes"], body["dislikes"]


def test_rating_moves_the_counters_and_reads_back(server, video):
    fan = server.create_user(f"rates_fan_{uuid.uuid4().hex[:8]}")
    assert my_rating(fan, video["id"]) == {"id": video["id"], "videoId": video["id"], "rating": "none"}

    rate(fan, video, "like")
    assert counters(fan, video) == (1, 0)
    assert my_rating(fan, video["uuid"])["rating"] == "like"
    rate(fan, video, "like")  # the same rate again changes nothing
    assert counters(fan, video) == (1, 0)

    rate(fan, video, "dislike")
    assert counters(fan, video) == (0, 1)
    assert my_rating(fan, video["shortUUID"])["rating"] == "dislike"

    rate(fan, video, "none")
    assert counters(fan, video) == (0, 0)
    assert my_rating(fan, video["id"])["rating"] == "none"
    rate(fan, video, "none")
    assert counters(fan, video) == (0, 0)


def test_rates_of_several_users_add_up(server, owner, video):
    users = [server.create_user(f"rates_many_{uuid.uuid4().hex[:8]}") for _ in range(3)]
    for user in users:
        rate(user, video, "like")
    rate(owner, video, "dislike")
    assert counters(owner, video) == (3, 1)
    rate(users[0], video, "dislike")
    assert counters(owner, video) == (2, 2)
    # each user reads their own rate only
    assert my_rating(users[1], video["id"])["rating"] == "like"
    assert my_rating(users[0], video["id"])["rating"] == "dislike"


def test_a_password_protected_video_is_rated_with_its_password(server, owner):
    protected = published_video(owner, privacy=5, videoPasswords=["door-open-1"])
    fan = server.create_user(f"rates_pw_{uuid.uuid4().hex[:8]}")
    url = f"/api/v1/videos/{protected['uuid']}/rate"
    refused = fan.put(url, json={"rating": "like"})
    assert refused.status_code == 403 and refused.json()["code"] == "video_requires_password"
    wrong = fan.put(url, json={"rating": "like"}, headers={"x-peertube-video-password": "nope"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "incorrect_video_password"
    right = fan.put(url, json={"rating": "like"}, headers={"x-peertube-video-password": "door-open-1"})
    assert right.status_code == 204, right.text
    assert my_rating(fan, protected["id"])["rating"] == "like"
