"""Video activities shaped as real PeerTube instances send them (tests/federation/video_documents.py),
posted signed by a fake PeerTube instance on loopback to a real server's shared inbox: a Create stores
the video with files pointing to the origin, Update changes it, Delete removes it (only from its own
server), Like/Dislike and their Undo move the counters of a local video, Announce brings a video not
heard of before, View counts a view; a video claimed by an actor of another host is not stored."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.federation import video_documents as docs
from tests.federation.conftest import wait_until
from tests.support.notifications import jobs_drained
from tests.support.published_videos import published_video


@pytest.fixture
def peertube(fake_peer):
    """The fake instance's account and channel, as a PeerTube instance serves them."""
    account = fake_peer.add_actor(f"alice{uuid.uuid4().hex[:6]}")
    channel = fake_peer.add_actor(f"{account.name}_channel", "Group", owner=account)
    return fake_peer, account, channel


def _video(peer, account, channel, **kwargs) -> dict:
    document = docs.peertube_video(peer.host, str(uuid.uuid4()), account=account.name, channel=channel.name,
                                   scheme="http", **kwargs)
    peer.serve(document["id"].split(peer.host, 1)[1], {"@context": docs.VIDEO_CONTEXT, **document})
    return document


def _get(server, video_uuid):
    response = server.anonymous.get(f"/api/v1/videos/{video_uuid}")
    return response.json() if response.status_code == 200 else None


def _post(server, peer, activity, actor):
    response = peer.post(f"{server.url}/inbox", activity, actor)
    assert response.status_code == 204, response.text


def test_a_peertube_create_stores_the_video_with_its_origin_files(server_a, peertube):
    peer, account, channel = peertube
    video = _video(peer, account, channel)
    _post(server_a, peer, docs.create_activity(video), account)
    stored = wait_until(lambda: _get(server_a, video["uuid"]), what="remote video stored")
    assert stored["isLocal"] is False and stored["name"] == "What is PeerTube?"
    assert stored["channel"]["name"] == channel.name and stored["channel"]["host"] == peer.host
    assert stored["account"]["name"] == account.name
    assert (stored["category"]["id"], stored["licence"]["id"], stored["language"]["id"]) == (15, 2, "en")
    assert stored["duration"] == 113 and stored["views"] == 42 and stored["nsfw"] is True
    assert sorted(stored["tags"]) == ["framasoft", "peertube"]
    assert stored["description"].startswith("**PeerTube**")
    assert [f["resolution"]["id"] for f in stored["files"]] == [720, 360]
    assert stored["files"][0]["fileUrl"] == f"{peer.url}/static/web-videos/{video['uuid']}-720.mp4"
    assert stored["files"][0]["torrentUrl"].startswith(peer.url) and stored["files"][0]["magnetUri"]
    [playlist] = stored["streamingPlaylists"]
    assert playlist["playlistUrl"].endswith(f"{video['uuid']}-master.m3u8")
    assert playlist["files"][0]["playlistUrl"] == (
        f"{peer.url}/static/streaming-playlists/hls/{video['uuid']}/{video['uuid']}-720.m3u8")
    listed = server_a.anonymous.get("/api/v1/videos", params={"isLocal": "false", "count": 100, "nsfw": "both"}).json()
    assert video["uuid"] in [item["uuid"] for item in listed["data"]]
    captions = server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}/captions").json()
    assert [(c["language"]["id"], c["fileUrl"]) for c in captions["data"]] == [
        ("fr", f"{peer.url}/lazy-static/video-captions/abc-fr.vtt")]
    boards = server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}/storyboards").json()["storyboards"]
    assert [(b["fileUrl"], b["spriteWidth"], b["spriteDuration"]) for b in boards] == [
        (f"{peer.url}/lazy-static/storyboards/sb.jpg", 192, 1)]

    # Create again (the video may come first from an outbox crawl or a share): a known video stays as it is,
    # its file rows with it (PeerTube's getOrCreateAPVideo without refresh); only an Update changes it
    _post(server_a, peer, docs.create_activity({**video, "name": "Created twice"}), account)
    jobs_drained(server_a, "activitypub-inbox")
    again = _get(server_a, video["uuid"])
    assert again["name"] == "What is PeerTube?"
    assert [f["id"] for f in again["files"]] == [f["id"] for f in stored["files"]]

    # Update: new metadata and one file fewer
    changed = {**video, "name": "Renamed by PeerTube", "updated": "2024-06-01T00:00:00.000Z",
               "url": [link for link in video["url"] if link.get("height") != 360]}
    _post(server_a, peer, docs.update_activity(changed), account)
    updated = wait_until(lambda: (v := _get(server_a, video["uuid"])) and v["name"] == "Renamed by PeerTube" and v,
                         what="update applied")
    assert [f["resolution"]["id"] for f in updated["files"]] == [720]
    # the file still listed keeps its row (PeerTube updates file rows in place): nothing using it loses it
    assert updated["files"][0]["id"] == stored["files"][0]["id"]
    assert ([f["id"] for f in updated["streamingPlaylists"][0]["files"]]
            == [f["id"] for f in stored["streamingPlaylists"][0]["files"]])

    # Delete
    _post(server_a, peer, docs.delete_activity(video, account.url), account)
    wait_until(lambda: _get(server_a, video["uuid"]) is None, what="remote video deleted")


