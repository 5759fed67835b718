"""Watch history: written by the player's reports while the user keeps it, listed latest first,
searched, and forgotten one video at a time or up to a date."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tests.support.published_videos import published_video

HISTORY = "/api/v1/users/me/history/videos"


@pytest.fixture(scope="module")
def videos(server):
    owner = server.create_user(f"hist_owner_{uuid.uuid4().hex[:8]}")
    return [published_video(owner, name=name) for name in ("Cooking pasta", "Mountain hike", "Night sky")]


def watch(client, video, at: int = 2) -> None:
    response = client.post(f"/api/v1/videos/{video['uuid']}/views", json={"currentTime": at})
    assert response.status_code == 204, response.text


def listed(client, **params) -> dict:
    response = client.get(HISTORY, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_watched_videos_are_listed_latest_first_with_the_position(server, videos, unique):
    viewer = server.create_user(f"hist_viewer{unique}")
    assert listed(viewer) == {"total": 0, "data": []}
    for video in videos:
        watch(viewer, video)
    watch(viewer, videos[0], at=3)  # watched again: first in the list, at the new position

    history = listed(viewer)
    assert history["total"] == 3
    expected = [videos[0]["uuid"], videos[2]["uuid"], videos[1]["uuid"]]
    assert [item["uuid"] for item in history["data"]] == expected
    assert history["data"][0]["userHistory"] == {"currentTime": 3}
    assert history["data"][1]["userHistory"] == {"currentTime": 2}

    page = listed(viewer, start=1, count=1)
    assert page["total"] == 3 and [item["uuid"] for item in page["data"]] == [videos[2]["uuid"]]
    found = listed(viewer, search="mountain")
    assert [item["uuid"] for item in found["data"]] == [videos[1]["uuid"]] and found["total"] == 1


def test_one_video_is_forgotten(server, videos, unique):
    viewer = server.create_user(f"hist_forget{unique}")
    for video in videos:
        watch(viewer, video)
    response = viewer.delete(f"{HISTORY}/{videos[1]['id']}")
    assert response.status_code == 204, response.text
    assert {item["uuid"] for item in listed(viewer)["data"]} == {videos[0]["uuid"], videos[2]["uuid"]}
    # a video not in the history (or none at all) is no error, as in PeerTube
    assert viewer.delete(f"{HISTORY}/{videos[1]['id']}").status_code == 204
    assert viewer.delete(f"{HISTORY}/2147483647").status_code == 204


def test_the_history_is_cleared_entirely_or_before_a_date(server, videos, unique):
    viewer = server.create_user(f"hist_clear{unique}")
    watch(viewer, videos[0])
    middle = datetime.now(UTC).isoformat()
    watch(viewer, videos[1])

    # as a form (the spec's multipart body) ...
    response = viewer.post(f"{HISTORY}/remove", files={"beforeDate": (None, middle)})
    assert response.status_code == 204, response.text
    assert [item["uuid"] for item in listed(viewer)["data"]] == [videos[1]["uuid"]]
    # ... or JSON, or nothing at all: everything goes
    assert viewer.post(f"{HISTORY}/remove", json={"beforeDate": "2000-01-01T00:00:00Z"}).status_code == 204
    assert listed(viewer)["total"] == 1
    assert viewer.post(f"{HISTORY}/remove").status_code == 204
    assert listed(viewer) == {"total": 0, "data": []}


def test_nothing_is_recorded_while_the_history_is_off(server, videos, unique):
    viewer = server.create_user(f"hist_off{unique}")
    assert viewer.put("/api/v1/users/me", json={"videosHistoryEnabled": False}).status_code == 204
    watch(viewer, videos[0])
    assert listed(viewer)["total"] == 0
    assert viewer.put("/api/v1/users/me", json={"videosHistoryEnabled": True}).status_code == 204
    watch(viewer, videos[0])
    assert [item["uuid"] for item in listed(viewer)["data"]] == [videos[0]["uuid"]]


def test_each_user_sees_only_their_history(server, videos, unique):
    first, second = (server.create_user(f"hist_{who}{unique}") for who in ("first", "second"))
    watch(first, videos[0])
    watch(second, videos[1])
    assert [item["uuid"] for item in listed(first)["data"]] == [videos[0]["uuid"]]
    second.post(f"{HISTORY}/remove")
    assert listed(first)["total"] == 1


def test_a_video_made_private_leaves_the_list(server, unique):
    owner = server.create_user(f"hist_private_owner{unique}")
    video = published_video(owner)
    viewer = server.create_user(f"hist_private{unique}")
    watch(viewer, video)
    assert listed(viewer)["total"] == 1
    assert owner.put(f"/api/v1/videos/{video['uuid']}", json={"privacy": 3}).status_code == 204
    assert listed(viewer) == {"total": 0, "data": []}
