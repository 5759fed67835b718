"""`POST /videos/{id}/views`: watching reports make views count (once per viewer) and feed the
history of logged-in users. The clip lasts 4 s, less than `count_view_after` (10 s): a view counts
once more than half of it was watched."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video, video_json


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"views_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def video(owner):
    return published_video(owner)


def report(caller, video, current_time, *, path="views", method="POST", **extra):
    response = caller.request(method, f"/api/v1/videos/{video['uuid']}/{path}",
                              json={"currentTime": current_time, **extra})
    assert response.status_code == 204, response.text
    return response


def views_of(client, video) -> int:
    return video_json(client, video["id"])["views"]


def test_each_viewer_counts_once_after_watching_enough(server, video):
    anonymous = server.anonymous
    first, second = f"s{uuid.uuid4().hex}", f"s{uuid.uuid4().hex}"
    before = views_of(anonymous, video)

    report(anonymous, video, 0, sessionId=first)
    report(anonymous, video, 2, sessionId=first)  # half of the clip: not more than half
    assert views_of(anonymous, video) == before
    report(anonymous, video, 3, sessionId=first)
    assert views_of(anonymous, video) == before + 1
    report(anonymous, video, 4, sessionId=first)
    assert views_of(anonymous, video) == before + 1

    report(anonymous, video, 0, sessionId=second)
    report(anonymous, video, 4, sessionId=second)
    assert views_of(anonymous, video) == before + 2


def test_a_seek_is_not_watched_time(server, video):
    anonymous = server.anonymous
    viewer = f"s{uuid.uuid4().hex}"
    before = views_of(anonymous, video)
    report(anonymous, video, 0, sessionId=viewer)
    report(anonymous, video, 4, sessionId=viewer, viewEvent="seek")
    assert views_of(anonymous, video) == before
    report(anonymous, video, 1, sessionId=viewer)  # back to 1: a new section, still nothing watched
    report(anonymous, video, 4, sessionId=viewer)
    assert views_of(anonymous, video) == before + 1


def test_every_alias_of_the_route_is_a_report(server, video):
    anonymous = server.anonymous
    viewer = f"s{uuid.uuid4().hex}"
    before = views_of(anonymous, video)
    report(anonymous, video, 0, path="watching", method="PUT", sessionId=viewer)
    report(anonymous, video, 1, path="views", method="PUT", sessionId=viewer)
    report(anonymous, video, 4, path="watching", method="POST", sessionId=viewer)
    assert views_of(anonymous, video) == before + 1


def test_logged_in_users_history_follows_their_reports(server, video):
    viewer = server.create_user(f"views_user_{uuid.uuid4().hex[:8]}")
    assert video_json(viewer, video["id"]).get("userHistory") is None

    report(viewer, video, 1)
    report(viewer, video, 3, client="tests", device="desktop", operatingSystem="Linux")
    assert video_json(viewer, video["id"])["userHistory"] == {"currentTime": 3}
    # someone else's history is not shown
    assert video_json(server.anonymous, video["id"]).get("userHistory") is None

    response = viewer.put("/api/v1/users/me", json={"videosHistoryEnabled": False})
    assert response.status_code == 204, response.text
    report(viewer, video, 0)
    assert video_json(viewer, video["id"])["userHistory"] == {"currentTime": 3}


def test_the_owner_reports_on_a_private_video(owner):
    private = published_video(owner, privacy=3)
    report(owner, private, 1)
    assert video_json(owner, private["id"])["userHistory"] == {"currentTime": 1}
