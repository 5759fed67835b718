"""Video Chapters: replaced as a whole by the owner or a moderator, read by whoever sees the video."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"chap_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture
def video(owner):
    return published_video(owner)


def chapters_url(video) -> str:
    return f"/api/v1/videos/{video['uuid']}/chapters"


def chapters(client, video, headers=None) -> list:
    response = client.get(chapters_url(video), headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["chapters"]


def test_chapters_are_replaced_and_listed_in_time_order(server, owner, video):
    assert chapters(server.anonymous, video) == []
    body = {"chapters": [{"timecode": 3, "title": "The end"}, {"timecode": 0, "title": "Start"},
                         {"timecode": 1, "title": "Middle"}]}
    response = owner.put(chapters_url(video), json=body)
    assert response.status_code == 204, response.text
    assert chapters(server.anonymous, video) == [{"timecode": 0, "title": "Start"},
                                                 {"timecode": 1, "title": "Middle"},
                                                 {"timecode": 3, "title": "The end"}]

    response = owner.put(chapters_url(video), json={"chapters": [{"timecode": 2, "title": "Only one"}]})
    assert response.status_code == 204, response.text
    assert chapters(owner, video) == [{"timecode": 2, "title": "Only one"}]
    assert owner.put(chapters_url(video), json={"chapters": []}).status_code == 204
    assert chapters(owner, video) == []


def test_a_moderator_replaces_chapters(server, video):
    moderator = server.create_user(f"chap_mod_{uuid.uuid4().hex[:8]}", role=1)
    response = moderator.put(chapters_url(video), json={"chapters": [{"timecode": 0, "title": "Moderated"}]})
    assert response.status_code == 204, response.text
    assert chapters(server.anonymous, video) == [{"timecode": 0, "title": "Moderated"}]


def test_chapters_of_a_password_protected_video_need_its_password(server, owner):
    protected = published_video(owner, privacy=5, videoPasswords=["chapter-pass"])
    response = owner.put(chapters_url(protected), json={"chapters": [{"timecode": 1, "title": "Hidden"}]})
    assert response.status_code == 204, response.text
    refused = server.anonymous.get(chapters_url(protected))
    assert refused.status_code == 403 and refused.json()["code"] == "video_requires_password"
    assert chapters(server.anonymous, protected, {"x-peertube-video-password": "chapter-pass"}) == [
        {"timecode": 1, "title": "Hidden"}]
