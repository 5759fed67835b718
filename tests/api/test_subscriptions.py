"""Subscriptions: following local channels, reading them back, their videos, and the counts."""

from __future__ import annotations

import uuid

import pytest

from tests.support.notifications import SUBSCRIPTIONS, handle, subscribe
from tests.support.published_videos import published_video


@pytest.fixture(scope="module")
def creator(server):
    return server.create_user(f"subs_creator_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def creator_videos(creator):
    """A public and a private video of the creator's channel."""
    return published_video(creator, name="public clip"), published_video(creator, privacy=3)


def channel(server, target: str) -> dict:
    response = server.anonymous.get(f"/api/v1/video-channels/{target.split('@')[0]}")
    assert response.status_code == 200, response.text
    return response.json()


def test_subscribing_lists_the_channel_and_counts_the_follow(server, creator, unique):
    fan = server.create_user(f"subs_fan{unique}")
    target = handle(creator, server)
    before = channel(server, target)["followersCount"]

    subscribe(fan, target)
    listed = fan.get(SUBSCRIPTIONS).json()
    assert listed["total"] == 1
    item = listed["data"][0]
    assert item["name"] == target.split("@")[0] and item["isLocal"] is True
    assert item["ownerAccount"]["name"] == creator.get("/api/v1/users/me").json()["username"]
    assert item["followersCount"] == before + 1
    assert channel(server, target)["followersCount"] == before + 1
    assert fan.get(f"/api/v1/accounts/subs_fan{unique}").json()["followingCount"] == 1

    one = fan.get(f"{SUBSCRIPTIONS}/{target}")
    assert one.status_code == 200, one.text
    assert one.json()["id"] == item["id"] and one.json()["ownerAccount"]["id"] == item["ownerAccount"]["id"]

    # subscribing again changes nothing
    subscribe(fan, target)
    assert fan.get(SUBSCRIPTIONS).json()["total"] == 1
    assert channel(server, target)["followersCount"] == before + 1

    assert fan.delete(f"{SUBSCRIPTIONS}/{target}").status_code == 204
    assert fan.get(SUBSCRIPTIONS).json() == {"total": 0, "data": []}
    assert channel(server, target)["followersCount"] == before
    assert fan.get(f"/api/v1/accounts/subs_fan{unique}").json()["followingCount"] == 0
    assert fan.get(f"{SUBSCRIPTIONS}/{target}").status_code == 404
    assert fan.delete(f"{SUBSCRIPTIONS}/{target}").status_code == 404


def test_exist_answers_for_each_handle_as_given(server, creator, unique):
    fan = server.create_user(f"subs_exist{unique}")
    target = handle(creator, server)
    other = handle(server.create_user(f"subs_other{unique}"), server)
    subscribe(fan, target)
    upper = target.split("@")[0].upper() + "@" + target.split("@")[1]
    response = fan.get(f"{SUBSCRIPTIONS}/exist", params=[("uris", target), ("uris", other), ("uris", upper),
                                                          ("uris", "someone@peertube.example")])
    assert response.status_code == 200, response.text
    assert response.json() == {target: True, other: False, upper: True, "someone@peertube.example": False}
    # PeerTube's bracket form of arrays
    bracket = fan.get(f"{SUBSCRIPTIONS}/exist", params=[("uris[]", target)])
    assert bracket.json() == {target: True}


def test_unknown_or_remote_channels_are_accepted_and_change_nothing(server, unique):
    fan = server.create_user(f"subs_unknown{unique}")
    host = server.url.split("://", 1)[1]
    for uri in (f"nobody_here_{unique}@{host}", "films@peertube.example", f"subs_unknown{unique}@{host}"):
        response = fan.post(SUBSCRIPTIONS, json={"uri": uri})
        assert response.status_code == 204, response.text
    # an account is no channel: only channels are subscribed to
    assert fan.get(SUBSCRIPTIONS).json()["total"] == 0


def test_list_is_paginated_sorted_and_searchable(server, unique):
    fan = server.create_user(f"subs_pages{unique}")
    creators = [server.create_user(f"subs_p{index}_{unique}") for index in range(3)]
    targets = [handle(creator, server) for creator in creators]
    for target in targets:
        subscribe(fan, target)
    names = [target.split("@")[0] for target in targets]

    newest_first = [item["name"] for item in fan.get(SUBSCRIPTIONS).json()["data"]]
    assert newest_first == names[::-1]
    oldest = fan.get(SUBSCRIPTIONS, params={"sort": "createdAt"}).json()["data"]
    oldest_first = [item["name"] for item in oldest]
    assert oldest_first == names
    page = fan.get(SUBSCRIPTIONS, params={"start": 1, "count": 1, "sort": "createdAt"}).json()
    assert page["total"] == 3 and [item["name"] for item in page["data"]] == names[1:2]
    found = fan.get(SUBSCRIPTIONS, params={"search": f"p2_{unique}"}).json()
    assert [item["name"] for item in found["data"]] == names[2:] and found["total"] == 1
    by_display_name = fan.get(SUBSCRIPTIONS, params={"search": "Main subs_p1"}).json()
    assert [item["name"] for item in by_display_name["data"]] == names[1:2]


def test_subscription_videos_are_the_followed_channels_visible_videos(server, creator, creator_videos,
                                                                       unique):
    public, private = creator_videos
    fan = server.create_user(f"subs_videos{unique}")
    assert fan.get(f"{SUBSCRIPTIONS}/videos").json() == {"total": 0, "data": []}
    published_video(server.create_user(f"subs_unfollowed{unique}"))  # not followed: never listed

    subscribe(fan, handle(creator, server))
    listed = fan.get(f"{SUBSCRIPTIONS}/videos", params={"count": 100})
    assert listed.status_code == 200, listed.text
    uuids = [video["uuid"] for video in listed.json()["data"]]
    assert public["uuid"] in uuids and private["uuid"] not in uuids
    channels = {video["channel"]["name"] for video in listed.json()["data"]}
    assert channels == {handle(creator, server).split("@")[0]}
    # the video list's filters apply
    searched = fan.get(f"{SUBSCRIPTIONS}/videos", params={"search": "public clip"}).json()
    assert [video["uuid"] for video in searched["data"]] == [public["uuid"]]
    assert fan.get(f"{SUBSCRIPTIONS}/videos", params={"isLive": "true"}).json()["total"] == 0


def test_a_deleted_subscriber_leaves_the_count(server, creator, unique):
    target = handle(creator, server)
    before = channel(server, target)["followersCount"]
    fan = server.create_user(f"subs_leaving{unique}")
    subscribe(fan, target)
    assert channel(server, target)["followersCount"] == before + 1
    fan_id = fan.get("/api/v1/users/me").json()["id"]
    assert server.root.delete(f"/api/v1/users/{fan_id}").status_code == 204
    assert channel(server, target)["followersCount"] == before
