"""Video redundancy between real instances: B follows A with redundancy allowed, mirrors one of A's
videos by hand (its HLS files copied, served by B, byte-identical), A learns of the copy from B's
`Create CacheFile` and lists it; B removes it and A forgets it. An instance with a `recently-added`
strategy copies A's newest video by itself, for the strategy's lifetime. Then a fake PeerTube peer
announces copies of A's video: a well-formed one is listed, forged ones are not, and its Undo is
honoured."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.federation.conftest import FEDERATION_CONFIG, follow_instance, host_of, wait_until
from tests.support.database import enqueue_job
from tests.support.notifications import jobs_drained
from tests.support.published_videos import published_video
from vidpub.federation.context import with_context

AP = {"Accept": "application/activity+json"}
MIRRORS = "/api/v1/server/redundancy/videos"


@pytest.fixture(scope="module")
def mirrored_origin(server_a, server_b):
    """B follows A and may mirror it; one published video of A, known to B with its HLS playlist."""
    follow_instance(server_b, server_a)
    response = server_b.root.put(f"/api/v1/server/redundancy/{host_of(server_a)}", json={"redundancyAllowed": True})
    assert response.status_code == 204, response.text
    owner = server_a.create_user(f"red{uuid.uuid4().hex[:8]}")
    video = published_video(owner)

    def origin_files() -> set:
        return {file["fileUrl"] for file in _video(server_a, video["uuid"])["streamingPlaylists"][0]["files"]}

    def copy_complete():
        copy = server_b.anonymous.get(f"/api/v1/videos/{video['uuid']}")
        if copy.status_code != 200 or not copy.json()["streamingPlaylists"]:
            return None
        files = {file["fileUrl"] for file in copy.json()["streamingPlaylists"][0]["files"]}
        return copy.json() if files == origin_files() else None

    copy = wait_until(copy_complete, what="A's video on B with all its HLS files")
    return video, copy


def _video(server, video_uuid: str) -> dict:
    response = server.anonymous.get(f"/api/v1/videos/{video_uuid}")
    assert response.status_code == 200, response.text
    return response.json()


def _base_urls(server, video_uuid: str) -> list[str]:
    return [item["baseUrl"] for item in _video(server, video_uuid)["streamingPlaylists"][0]["redundancies"]]


def _listed(server, target: str, video_uuid: str) -> dict | None:
    response = server.root.get(MIRRORS, params={"target": target, "count": 100})
    assert response.status_code == 200, response.text
    return next((item for item in response.json()["data"] if item["uuid"] == video_uuid), None)


def test_b_mirrors_a_video_of_a_and_a_lists_the_copy_until_b_removes_it(server_a, server_b, mirrored_origin):
    video, copy = mirrored_origin
    assert server_b.root.post(MIRRORS, json={"videoId": copy["id"]}).status_code == 204
    mirror = wait_until(lambda: _listed(server_b, "remote-videos", video["uuid"]), what="B's copy made")
    assert server_b.root.post(MIRRORS, json={"videoId": copy["id"]}).status_code == 409
    [information] = mirror["redundancies"]["streamingPlaylists"]
    base_url = f"{server_b.url}/static/redundancy/hls/{video['uuid']}"
    assert information["fileUrl"] == base_url and information["strategy"] == "manual"
    assert information["expiresOn"] is None and information["size"] > 0
    assert mirror["url"] == f"{server_a.url}/videos/watch/{video['uuid']}"

    # the copy's files are served by B, byte for byte the origin's
    origin_playlist = _video(server_a, video["uuid"])["streamingPlaylists"][0]
    names = {origin_playlist["playlistUrl"].rsplit("/", 1)[1]}
    for file in origin_playlist["files"]:
        names |= {file["fileUrl"].rsplit("/", 1)[1], file["playlistUrl"].rsplit("/", 1)[1]}
    origin_base = origin_playlist["playlistUrl"].rsplit("/", 1)[0]
    for name in names:
        mine = httpx.get(f"{base_url}/{name}", timeout=30)
        assert mine.status_code == 200, name
        assert mine.content == httpx.get(f"{origin_base}/{name}", timeout=30).content, name
    assert base_url in _base_urls(server_b, video["uuid"])

    # B's CacheFile document, and A's view of the copy
    document = server_b.anonymous.get(f"/redundancy/streaming-playlists/hls/{video['uuid']}", headers=AP).json()
    assert document["type"] == "CacheFile" and document["object"] == mirror["url"]
    assert document["url"] == {"type": "Link", "mediaType": "application/x-mpegURL", "href": base_url}
    wait_until(lambda: base_url in _base_urls(server_a, video["uuid"]), what="A listing B's copy")
    held = _listed(server_a, "my-videos", video["uuid"])
    assert held is not None and [row["fileUrl"] for row in held["redundancies"]["streamingPlaylists"]] == [base_url]

    # removal on B: the files go, A forgets the copy
    assert server_b.root.delete(f"{MIRRORS}/{information['id']}").status_code == 204
    assert _listed(server_b, "remote-videos", video["uuid"]) is None
    assert httpx.get(f"{base_url}/{origin_playlist['playlistUrl'].rsplit('/', 1)[1]}", timeout=30).status_code == 404
    assert server_b.root.delete(f"{MIRRORS}/{information['id']}").status_code == 404
    wait_until(lambda: base_url not in _base_urls(server_a, video["uuid"]), what="A forgetting B's copy")


def test_a_strategy_copies_a_recent_video_of_a_followed_instance(server_a, server_factory, mirrored_origin):
    video, _ = mirrored_origin
    strategy = {"strategy": "recently-added", "size": "200MB", "min_lifetime": "2 hours", "min_views": 0}
    mirror = server_factory({**FEDERATION_CONFIG, "redundancy": {"videos": {"strategies": [strategy]}}})
    follow_instance(mirror, server_a)
    assert mirror.root.put(f"/api/v1/server/redundancy/{host_of(server_a)}",
                           json={"redundancyAllowed": True}).status_code == 204
    # the follow brought A's earlier videos (the outbox crawl), the one of this module among them
    wait_until(lambda: (copy := mirror.anonymous.get(f"/api/v1/videos/{video['uuid']}")).status_code == 200
               and copy.json()["streamingPlaylists"], what="A's video on the mirror")

    def copies() -> list[dict]:
        response = mirror.root.get(MIRRORS, params={"target": "remote-videos", "count": 100})
        assert response.status_code == 200, response.text
        return response.json()["data"]

    # each check copies one of the strategy's best candidates (A's newest videos: other tests publish there
    # too, so which one is not known here)
    enqueue_job(mirror, "videos-redundancy-check")
    copied = wait_until(copies, what="the strategy's copy")[0]
    [information] = copied["redundancies"]["streamingPlaylists"]
    assert information["strategy"] == "recently-added" and information["expiresOn"] is not None
    base_url = f"{mirror.url}/static/redundancy/hls/{copied['uuid']}"
    assert information["fileUrl"] == base_url
    assert copied["url"].startswith(server_a.url)
    wait_until(lambda: base_url in _base_urls(server_a, copied["uuid"]), what="A listing the strategy's copy")

    # removed before the mirror stops, so that A lists no copy that nobody serves (the next tests count them);
    # no check may be left to make another one
    jobs_drained(mirror, "videos-redundancy-check")
    removed = []
    for item in copies():
        for row in item["redundancies"]["streamingPlaylists"]:
            assert mirror.root.delete(f"{MIRRORS}/{row['id']}").status_code == 204
            removed.append((item["uuid"], row["fileUrl"]))
    assert (copied["uuid"], base_url) in removed
    wait_until(lambda: all(url not in _base_urls(server_a, uuid_) for uuid_, url in removed),
               what="A forgetting the strategy's copies")


def _create_cache_file(peer, actor, video_url: str, video_uuid: str, *, href_host: str | None = None,
                       object_url: str | None = None) -> dict:
    cache_id = f"{peer.url}/redundancy/streaming-playlists/hls/{video_uuid}"
    href = f"http://{href_host or peer.host}/static/redundancy/hls/{video_uuid}"
    cache_file = {"id": cache_id, "type": "CacheFile", "object": object_url or video_url,
                  "expires": "2040-01-01T00:00:00.000Z",
                  "url": {"type": "Link", "mediaType": "application/x-mpegURL", "href": href}}
    return with_context({"type": "Create", "id": cache_id, "actor": actor.url,
                         "to": ["https://www.w3.org/ns/activitystreams#Public", f"{actor.url}/followers"],
                         "cc": [], "object": cache_file}, "CacheFile")


def test_a_peertube_peers_cache_file_is_listed_forged_ones_are_not(server_a, mirrored_origin, fake_peer):
    video, _ = mirrored_origin
    video_url = f"{server_a.url}/videos/watch/{video['uuid']}"
    instance = fake_peer.add_actor("peertube", "Application")
    inbox = f"{server_a.url}/inbox"
    forged = [_create_cache_file(fake_peer, instance, video_url, video["uuid"], href_host="203.0.113.9"),
              _create_cache_file(fake_peer, instance, video_url, video["uuid"],
                                 object_url=f"{server_a.url}/videos/watch/{uuid.uuid4()}")]
    for activity in forged:
        assert fake_peer.post(inbox, activity, instance).status_code == 204
    good = _create_cache_file(fake_peer, instance, video_url, video["uuid"])
    assert fake_peer.post(inbox, good, instance).status_code == 204
    href = good["object"]["url"]["href"]
    # one inbox worker takes activities in order: once the good one is in, the forged ones were seen
    wait_until(lambda: href in _base_urls(server_a, video["uuid"]), what="the peer's copy listed")
    assert [url for url in _base_urls(server_a, video["uuid"]) if host_of(server_a) not in url] == [href]
    held = _listed(server_a, "my-videos", video["uuid"])
    [row] = [row for row in held["redundancies"]["streamingPlaylists"] if row["fileUrl"] == href]
    assert row["expiresOn"] == "2040-01-01T00:00:00.000Z" and row["strategy"] is None

    undo = with_context({"type": "Undo", "id": f"{good['id']}/undo", "actor": instance.url, "to": good["to"],
                         "cc": [], "object": {k: v for k, v in good.items() if k != "@context"}}, "CacheFile")
    assert fake_peer.post(inbox, undo, instance).status_code == 204
    wait_until(lambda: href not in _base_urls(server_a, video["uuid"]), what="the peer's copy forgotten")
