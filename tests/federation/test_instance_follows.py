"""Instance follows between real servers: follow, accepted on both sides, manual approval, unfollow."""

from __future__ import annotations

import copy

from tests.api.upstream_spec import schema_errors
from tests.federation.conftest import (FEDERATION_CONFIG, follow_instance, host_of, instance_follow_state,
                                       unfollow_instance, wait_until)


def test_instance_follow_is_accepted_on_both_sides(server_a, server_b):
    follow_instance(server_a, server_b)
    following = server_a.root.get("/api/v1/server/following").json()
    row = next(r for r in following["data"] if r["following"]["host"] == host_of(server_b))
    assert row["state"] == "accepted"
    assert row["follower"]["host"] == host_of(server_a) and row["follower"]["name"] == "peertube"
    assert row["score"] >= 1000
    followers = server_b.anonymous.get("/api/v1/server/followers", params={"state": "accepted"}).json()
    assert any(r["follower"]["host"] == host_of(server_a) for r in followers["data"])
    # the Instance Follows tag answers PeerTube's `Follow` shape
    for body in (following, followers):
        for item in body["data"]:
            assert schema_errors("Follow", item) == []
    filtered = server_a.anonymous.get("/api/v1/server/following",
                                      params={"actorType": "Application", "state": "accepted",
                                              "search": host_of(server_b), "sort": "-createdAt"}).json()
    assert [r["following"]["host"] for r in filtered["data"]] == [host_of(server_b)]
    assert server_a.anonymous.get("/api/v1/server/following", params={"sort": "nope"}).status_code == 400
    assert server_a.anonymous.get("/api/v1/server/following", params={"state": "nope"}).status_code == 400
    # counts follow the accepted follows on both sides
    assert row["follower"]["followingCount"] >= 1


def test_unfollow_removes_the_follow_on_both_sides(server_b, server_c):
    follow_instance(server_c, server_b)
    unfollow_instance(server_c, server_b)
    assert instance_follow_state(server_c, server_b) is None


def test_following_an_instance_needs_the_right(server_a, server_b, unique):
    user = server_a.create_user(f"fol{unique}")
    response = user.post("/api/v1/server/following", json={"hosts": [host_of(server_b)]})
    assert response.status_code == 403
    assert server_a.anonymous.post("/api/v1/server/following", json={"hosts": ["x.example"]}).status_code == 401


def test_bad_follow_requests_are_refused(server_a):
    assert server_a.root.post("/api/v1/server/following", json={}).status_code == 400
    assert server_a.root.post("/api/v1/server/following", json={"hosts": ["not a host"]}).status_code == 400
    assert server_a.root.post("/api/v1/server/following", json={"hosts": [host_of(server_a)]}).status_code == 400
    assert server_a.root.delete("/api/v1/server/following/unknown.example").status_code == 404
    assert server_a.root.post("/api/v1/server/followers/peertube@unknown.example/accept").status_code == 404


def test_manual_approval_keeps_the_follow_pending_until_accepted(server_factory, server_a):
    config = copy.deepcopy(FEDERATION_CONFIG)
    config["followers"] = {"instance": {"manual_approval": True}}
    guarded = server_factory(config)
    response = server_a.root.post("/api/v1/server/following", json={"hosts": [host_of(guarded)]})
    assert response.status_code == 204
    pending = wait_until(lambda: [r for r in guarded.root.get("/api/v1/server/followers").json()["data"]
                                  if r["follower"]["host"] == host_of(server_a)], what="follow request")
    assert pending[0]["state"] == "pending"
    assert instance_follow_state(server_a, guarded) == "pending"
    handle = f"peertube@{host_of(server_a)}"
    assert guarded.root.post(f"/api/v1/server/followers/{handle}/accept").status_code == 204
    wait_until(lambda: instance_follow_state(server_a, guarded) == "accepted", what="accept delivered")
    # removing the follower sends a Reject: the follow disappears on the follower's side
    assert guarded.root.delete(f"/api/v1/server/followers/{handle}").status_code == 204
    wait_until(lambda: instance_follow_state(server_a, guarded) is None, what="reject delivered")


def test_failed_delivery_is_retried_until_accepted(server_a, fake_peer, unique):
    """The follower's server first answers 500: the Accept is sent again (backoff) until it is taken."""
    owner = server_a.create_user(f"retry{unique}")
    name = f"retrychan_{unique}"
    assert owner.post("/api/v1/video-channels", json={"name": name, "displayName": name}).status_code == 200
    fake_peer.inbox_status = 500
    actor = fake_peer.add_actor("flaky")
    follow = {"type": "Follow", "id": f"{actor.url}/follows/1", "actor": actor.url,
              "object": f"{server_a.url}/video-channels/{name}"}
    assert fake_peer.post(f"{server_a.url}/video-channels/{name}/inbox", follow, actor).status_code == 204
    wait_until(lambda: len(fake_peer.posts_to("/accounts/flaky/inbox")) >= 2, what="Accept sent again")
    fake_peer.inbox_status = 204
    attempts = len(fake_peer.posts_to("/accounts/flaky/inbox"))
    wait_until(lambda: len(fake_peer.posts_to("/accounts/flaky/inbox")) > attempts, what="Accept retried")
    posts = fake_peer.posts_to("/accounts/flaky/inbox")
    assert {post.activity["id"] for post in posts} == {posts[0].activity["id"]}  # the same Accept each time


def _delivered_to(server, target) -> bool:
    jobs = server.root.get("/api/v1/jobs/completed", params={"jobType": "activitypub-http-unicast", "count": 100})
    assert jobs.status_code == 200, jobs.text
    return any(job["data"].get("inbox", "").startswith(target.url) and
               job["data"]["activity"]["type"] == "Follow" for job in jobs.json()["data"])


def test_blocked_server_activities_are_ignored(server_a, server_c):
    unfollow_instance(server_a, server_c)
    assert server_c.root.post("/api/v1/server/blocklist/servers", json={"host": host_of(server_a)}).status_code == 204
    try:
        response = server_a.root.post("/api/v1/server/following", json={"hosts": [host_of(server_c)]})
        assert response.status_code == 204
        # C took the Follow (the delivery succeeded), did not record it, and answered with a Reject
        wait_until(lambda: _delivered_to(server_a, server_c), what="Follow delivered to the blocking server")
        wait_until(lambda: instance_follow_state(server_a, server_c) is None, what="follow rejected by C")
        followers = server_c.root.get("/api/v1/server/followers", params={"count": 100}).json()["data"]
        assert not [row for row in followers if row["follower"]["host"] == host_of(server_a)]
    finally:
        assert server_c.root.delete(f"/api/v1/server/blocklist/servers/{host_of(server_a)}").status_code == 204
    # unblocked, the same follow asked again goes through
    follow_instance(server_a, server_c)
    unfollow_instance(server_a, server_c)
