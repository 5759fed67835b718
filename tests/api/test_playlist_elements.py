"""Playlist elements: adding videos (by id, UUID, short UUID) with start/stop timestamps, editing and
removing them, reordering, positions kept 1..n under concurrent edits, the generated thumbnail, how
elements show to others (private, deleted videos) and `/users/me/video-playlists/videos-exist`."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.api.upstream_spec import schema_errors
from tests.support.interactions import published_video
from tests.support.playlists import (ELEMENT_DELETED, ELEMENT_PRIVATE, ELEMENT_REGULAR, ELEMENT_UNAVAILABLE, PUBLIC,
                                     add_video, create_playlist, element_video_ids, elements, get_playlist,
                                     watch_later_id)


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"ple_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def videos(owner):
    """Four public videos of `owner`."""
    return [published_video(owner) for _ in range(4)]


def positions(client, ref) -> list[int]:
    return [item["position"] for item in elements(client, ref)["data"]]


def test_videos_are_added_listed_and_edited(server, owner, videos):
    playlist = create_playlist(owner, PUBLIC)
    ref = playlist["uuid"]
    first = add_video(owner, ref, videos[0]["id"], startTimestamp=5, stopTimestamp=12)
    add_video(owner, ref, videos[1]["uuid"])
    add_video(owner, ref, videos[2]["shortUUID"])
    add_video(owner, ref, videos[0]["id"])  # the same video may come twice

    body = elements(server.anonymous, ref)
    assert body["total"] == 4
    assert [item["position"] for item in body["data"]] == [1, 2, 3, 4]
    assert [item["video"]["id"] for item in body["data"]] == [videos[0]["id"], videos[1]["id"], videos[2]["id"],
                                                              videos[0]["id"]]
    item = body["data"][0]
    assert (item["id"], item["type"], item["startTimestamp"], item["stopTimestamp"]) == (
        first, ELEMENT_REGULAR, 5, 12)
    # the 7.0 spec documents a list of videos here: the video's fields are on the item too
    assert item["uuid"] == videos[0]["uuid"] and item["name"] == item["video"]["name"]
    assert schema_errors("Video", item) == []
    assert get_playlist(server.anonymous, ref)["videosLength"] == 4

    response = owner.put(f"/api/v1/video-playlists/{ref}/videos/{first}", json={"startTimestamp": 2})
    assert response.status_code == 204, response.text
    item = elements(owner, ref)["data"][0]
    assert (item["startTimestamp"], item["stopTimestamp"]) == (2, 12)
    response = owner.put(f"/api/v1/video-playlists/{playlist['id']}/videos/{first}", json={"stopTimestamp": None})
    assert response.status_code == 204, response.text
    item = elements(owner, ref)["data"][0]
    assert (item["startTimestamp"], item["stopTimestamp"]) == (2, None)

    page = elements(server.anonymous, ref, start=1, count=2)
    assert page["total"] == 4 and [item["position"] for item in page["data"]] == [2, 3]


def test_removing_an_element_closes_the_gap(owner, videos):
    playlist = create_playlist(owner, PUBLIC)
    ids = [add_video(owner, playlist["id"], video["id"]) for video in videos[:3]]
    response = owner.delete(f"/api/v1/video-playlists/{playlist['id']}/videos/{ids[0]}")
    assert response.status_code == 204, response.text
    body = elements(owner, playlist["id"])
    assert [(item["id"], item["position"]) for item in body["data"]] == [(ids[1], 1), (ids[2], 2)]
    # an element of another playlist is not found through this one
    other = create_playlist(owner, PUBLIC)
    assert owner.delete(f"/api/v1/video-playlists/{other['id']}/videos/{ids[1]}").status_code == 404


@pytest.mark.parametrize("move,expected", [
    ({"startPosition": 1, "insertAfterPosition": 3}, "BCAD"),
    ({"startPosition": 4, "insertAfterPosition": 0}, "DABC"),
    ({"startPosition": 2, "insertAfterPosition": 4, "reorderLength": 2}, "ADBC"),
    ({"startPosition": 3, "insertAfterPosition": 1, "reorderLength": 2}, "ACDB"),
    ({"startPosition": 2, "insertAfterPosition": 2}, "ABCD"),
    ({"startPosition": 2, "insertAfterPosition": 3, "reorderLength": 2}, "ABCD"),
])
def test_reorder_moves_a_block_after_a_position(owner, videos, move, expected):
    playlist = create_playlist(owner, PUBLIC)
    for video in videos:
        add_video(owner, playlist["id"], video["id"])
    response = owner.post(f"/api/v1/video-playlists/{playlist['id']}/videos/reorder", json=move)
    assert response.status_code == 204, response.text
    letters = {video["id"]: "ABCD"[index] for index, video in enumerate(videos)}
    assert "".join(letters[video_id] for video_id in element_video_ids(owner, playlist["id"])) == expected
    assert positions(owner, playlist["id"]) == [1, 2, 3, 4]


def test_positions_stay_dense_under_concurrent_edits(server, owner, videos):
    playlist = create_playlist(owner, PUBLIC)
    ref = playlist["id"]

    def add(index: int) -> int:
        client = owner.with_token(owner.token)
        return add_video(client, ref, videos[index % len(videos)]["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        added = list(pool.map(add, range(24)))
    assert len(set(added)) == 24
    assert positions(owner, ref) == list(range(1, 25))

    def remove_or_move(index: int) -> int:
        client = owner.with_token(owner.token)
        if index % 2:
            return client.delete(f"/api/v1/video-playlists/{ref}/videos/{added[index]}").status_code
        return client.post(f"/api/v1/video-playlists/{ref}/videos/reorder",
                           json={"startPosition": 1, "insertAfterPosition": 2}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(remove_or_move, range(16)))
    assert set(statuses) == {204}
    assert positions(owner, ref) == list(range(1, 17))
    assert get_playlist(owner, ref)["videosLength"] == 16


def test_the_first_video_gives_the_playlist_its_thumbnail(server, owner, videos):
    playlist = create_playlist(owner, PUBLIC)
    assert get_playlist(owner, playlist["id"])["thumbnailPath"] is None
    element = add_video(owner, playlist["id"], videos[0]["id"])
    body = get_playlist(server.anonymous, playlist["id"])
    assert body["thumbnailPath"] and httpx.get(body["thumbnailUrl"]).status_code == 200

    assert owner.delete(f"/api/v1/video-playlists/{playlist['id']}/videos/{element}").status_code == 204
    emptied = get_playlist(server.anonymous, playlist["id"])
    assert emptied["thumbnailPath"] is None and emptied["thumbnails"] == []
    assert httpx.get(body["thumbnailUrl"]).status_code == 404


def test_others_see_private_and_deleted_videos_as_unavailable_elements(server, owner, videos):
    private = published_video(owner, privacy=3)
    doomed = published_video(owner)
    playlist = create_playlist(owner, PUBLIC)
    add_video(owner, playlist["id"], videos[0]["id"])
    add_video(owner, playlist["id"], private["id"])
    add_video(owner, playlist["id"], doomed["id"])
    assert owner.delete(f"/api/v1/videos/{doomed['id']}").status_code == 204

    seen_by_others = elements(server.anonymous, playlist["id"])["data"]
    assert [(item["type"], item["video"] is None) for item in seen_by_others] == [
        (ELEMENT_REGULAR, False), (ELEMENT_PRIVATE, True), (ELEMENT_DELETED, True)]
    assert "uuid" not in seen_by_others[1]  # nothing of the private video leaks
    seen_by_owner = elements(owner, playlist["id"])["data"]
    assert [item["type"] for item in seen_by_owner] == [ELEMENT_REGULAR, ELEMENT_REGULAR, ELEMENT_DELETED]
    assert seen_by_owner[1]["video"]["uuid"] == private["uuid"]


def test_someone_elses_private_video_cannot_be_added(server, owner):
    private = published_video(owner, privacy=3)
    stranger = server.create_user(f"ple_stranger_{private['id']}")
    playlist = create_playlist(stranger, PUBLIC)
    response = stranger.post(f"/api/v1/video-playlists/{playlist['id']}/videos", json={"videoId": private["id"]})
    assert response.status_code == 403, response.text


def test_videos_exist_in_my_playlists(server, owner, videos):
    fan = server.create_user(f"ple_fan_{videos[0]['id']}_{videos[1]['id']}")
    later = watch_later_id(fan)
    element = add_video(fan, later, videos[0]["id"], startTimestamp=3)
    mine = create_playlist(fan, PUBLIC)
    other_element = add_video(fan, mine["id"], videos[0]["id"])
    add_video(owner, create_playlist(owner, PUBLIC)["id"], videos[1]["id"])  # someone else's: not reported

    response = fan.get("/api/v1/users/me/video-playlists/videos-exist",
                       params=[("videoIds", videos[0]["id"]), ("videoIds", videos[1]["id"])])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body[str(videos[1]["id"])] == []
    found = sorted(body[str(videos[0]["id"])], key=lambda item: item["playlistId"])
    assert found == [
        {"playlistElementId": element, "playlistId": later, "startTimestamp": 3, "stopTimestamp": None,
         "playlistDisplayName": "Watch later", "playlistShortUUID": get_playlist(fan, later)["shortUUID"]},
        {"playlistElementId": other_element, "playlistId": mine["id"], "startTimestamp": None,
         "stopTimestamp": None, "playlistDisplayName": get_playlist(fan, mine["id"])["displayName"],
         "playlistShortUUID": mine["shortUUID"]},
    ]
    comma = fan.get("/api/v1/users/me/video-playlists/videos-exist",
                    params={"videoIds": f"{videos[0]['id']},{videos[1]['id']}"})
    assert comma.json() == body


def test_a_muted_accounts_playlists_and_videos_are_hidden_from_the_muting_user(server, owner, videos):
    playlist = create_playlist(owner, PUBLIC)
    add_video(owner, playlist["id"], videos[0]["id"])
    curator = server.create_user(f"ple_curator_{playlist['id']}")
    mixed = create_playlist(curator, PUBLIC)
    add_video(curator, mixed["id"], videos[0]["id"])
    muter = server.create_user(f"ple_muter_{playlist['id']}")
    owner_name = owner.get("/api/v1/users/me").json()["username"]
    assert muter.post("/api/v1/users/me/blocklist/accounts", json={"accountName": owner_name}).status_code == 204

    def listed(client) -> set[str]:
        response = client.get("/api/v1/video-playlists", params={"count": 100, "sort": "-createdAt"})
        return {item["uuid"] for item in response.json()["data"]}

    assert playlist["uuid"] in listed(server.anonymous) and playlist["uuid"] not in listed(muter)
    assert mixed["uuid"] in listed(muter)
    assert [item["type"] for item in elements(muter, mixed["id"])["data"]] == [ELEMENT_UNAVAILABLE]
    assert [item["type"] for item in elements(server.anonymous, mixed["id"])["data"]] == [ELEMENT_REGULAR]