def test_an_older_peertube_video_is_accepted(server_a, fake_peer):
    account = fake_peer.add_actor(f"bob{uuid.uuid4().hex[:6]}")
    channel = fake_peer.add_actor(f"{account.name}_channel", "Group", owner=account)
    document = docs.peertube_v5_video(fake_peer.host, str(uuid.uuid4()), account=account.name,
                                      channel=channel.name, scheme="http")
    _post(server_a, fake_peer, docs.create_activity(document), account)
    stored = wait_until(lambda: _get(server_a, document["uuid"]), what="old-style video stored")
    assert stored["commentsPolicy"]["id"] == 2 and [f["resolution"]["id"] for f in stored["files"]] == [480]


def test_a_video_claimed_by_another_host_is_not_stored(server_a, peertube, fake_peer):
    peer, account, channel = peertube
    # the object says it lives on another host than the sender's
    video = docs.peertube_video("elsewhere.example", str(uuid.uuid4()), account=account.name, channel=channel.name)
    _post(server_a, peer, {**docs.create_activity(video), "actor": account.url}, account)
    # a later activity from the same sender is processed after it (one at a time, in order)
    marker = _video(peer, account, channel)
    _post(server_a, peer, docs.create_activity(marker), account)
    wait_until(lambda: _get(server_a, marker["uuid"]), what="marker video stored")
    assert _get(server_a, video["uuid"]) is None


def test_a_delete_from_another_server_is_refused(server_a, peertube, fake_peer):
    peer, account, channel = peertube
    video = _video(peer, account, channel)
    _post(server_a, peer, docs.create_activity(video), account)
    wait_until(lambda: _get(server_a, video["uuid"]), what="remote video stored")
    from tests.federation.fake_peer import FakePeer

    other = FakePeer().start()
    try:
        intruder = other.add_actor("mallory")
        _post(server_a, other, docs.delete_activity(video, intruder.url), intruder)
        marker = _video(peer, account, channel)
        _post(server_a, peer, docs.create_activity(marker), account)
        wait_until(lambda: _get(server_a, marker["uuid"]), what="marker video stored")
        assert _get(server_a, video["uuid"]) is not None
    finally:
        other.stop()


def test_likes_dislikes_and_their_undo_from_peertube_move_the_counters(server_a, peertube, unique):
    peer, account, _ = peertube
    owner = server_a.create_user(f"liked{unique}")
    local = published_video(owner)
    video_url = f"{server_a.url}/videos/watch/{local['uuid']}"

    def counts():
        video = _get(server_a, local["uuid"])
        return video["likes"], video["dislikes"]

    like = docs.like_activity(account.url, video_url)
    _post(server_a, peer, like, account)
    wait_until(lambda: counts() == (1, 0), what="like counted")
    _post(server_a, peer, like, account)  # the same Like again changes nothing
    _post(server_a, peer, docs.undo_activity(like), account)
    wait_until(lambda: counts() == (0, 0), what="like undone")
    dislike = docs.like_activity(account.url, video_url, kind="Dislike", number=2)
    _post(server_a, peer, dislike, account)
    wait_until(lambda: counts() == (0, 1), what="dislike counted")
    _post(server_a, peer, docs.undo_activity(dislike), account)
    wait_until(lambda: counts() == (0, 0), what="dislike undone")


