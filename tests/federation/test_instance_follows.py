"""Instance follows between real servers: follow, accepted on both sides, manual approval, unfollow."""

from __future__ import annotations

from tests.federation.conftest import (
    follow_instance,
    host_of,
    instance_follow_state,
    unfollow_instance,
    wait_until,
)


def test_instance_follow_is_accepted_on_both_sides(server_a, server_b):
    follow_instance(server_a, server_b)
    following = server_a.root.get("/api/v1/server/following").json()
    row = next(r for r in following["data"] if r["following"]["host"] == host_of(server_b))
    assert row["state"] == "accepted"
    assert row["follower"]["host"] == host_of(server_a) and row["follower"]["name"] == "peertube"
    assert row["score"] >= 1000
    followers = server_b.anonymous.get("/api/v1/server/followers", params={"state": "accepted"}).json()
    assert any(r["follower"]["host"] == host_of(server_a) for r in followers["data"])
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
    import copy

    from tests.federation.conftest import FEDERATION_CONFIG
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
