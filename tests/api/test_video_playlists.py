"""Video playlists: creation (multipart and JSON), reading by id/UUID/short UUID, the lists of the
instance, of an account and of a channel, privacy, edition, deletion, thumbnails, "Watch later" and
the order of a channel's playlists."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from tests.api.upstream_spec import schema_errors
from tests.support.playlists import (PRIVATE, PUBLIC, UNLISTED, WATCH_LATER, create_playlist,
                                     create_playlist_response, get_playlist, jpeg_bytes, watch_later_id)
from tests.support.videos import my_channel_id


def page(client, path, **params) -> dict:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def uuids(body: dict) -> list[str]:
    return [item["uuid"] for item in body["data"]]


def channel_name(client) -> str:
    return client.get("/api/v1/users/me").json()["videoChannels"][0]["name"]


def test_a_public_playlist_is_created_read_and_listed(server, unique):
    owner = server.create_user(f"pl_owner{unique}")
    channel_id = my_channel_id(owner)
    created = create_playlist(owner, PUBLIC, displayName="Road trip", description="Songs for the road")

    for ref in (created["id"], created["uuid"], created["shortUUID"]):
        body = get_playlist(server.anonymous, ref)
        assert body["uuid"] == created["uuid"]
    assert schema_errors("VideoPlaylist", body) == []
    assert body["displayName"] == "Road trip" and body["description"] == "Songs for the road"
    assert body["privacy"] == {"id": PUBLIC, "label": "Public"}
    assert body["type"] == {"id": 1, "label": "Regular"}
    assert body["isLocal"] is True and body["videosLength"] == 0 and body["videoLength"] == 0
    assert body["url"] == f"{server.url}/video-playlists/{created['uuid']}"
    assert body["embedPath"] == f"/video-playlists/embed/{created['shortUUID']}"
    assert body["ownerAccount"]["name"] == f"pl_owner{unique}"
    assert body["videoChannel"]["id"] == channel_id and body["videoChannelPosition"] == 1
    assert body["thumbnailPath"] is None and body["thumbnails"] == []

    assert created["uuid"] in uuids(page(server.anonymous, "/api/v1/video-playlists", count=100, sort="-createdAt"))
    assert uuids(page(server.anonymous, f"/api/v1/accounts/pl_owner{unique}/video-playlists")) == [created["uuid"]]
    assert uuids(page(server.anonymous, f"/api/v1/video-channels/{channel_name(owner)}/video-playlists")) == [
        created["uuid"]]


def test_json_creation_defaults_to_private_and_public_needs_a_channel(server, unique):
    owner = server.create_user(f"pl_json{unique}")
    response = owner.post("/api/v1/video-playlists", json={"displayName": "Later maybe"})
    assert response.status_code == 200, response.text
    body = get_playlist(owner, response.json()["videoPlaylist"]["uuid"])
    assert body["privacy"]["id"] == PRIVATE and body["videoChannel"] is None and body["videoChannelPosition"] is None

    for privacy in (PUBLIC, UNLISTED):
        refused = owner.post("/api/v1/video-playlists", json={"displayName": "Nope", "privacy": privacy})
        assert refused.status_code == 400, refused.text
        assert "not assigned to a channel" in refused.json()["detail"]


def test_private_playlists_are_invisible_to_others_and_unlisted_ones_need_the_uuid(server, unique):
    owner = server.create_user(f"pl_priv{unique}")
    other = server.create_user(f"pl_priv_other{unique}")
    private = create_playlist(owner, PRIVATE)
    unlisted = create_playlist(owner, UNLISTED)

    for client in (server.anonymous, other):
        for ref in (private["id"], private["uuid"], private["shortUUID"]):
            assert client.get(f"/api/v1/video-playlists/{ref}").status_code == 404
            assert client.get(f"/api/v1/video-playlists/{ref}/videos").status_code == 404
        assert client.get(f"/api/v1/video-playlists/{unlisted['id']}").status_code == 404
        assert get_playlist(client, unlisted["uuid"])["privacy"]["id"] == UNLISTED
        assert get_playlist(client, unlisted["shortUUID"])["privacy"]["id"] == UNLISTED
        listed = uuids(page(client, f"/api/v1/accounts/pl_priv{unique}/video-playlists"))
        assert listed == []
    global_list = uuids(page(server.anonymous, "/api/v1/video-playlists", count=100))
    assert private["uuid"] not in global_list and unlisted["uuid"] not in global_list

    assert get_playlist(owner, private["id"])["privacy"]["id"] == PRIVATE
    mine = uuids(page(owner, f"/api/v1/accounts/pl_priv{unique}/video-playlists", sort="createdAt"))
    assert mine[1:] == [private["uuid"], unlisted["uuid"]]  # after "Watch later", created with the user
    # an administrator sees every playlist
    assert get_playlist(server.root, private["uuid"])["uuid"] == private["uuid"]


def test_watch_later_exists_for_every_user_and_stays_as_it_is(server, unique):
    user = server.create_user(f"pl_later{unique}")
    special = user.get("/api/v1/users/me").json()["specialPlaylists"]
    assert special == [{"id": special[0]["id"], "name": "Watch later", "type": WATCH_LATER}]
    playlist_id = watch_later_id(user)

    body = get_playlist(user, playlist_id)
    assert body["type"] == {"id": WATCH_LATER, "label": "Watch later"} and body["privacy"]["id"] == PRIVATE
    only_special = page(user, f"/api/v1/accounts/pl_later{unique}/video-playlists", playlistType=WATCH_LATER)
    assert [item["id"] for item in only_special["data"]] == [playlist_id]
    assert page(user, f"/api/v1/accounts/pl_later{unique}/video-playlists", playlistType=1)["total"] == 0

    renamed = user.put(f"/api/v1/video-playlists/{playlist_id}", json={"displayName": "Mine"})
    assert renamed.status_code == 400 and "watch later" in renamed.json()["detail"]
    deleted = user.delete(f"/api/v1/video-playlists/{playlist_id}")
    assert deleted.status_code == 400 and "watch later" in deleted.json()["detail"]
    assert server.anonymous.get(f"/api/v1/video-playlists/{playlist_id}").status_code == 404


def test_update_changes_what_is_sent_and_keeps_the_rest(server, unique):
    owner = server.create_user(f"pl_upd{unique}")
    created = create_playlist(owner, PUBLIC, displayName="Before", description="first words")

    response = owner.put(f"/api/v1/video-playlists/{created['id']}", json={"displayName": "After"})
    assert response.status_code == 204, response.text
    body = get_playlist(owner, created["id"])
    assert (body["displayName"], body["description"], body["privacy"]["id"]) == ("After", "first words", PUBLIC)
    assert body["updatedAt"] >= body["createdAt"]

    # PeerTube's client sends every field of the form, "null" for none
    response = owner.put(f"/api/v1/video-playlists/{created['uuid']}",
                         files={"description": (None, "null"), "privacy": (None, str(UNLISTED))})
    assert response.status_code == 204, response.text
    body = get_playlist(owner, created["uuid"])
    assert body["description"] is None and body["privacy"]["id"] == UNLISTED and body["displayName"] == "After"

    # public needs a channel: leaving it is refused while public
    response = owner.put(f"/api/v1/video-playlists/{created['id']}", json={"privacy": PUBLIC, "videoChannelId": None})
    assert response.status_code == 400, response.text
    response = owner.put(f"/api/v1/video-playlists/{created['id']}", json={"privacy": PRIVATE, "videoChannelId": None})
    assert response.status_code == 204, response.text
    body = get_playlist(owner, created["id"])
    assert body["videoChannel"] is None and body["videoChannelPosition"] is None and body["privacy"]["id"] == PRIVATE


def test_deletion_by_the_owner_or_a_moderator(server, unique):
    owner = server.create_user(f"pl_del{unique}")
    moderator = server.create_user(f"pl_del_mod{unique}", role=1)
    first, second = create_playlist(owner, PUBLIC), create_playlist(owner, PUBLIC)

    assert owner.delete(f"/api/v1/video-playlists/{first['shortUUID']}").status_code == 204
    assert owner.get(f"/api/v1/video-playlists/{first['id']}").status_code == 404
    assert moderator.delete(f"/api/v1/video-playlists/{second['id']}").status_code == 204
    assert server.anonymous.get(f"/api/v1/video-playlists/{second['uuid']}").status_code == 404


def test_an_uploaded_thumbnail_is_served_and_replaced(server, unique):
    owner = server.create_user(f"pl_thumb{unique}")
    response = create_playlist_response(owner, thumbnail=jpeg_bytes(), displayName="With a picture",
                                        privacy=PUBLIC, videoChannelId=my_channel_id(owner))
    assert response.status_code == 200, response.text
    ref = response.json()["videoPlaylist"]["uuid"]
    body = get_playlist(server.anonymous, ref)
    assert body["thumbnailPath"].startswith("/lazy-static/thumbnails/")
    assert body["thumbnailUrl"] == server.url + body["thumbnailPath"]
    assert body["thumbnails"] == [{"width": 280, "height": 157, "aspectRatio": "16:9",
                                   "fileUrl": body["thumbnailUrl"]}]
    served = httpx.get(body["thumbnailUrl"])
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served.content)).size == (280, 157)

    response = owner.put(f"/api/v1/video-playlists/{ref}",
                         files={"thumbnailfile": ("new.jpg", jpeg_bytes(color=(0, 0, 255)), "image/jpeg")})
    assert response.status_code == 204, response.text
    replaced = get_playlist(server.anonymous, ref)
    assert replaced["thumbnailPath"] != body["thumbnailPath"]
    assert httpx.get(replaced["thumbnailUrl"]).status_code == 200
    assert httpx.get(body["thumbnailUrl"]).status_code == 404  # the old file is gone

    refused = owner.put(f"/api/v1/video-playlists/{ref}",
                        files={"thumbnailfile": ("notes.jpg", b"not an image at all", "image/jpeg")})
    assert refused.status_code == 400 and "thumbnailfile" in refused.json()["invalid-params"]
    assert get_playlist(owner, ref)["thumbnailPath"] == replaced["thumbnailPath"]


def test_lists_sort_filter_search_and_paginate(server, unique):
    owner = server.create_user(f"pl_list{unique}")
    names = ["banana", "Apple", "cherry"]
    created = [create_playlist(owner, PUBLIC, displayName=f"{name} {unique}") for name in names]
    path = f"/api/v1/accounts/pl_list{unique}/video-playlists"

    by_name = page(server.anonymous, path, sort="displayName")
    assert [item["displayName"].split()[0] for item in by_name["data"]] == ["Apple", "banana", "cherry"]
    newest = page(server.anonymous, path, sort="-createdAt", count=2)
    assert newest["total"] == 3 and uuids(newest) == [created[2]["uuid"], created[1]["uuid"]]
    assert uuids(page(server.anonymous, path, sort="-createdAt", start=2)) == [created[0]["uuid"]]
    assert uuids(page(server.anonymous, path, search="CHER")) == [created[2]["uuid"]]
    assert page(server.anonymous, path, search="%")["total"] == 0  # LIKE wildcards are literal
    assert page(server.anonymous, path, channelNameOneOf=channel_name(owner))["total"] == 3
    assert page(server.anonymous, path, channelNameOneOf="nochannel")["total"] == 0
    assert page(server.anonymous, "/api/v1/video-playlists", playlistType=WATCH_LATER)["total"] == 0


def test_channel_playlists_keep_the_order_their_owner_sets(server, unique):
    owner = server.create_user(f"pl_order{unique}")
    other = server.create_user(f"pl_order_other{unique}")
    channel = channel_name(owner)
    first, second, third = (create_playlist(owner, PUBLIC, displayName=f"p{i}") for i in range(3))
    path = f"/api/v1/video-channels/{channel}/video-playlists"

    def positions():
        return [(item["uuid"], item["videoChannelPosition"])
                for item in page(server.anonymous, path, sort="videoChannelPosition")["data"]]

    assert positions() == [(first["uuid"], 1), (second["uuid"], 2), (third["uuid"], 3)]
    reorder = {"startPosition": 3, "insertAfterPosition": 0}
    assert other.post(f"{path}/reorder", json=reorder).status_code == 403
    response = owner.post(f"{path}/reorder", json=reorder)
    assert response.status_code == 204, response.text
    assert positions() == [(third["uuid"], 1), (first["uuid"], 2), (second["uuid"], 3)]
    response = owner.post(f"{path}/reorder", json={"startPosition": 1, "insertAfterPosition": 3})
    assert response.status_code == 204, response.text
    assert positions() == [(first["uuid"], 1), (second["uuid"], 2), (third["uuid"], 3)]
    assert owner.post(f"{path}/reorder", json={"startPosition": 4, "insertAfterPosition": 0}).status_code == 400

    # leaving the channel closes the gap; a new playlist goes last
    assert owner.delete(f"/api/v1/video-playlists/{first['id']}").status_code == 204
    assert owner.put(f"/api/v1/video-playlists/{second['id']}",
                     json={"privacy": PRIVATE, "videoChannelId": None}).status_code == 204
    fourth = create_playlist(owner, PUBLIC)
    assert positions() == [(third["uuid"], 1), (fourth["uuid"], 2)]
    # the owner's view of the channel also lists its private playlists
    assert page(owner, path)["total"] == 2 and page(server.anonymous, path)["total"] == 2


@pytest.mark.parametrize("privacy", [PUBLIC, UNLISTED])
def test_a_deleted_channel_leaves_its_playlists_private_to_their_owner(server, unique, privacy):
    owner = server.create_user(f"pl_chdel{unique}")
    response = owner.post("/api/v1/video-channels", json={"name": f"pl_chdel_ch{unique}", "displayName": "Gone soon"})
    assert response.status_code == 200, response.text
    created = create_playlist(owner, privacy, videoChannelId=response.json()["videoChannel"]["id"])
    assert owner.delete(f"/api/v1/video-channels/pl_chdel_ch{unique}").status_code == 204
    body = get_playlist(owner, created["uuid"])
    assert body["privacy"]["id"] == PRIVATE and body["videoChannel"] is None
    assert server.anonymous.get(f"/api/v1/video-playlists/{created['uuid']}").status_code == 404
