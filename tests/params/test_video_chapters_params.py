"""Video Chapters: who may replace them, and chapter lists that are refused."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import CLIP_SECONDS, published_video


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"chapp_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def video(owner):
    return published_video(owner)


def chapters_url(video) -> str:
    return f"/api/v1/videos/{video['uuid']}/chapters"


def test_anonymous_and_other_users_cannot_replace_chapters(server, owner, video):
    body = {"chapters": [{"timecode": 0, "title": "Mine"}]}
    assert server.anonymous.put(chapters_url(video), json=body).status_code == 401
    stranger = server.create_user(f"chapp_other_{uuid.uuid4().hex[:8]}")
    assert stranger.put(chapters_url(video), json=body).status_code == 403
    assert owner.get(chapters_url(video)).json()["chapters"] == []


@pytest.mark.parametrize("body", [
    {},
    {"chapters": "0:00 Intro"},
    {"chapters": [{"timecode": 0}]},
    {"chapters": [{"title": "No time"}]},
    {"chapters": [{"timecode": -1, "title": "Before"}]},
    {"chapters": [{"timecode": "soon", "title": "Soon"}]},
    {"chapters": [{"timecode": 0, "title": ""}]},
    {"chapters": [{"timecode": 0, "title": "x" * 101}]},
    {"chapters": [{"timecode": 1, "title": "One"}, {"timecode": 1, "title": "Same"}]},
    {"chapters": [{"timecode": CLIP_SECONDS + 1, "title": "After the end"}]},
])
def test_bad_chapter_lists_name_the_field(owner, video, body):
    response = owner.put(chapters_url(video), json=body)
    assert response.status_code == 400, response.text
    assert any(field.startswith("chapters") for field in response.json()["invalid-params"])
    assert owner.get(chapters_url(video)).json()["chapters"] == []


def test_unknown_video_is_404(server, owner):
    assert server.anonymous.get(f"/api/v1/videos/{uuid.uuid4()}/chapters").status_code == 404
    body = {"chapters": [{"timecode": 0, "title": "x"}]}
    assert owner.put(f"/api/v1/videos/{uuid.uuid4()}/chapters", json=body).status_code == 404


def test_chapters_of_a_private_video_are_hidden(server, owner):
    private = published_video(owner, privacy=3)
    assert server.anonymous.get(chapters_url(private)).status_code == 401
    stranger = server.create_user(f"chapp_private_{uuid.uuid4().hex[:8]}")
    assert stranger.get(chapters_url(private)).status_code == 403