def test_a_view_from_peertube_counts_on_a_local_video(server_a, peertube, unique):
    peer, account, _ = peertube
    owner = server_a.create_user(f"viewed{unique}")
    local = published_video(owner)
    server_actor = f"{peer.url}/accounts/peertube"
    instance = peer.add_actor("peertube", "Application")
    assert instance.url == server_actor
    view = {"@context": docs.VIDEO_CONTEXT[:3], "type": "View", "id": f"{server_actor}/views/videos/1/{uuid.uuid4()}",
            "actor": server_actor, "object": f"{server_a.url}/videos/watch/{local['uuid']}"}
    _post(server_a, peer, view, instance)
    wait_until(lambda: _get(server_a, local["uuid"])["views"] == 1, what="view counted")


def test_an_announce_brings_the_shared_video(server_a, peertube):
    peer, account, channel = peertube
    video = _video(peer, account, channel)  # served by its origin, never sent
    _post(server_a, peer, docs.announce_activity(channel.url, video["id"]), channel)
    stored = wait_until(lambda: _get(server_a, video["uuid"]), what="announced video fetched")
    assert stored["channel"]["name"] == channel.name and stored["files"][0]["fileUrl"].startswith(peer.url)


def test_search_by_url_resolves_a_remote_video_for_users(server_a, peertube, unique):
    peer, account, channel = peertube
    video = _video(peer, account, channel)
    search = {"search": video["id"], "nsfw": "both"}
    # anonymous visitors may not make the server fetch (search.remote_uri.anonymous: false)
    assert server_a.anonymous.get("/api/v1/search/videos", params=search).json()["total"] == 0
    assert _get(server_a, video["uuid"]) is None
    user = server_a.create_user(f"seeker{unique}")
    found = user.get("/api/v1/search/videos", params=search).json()
    assert [item["uuid"] for item in found["data"]] == [video["uuid"]]
    # a URL naming nothing finds nothing, and is no error
    missing = user.get("/api/v1/search/videos", params={"search": f"{peer.url}/videos/watch/{uuid.uuid4()}"})
    assert missing.status_code == 200 and missing.json()["total"] == 0


def test_a_video_gone_at_its_origin_is_dropped_when_read_again(server_a, peertube):
    peer, account, channel = peertube
    video = _video(peer, account, channel)
    _post(server_a, peer, docs.create_activity(video), account)
    wait_until(lambda: _get(server_a, video["uuid"]), what="remote video stored")
    # its copy is dated from its origin's last update (long ago): the next use reads it again,
    # and the origin now answers 404
    del peer.documents[video["id"].split(peer.host, 1)[1]]
    _post(server_a, peer, docs.like_activity(account.url, video["id"]), account)
    wait_until(lambda: _get(server_a, video["uuid"]) is None, what="gone video dropped")


def _announces(server, video_uuid) -> int:
    response = httpx.get(f"{server.url}/videos/watch/{video_uuid}/announces",
                         headers={"Accept": "application/activity+json"}, timeout=30)
    assert response.status_code == 200, response.text
    return response.json()["totalItems"]


def test_shares_of_a_local_video_are_counted_and_undone(server_a, peertube, unique):
    peer, _, channel = peertube
    owner = server_a.create_user(f"shared{unique}")
    local = published_video(owner)
    video_url = f"{server_a.url}/videos/watch/{local['uuid']}"
    # its own channel and the instance shared it when it was published (PeerTube does the same)
    wait_until(lambda: _announces(server_a, local["uuid"]) == 2, what="the origin's own shares")
    announce = docs.announce_activity(channel.url, video_url)
    _post(server_a, peer, announce, channel)
    wait_until(lambda: _announces(server_a, local["uuid"]) == 3, what="share counted")
    _post(server_a, peer, announce, channel)  # the same share again counts once
    _post(server_a, peer, docs.undo_activity(announce), channel)
    wait_until(lambda: _announces(server_a, local["uuid"]) == 2, what="share undone")
