"""Video Playlists: who may do what (someone else's playlist → 403, a private one → 404, anonymous →
401) and bad input (names, descriptions, privacies, channels, timestamps, positions, ids, pagination)
→ 400 naming the field."""

from __future__ import annotations

import uuid

import pytest

from tests.support.interactions import published_video
from tests.support.playlists import PRIVATE, PUBLIC, add_video, create_playlist, create_playlist_response
from tests.support.videos import my_channel_id


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"plp_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def stranger(server):
    return server.create_user(f"plp_stranger_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def video(owner):
    return published_video(owner)


@pytest.fixture(scope="module")
def playlist(owner, video):
    created = create_playlist(owner, PUBLIC)
    created["element"] = add_video(owner, created["id"], video["id"])
    return created


@pytest.fixture(scope="module")
def private_playlist(owner, video):
    created = create_playlist(owner, PRIVATE)
    created["element"] = add_video(owner, created["id"], video["id"])
    return created


def invalid_field(response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert field in response.json().get("invalid-params", {}), response.text


def writes(playlist: dict, video: dict) -> list[tuple[str, str, dict | None]]:
    base = f"/api/v1/video-playlists/{playlist['id']}"
    element = f"{base}/videos/{playlist['element']}"
    return [("PUT", base, {"displayName": "taken over"}), ("DELETE", base, None),
            ("POST", f"{base}/videos", {"videoId": video["id"]}),
            ("POST", f"{base}/videos/reorder", {"startPosition": 1, "insertAfterPosition": 0}),
            ("PUT", element, {"startTimestamp": 1}), ("DELETE", element, None)]


def test_someone_elses_playlist_cannot_be_changed(server, stranger, playlist, video):
    moderator = server.create_user(f"plp_mod_{playlist['id']}", role=1)
    for method, path, body in writes(playlist, video):
        response = stranger.request(method, path, json=body)
        assert response.status_code == 403, f"{method} {path}: {response.text}"
        assert server.anonymous.request(method, path, json=body).status_code == 401
    # moderators may remove or edit a playlist (REMOVE_ANY_VIDEO_PLAYLIST), not its elements
    for method, path, body in writes(playlist, video)[2:]:
        assert moderator.request(method, path, json=body).status_code == 403, f"{method} {path}"


def test_a_private_playlist_is_invisible_to_others(server, stranger, private_playlist, video):
    base = f"/api/v1/video-playlists/{private_playlist['uuid']}"
    for client in (server.anonymous, stranger):
        assert client.get(base).status_code == 404
        assert client.get(f"{base}/videos").status_code == 404
    for method, path, body in writes(private_playlist, video):
        response = stranger.request(method, path, json=body)
        assert response.status_code == 404, f"{method} {path}: {response.text}"


def test_unknown_playlists_and_elements(owner, playlist):
    for ref in ("999999999", "00000000-0000-4000-8000-000000000000", "not-a-valid-ref", "2147483648"):
        assert owner.get(f"/api/v1/video-playlists/{ref}").status_code in (400, 404), ref
    assert owner.get("/api/v1/video-playlists/999999999").status_code == 404
    response = owner.put(f"/api/v1/video-playlists/{playlist['id']}/videos/999999999", json={"startTimestamp": 1})
    assert response.status_code == 404
    assert owner.delete(f"/api/v1/video-playlists/{playlist['id']}/videos/0").status_code == 400
    response = owner.post(f"/api/v1/video-playlists/{playlist['id']}/videos", json={"videoId": 999999999})
    assert response.status_code == 404


@pytest.mark.parametrize("fields,field", [
    ({"displayName": ""}, "displayName"),
    ({"displayName": "x" * 121}, "displayName"),
    ({"displayName": "ok", "description": "ab"}, "description"),
    ({"displayName": "ok", "description": "d" * 1001}, "description"),
    ({"displayName": "ok", "privacy": 4}, "privacy"),
    ({"displayName": "ok", "privacy": "public"}, "privacy"),
    ({"displayName": "ok", "videoChannelId": "abc"}, "videoChannelId"),
    ({"displayName": "ok", "videoChannelId": 2**31}, "videoChannelId"),
    ({"displayName": None}, "displayName"),
])
def test_bad_playlist_fields(owner, playlist, fields, field):
    invalid_field(owner.post("/api/v1/video-playlists", json=fields), field)
    invalid_field(create_playlist_response(owner, **fields), field)
    invalid_field(owner.put(f"/api/v1/video-playlists/{playlist['id']}", json=fields), field)


def test_a_name_is_required_and_the_channel_must_be_mine(owner, stranger):
    invalid_field(owner.post("/api/v1/video-playlists", json={"privacy": PRIVATE}), "displayName")
    response = owner.post("/api/v1/video-playlists",
                          json={"displayName": "ok", "privacy": PUBLIC, "videoChannelId": my_channel_id(stranger)})
    invalid_field(response, "videoChannelId")
    invalid_field(owner.post("/api/v1/video-playlists", json={"displayName": "ok", "videoChannelId": 2**31 - 1}),
                  "videoChannelId")
    assert owner.post("/api/v1/video-playlists", content=b"{not json",
                      headers={"Content-Type": "application/json"}).status_code == 400
    assert owner.post("/api/v1/video-playlists", json=["a list"]).status_code == 400
    refused = create_playlist_response(owner, thumbnail=b"GIF89a not really", displayName="bad picture")
    invalid_field(refused, "thumbnailfile")


@pytest.mark.parametrize("value", [-1, "soon", True, 2**31, 1.5])
def test_bad_timestamps(owner, playlist, video, value):
    base = f"/api/v1/video-playlists/{playlist['id']}/videos"
    for field in ("startTimestamp", "stopTimestamp"):
        invalid_field(owner.post(base, json={"videoId": video["id"], field: value}), field)
        invalid_field(owner.put(f"{base}/{playlist['element']}", json={field: value}), field)


@pytest.mark.parametrize("value", [True, "", "2147483648", 2**40, "../etc"])
def test_bad_video_ids(owner, playlist, value):
    response = owner.post(f"/api/v1/video-playlists/{playlist['id']}/videos", json={"videoId": value})
    invalid_field(response, "videoId")


@pytest.mark.parametrize("body,status", [
    ({"startPosition": 0, "insertAfterPosition": 0}, 400),
    ({"startPosition": 1, "insertAfterPosition": -1}, 400),
    ({"startPosition": 1, "insertAfterPosition": 0, "reorderLength": 0}, 400),
    ({"startPosition": "one", "insertAfterPosition": 0}, 400),
    ({"insertAfterPosition": 0}, 400),
    ({"startPosition": 2, "insertAfterPosition": 0}, 400),   # past the single element
    ({"startPosition": 1, "insertAfterPosition": 2}, 400),
    ({"startPosition": 1, "insertAfterPosition": 0, "reorderLength": 2}, 400),
    ({"startPosition": 2**31, "insertAfterPosition": 0}, 400),
])
def test_bad_reorder_positions(owner, playlist, body, status):
    response = owner.post(f"/api/v1/video-playlists/{playlist['id']}/videos/reorder", json=body)
    assert response.status_code == status, response.text


@pytest.mark.parametrize("path", ["/api/v1/video-playlists", "/api/v1/accounts/root/video-playlists",
                                  "/api/v1/video-channels/root_channel/video-playlists"])
@pytest.mark.parametrize("params", [{"start": -1}, {"count": 101}, {"count": -1}, {"start": 2**40},
                                    {"sort": "password"}, {"playlistType": 3}, {"playlistType": "x"}])
def test_bad_list_parameters(server, path, params):
    assert server.anonymous.get(path, params=params).status_code == 400


def test_lists_of_unknown_accounts_and_channels(server):
    assert server.anonymous.get("/api/v1/accounts/nobody_here_at_all/video-playlists").status_code == 404
    assert server.anonymous.get("/api/v1/video-channels/nobody_here_at_all/video-playlists").status_code == 404


def test_element_list_pagination(server, playlist):
    path = f"/api/v1/video-playlists/{playlist['uuid']}/videos"
    for params in ({"start": -1}, {"count": 101}, {"count": "many"}):
        assert server.anonymous.get(path, params=params).status_code == 400


def test_videos_exist_parameters(server, owner):
    path = "/api/v1/users/me/video-playlists/videos-exist"
    assert server.anonymous.get(path, params={"videoIds": 1}).status_code == 401
    for value in ("x", "0", "-3", "2147483648", "1,,2"):
        invalid_field(owner.get(path, params={"videoIds": value}), "videoIds")
    assert owner.get(path).status_code == 400
    assert owner.get(path, params=[("videoIds", str(i)) for i in range(1, 502)]).status_code == 400


def test_channel_reorder_needs_the_channel(server, owner, stranger):
    channel = owner.get("/api/v1/users/me").json()["videoChannels"][0]["name"]
    path = f"/api/v1/video-channels/{channel}/video-playlists/reorder"
    body = {"startPosition": 1, "insertAfterPosition": 0}
    assert server.anonymous.post(path, json=body).status_code == 401
    assert stranger.post(path, json=body).status_code == 403
    assert owner.post(path, json={"startPosition": 0, "insertAfterPosition": 0}).status_code == 400
    assert owner.post(path, json={"startPosition": 99, "insertAfterPosition": 0}).status_code == 400
    assert owner.post("/api/v1/video-channels/no_such_channel_x/video-playlists/reorder", json=body).status_code == 404
