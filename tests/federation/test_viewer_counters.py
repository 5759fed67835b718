"""Viewers that a PeerTube peer tells us of (`View` with `expires`, viewer protocol v2), as its
documents are shaped: each counts as one current viewer of our video until it expires, however many
times it is delivered; a View that is not its sender's own, or without a usable date, is ignored."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from tests.federation.conftest import wait_until
from tests.support.notifications import jobs_drained
from tests.support.published_videos import published_video
from vidpub.federation.context import AS_PUBLIC, context_for


def _viewer(peer_actor, video_url: str, viewer_id: str, *, expires: str | None = None, **changes) -> dict:
    expires = expires or (datetime.now(UTC) + timedelta(minutes=2)).isoformat().replace("+00:00", "Z")
    return {"@context": context_for("View"), "type": "View", "id": viewer_id, "actor": peer_actor.url,
            "object": video_url, "expires": expires, "to": [AS_PUBLIC], "cc": [],
            # a peer's own count of our video is no count of all its viewers: one viewer
            "result": {"type": "InteractionCounter", "interactionType": "WatchAction", "userInteractionCount": 50},
            **changes}


def test_a_peer_s_viewers_count_once_each_and_unusable_ones_not_at_all(server_a, fake_peer, unique):
    owner = server_a.create_user(f"watched{unique}{uuid.uuid4().hex[:4]}")
    video = published_video(owner)
    details = server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()
    peer = fake_peer.add_actor("peertube", "Application")
    views_base = f"{peer.url}/views/videos/{details['id']}"

    deliveries = [
        _viewer(peer, details["url"], f"{views_base}/{unique}-one"),
        _viewer(peer, details["url"], f"{views_base}/{unique}-one"),   # delivered again
        _viewer(peer, details["url"], f"{views_base}/{unique}-two"),
        _viewer(peer, details["url"], f"https://elsewhere.example/views/videos/1/{unique}"),
        _viewer(peer, details["url"], f"{views_base}/{unique}-late", expires="tomorrow"),
        _viewer(peer, details["url"], f"{views_base}/{unique}-past", expires="2020-01-01T00:00:00Z"),
    ]
    processed_before = server_a.anonymous.get("/api/v1/server/stats").json()
    for activity in deliveries:
        response = fake_peer.post(f"{server_a.url}/inbox", activity, peer)
        assert response.status_code == 204, response.text

    wait_until(lambda: server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["viewers"] == 2,
               what="the peer's viewers on A")
    jobs_drained(server_a, "activitypub-inbox")
    after = server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()
    assert after["viewers"] == 2
    assert after["views"] == 0, "a viewer is not a view"
    listed = server_a.anonymous.get("/api/v1/videos", params={"count": 100, "sort": "-publishedAt"}).json()["data"]
    assert [item["viewers"] for item in listed if item["uuid"] == video["uuid"]] == [2]
    # each delivery processed (the ignored ones too: ignoring them is their processing); other tests'
    # servers may send this one Views meanwhile, hence no exact figure
    processed = server_a.anonymous.get("/api/v1/server/stats").json()
    views_processed = (processed["totalActivityPubViewMessagesSuccesses"]
                       - processed_before["totalActivityPubViewMessagesSuccesses"])
    assert views_processed >= len(deliveries)
    assert processed["totalActivityPubMessagesProcessed"] >= (processed_before["totalActivityPubMessagesProcessed"]
                                                              + len(deliveries))
