"""Who sees which video, in lists and by id: public, unlisted, private, internal and
password-protected videos, for anonymous callers, other users, the owner and moderators."""

from __future__ import annotations

import uuid

import pytest

from tests.support.published_videos import published_video

PRIVACIES = {"public": 1, "unlisted": 2, "private": 3, "internal": 4, "password": 5}


@pytest.fixture(scope="module")
def videos(server):
    suffix = uuid.uuid4().hex[:6]
    owner = server.create_user(f"privowner{suffix}")
    refs = {}
    for name, privacy in PRIVACIES.items():
        extra = {"videoPasswords": ["open-sesame"]} if privacy == 5 else {}
        refs[name] = published_video(owner, privacy=privacy, tags=[f"priv{suffix}"], name=f"{name} {suffix}",
                                     **extra)
    return {"owner": owner, "other": server.create_user(f"privother{suffix}"),
            "moderator": server.create_user(f"privmod{suffix}", role=1), "refs": refs, "tag": f"priv{suffix}"}


def _listed(client, videos) -> set[str]:
    body = client.get("/api/v1/videos", params={"tagsOneOf": videos["tag"], "count": 100}).json()
    by_uuid = {ref["uuid"]: name for name, ref in videos["refs"].items()}
    return {by_uuid[item["uuid"]] for item in body["data"]}


def test_lists_show_public_videos_and_internal_ones_to_users(server, videos):
    assert _listed(server.anonymous, videos) == {"public"}
    assert _listed(videos["other"], videos) == {"public", "internal"}
    # owners and moderators too: the public list is the public list
    assert _listed(videos["owner"], videos) == {"public", "internal"}
    assert _listed(videos["moderator"], videos) == {"public", "internal"}


def _status(client, videos, name, headers=None) -> int:
    return client.get(f"/api/v1/videos/{videos['refs'][name]['uuid']}", headers=headers).status_code


@pytest.mark.parametrize("name,anonymous,other,owner,moderator", [
    ("public", 200, 200, 200, 200),
    ("unlisted", 200, 200, 200, 200),
    ("private", 401, 403, 200, 200),
    ("internal", 401, 200, 200, 200),
    ("password", 403, 403, 200, 200),
])
def test_access_by_id(server, videos, name, anonymous, other, owner, moderator):
    assert _status(server.anonymous, videos, name) == anonymous
    assert _status(videos["other"], videos, name) == other
    assert _status(videos["owner"], videos, name) == owner
    assert _status(videos["moderator"], videos, name) == moderator
    # the smaller reads follow the same rule
    ref = videos["refs"][name]["uuid"]
    assert server.anonymous.get(f"/api/v1/videos/{ref}/description").status_code == anonymous
    assert server.anonymous.get(f"/api/v1/videos/{ref}/storyboards").status_code == anonymous


def test_password_protected_video_needs_its_password(server, videos):
    ref = videos["refs"]["password"]["uuid"]
    missing = server.anonymous.get(f"/api/v1/videos/{ref}")
    assert missing.status_code == 403 and missing.json()["code"] == "video_requires_password"
    wrong = server.anonymous.get(f"/api/v1/videos/{ref}", headers={"x-peertube-video-password": "nope"})
    assert wrong.status_code == 403 and wrong.json()["code"] == "incorrect_video_password"
    right = server.anonymous.get(f"/api/v1/videos/{ref}", headers={"x-peertube-video-password": "open-sesame"})
    assert right.status_code == 200 and right.json()["privacy"] == {"id": 5, "label": "Password protected"}
    assert videos["other"].get(f"/api/v1/videos/{ref}/description",
                               headers={"x-peertube-video-password": "open-sesame"}).status_code == 200


def test_private_videos_files_are_under_private_paths(server, videos):
    for name in ("private", "internal", "password"):
        details = videos["owner"].get(f"/api/v1/videos/{videos['refs'][name]['uuid']}").json()
        playlist = details["streamingPlaylists"][0]
        assert "/static/streaming-playlists/hls/private/" in playlist["playlistUrl"]
        assert all("/hls/private/" in file["fileUrl"] for file in playlist["files"])
    public = videos["owner"].get(f"/api/v1/videos/{videos['refs']['unlisted']['uuid']}").json()
    assert "/private/" not in public["streamingPlaylists"][0]["playlistUrl"]


def test_my_videos_and_moderator_filters_show_every_privacy(server, videos):
    mine = videos["owner"].get("/api/v1/users/me/videos", params={"count": 100}).json()
    assert {item["privacy"]["id"] for item in mine["data"]} == set(PRIVACIES.values())
    moderated = videos["moderator"].get("/api/v1/videos", params={
        "tagsOneOf": videos["tag"], "privacyOneOf": list(PRIVACIES.values())}).json()
    assert moderated["total"] == len(PRIVACIES)
    refused = videos["other"].get("/api/v1/videos", params={"privacyOneOf": 3})
    assert refused.status_code == 401
