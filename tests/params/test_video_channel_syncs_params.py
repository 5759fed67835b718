"""Channel syncs and channel imports: bad bodies, someone else's channel or sync, the per-user limit."""

from __future__ import annotations

import pytest

from tests.support.imports import channel_id

SYNCS = "/api/v1/video-channel-syncs"
URL = "https://videos.invalid/c/somebody"  # never resolves: the scheduled sync reaches nothing


@pytest.fixture(scope="module")
def sync_server(server_factory):
    return server_factory(config={"import": {"videos": {"http": {"enabled": True}},
                                             "video_channel_synchronization": {"enabled": True, "max_per_user": 2}}})


@pytest.fixture(scope="module")
def owner(sync_server):
    return sync_server.create_user("syncp_owner")


@pytest.fixture(scope="module")
def stranger(sync_server):
    return sync_server.create_user("syncp_stranger")


@pytest.fixture(scope="module")
def sync_id(owner):
    response = owner.post(SYNCS, json={"externalChannelUrl": URL, "videoChannelId": channel_id(owner)})
    assert response.status_code == 200, response.text
    return response.json()["videoChannelSync"]["id"]


@pytest.mark.parametrize("url", ["", "not a url", "ftp://example.com/c", "javascript:alert(1)", "https://",
                                 "https://example.com/" + "x" * 2000, 42, None])
def test_bad_external_urls_are_refused(owner, url):
    response = owner.post(SYNCS, json={"externalChannelUrl": url, "videoChannelId": channel_id(owner)})
    assert response.status_code == 400, response.text
    assert "externalChannelUrl" in response.json()["invalid-params"]
    response = owner.post("/api/v1/video-channels/syncp_owner_channel/import-videos", json={"externalChannelUrl": url})
    assert response.status_code == 400, response.text
    assert "externalChannelUrl" in response.json()["invalid-params"]


@pytest.mark.parametrize("channel", ["", "first", -1, 0, 2**31, None])
def test_bad_channel_ids_are_refused(owner, channel):
    response = owner.post(SYNCS, json={"externalChannelUrl": URL, "videoChannelId": channel})
    assert response.status_code == 400, response.text
    assert "videoChannelId" in response.json()["invalid-params"]


def test_unknown_channel_is_404_and_another_users_is_403(owner, stranger):
    assert owner.post(SYNCS, json={"externalChannelUrl": URL, "videoChannelId": 999999}).status_code == 404
    response = stranger.post(SYNCS, json={"externalChannelUrl": URL, "videoChannelId": channel_id(owner)})
    assert response.status_code == 403, response.text


def test_someone_elses_sync_is_forbidden(sync_server, owner, stranger, sync_id):
    assert sync_server.anonymous.delete(f"{SYNCS}/{sync_id}").status_code == 401
    assert stranger.delete(f"{SYNCS}/{sync_id}").status_code == 403
    assert stranger.post(f"{SYNCS}/{sync_id}/sync").status_code == 403
    assert stranger.get("/api/v1/accounts/syncp_owner/video-channel-syncs").status_code == 403
    assert owner.get("/api/v1/accounts/syncp_owner/video-channel-syncs").json()["total"] >= 1
    # nor may a sync be credited to another channel's import
    response = stranger.post("/api/v1/video-channels/syncp_stranger_channel/import-videos",
                             json={"externalChannelUrl": URL, "videoChannelSyncId": sync_id})
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == "This channel sync is not owned by this channel"


def test_unknown_syncs_are_404(owner):
    for bad in ("999999",):
        assert owner.delete(f"{SYNCS}/{bad}").status_code == 404
        assert owner.post(f"{SYNCS}/{bad}/sync").status_code == 404
    response = owner.post("/api/v1/video-channels/syncp_owner_channel/import-videos",
                          json={"externalChannelUrl": URL, "videoChannelSyncId": 999999})
    assert response.status_code == 404, response.text
    for bad in ("0", "-1", "abc", str(2**31)):
        assert owner.delete(f"{SYNCS}/{bad}").status_code == 400


def test_the_number_of_syncs_per_user_is_limited(owner, sync_id):
    second = owner.post(SYNCS, json={"externalChannelUrl": URL + "/2", "videoChannelId": channel_id(owner)})
    assert second.status_code == 200, second.text
    third = owner.post(SYNCS, json={"externalChannelUrl": URL + "/3", "videoChannelId": channel_id(owner)})
    assert third.status_code == 400, third.text
    assert third.json()["detail"] == "You cannot create more than 2 channel synchronizations"
