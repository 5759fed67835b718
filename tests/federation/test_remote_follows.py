"""Follows as other software sends them: a Mastodon account following a local account, and an
instance following back automatically (`followings.instance.auto_follow_back`)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

from tests.federation.conftest import FEDERATION_CONFIG, host_of, instance_follow_state, wait_until
from tests.support.database import run_sql


def test_mastodon_account_follows_a_local_account_and_unfollows(server_a, fake_peer, unique):
    server_a.create_user(f"masto{unique}")
    # Mastodon's actor: a Person with `#main-key`, its own inbox and a shared inbox, toot extensions
    actor = fake_peer.add_actor(f"gargron{unique}", summary="<p>Hi</p>", manuallyApprovesFollowers=False,
                                discoverable=True, featured=f"{fake_peer.url}/users/x/collections/featured")
    target = f"{server_a.url}/accounts/masto{unique}"
    follow = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{fake_peer.url}/0b3c1d2e",
              "type": "Follow", "actor": actor.url, "object": target}
    key_id = f"{actor.url}#main-key"
    assert fake_peer.post(f"{server_a.url}/inbox", follow, actor, key_id=key_id).status_code == 204

    def account() -> dict:
        return server_a.anonymous.get(f"/api/v1/accounts/masto{unique}").json()

    wait_until(lambda: account()["followersCount"] == 1, what="follow processed")
    accept = wait_until(lambda: fake_peer.posts_to(f"/accounts/gargron{unique}/inbox"), what="Accept")[0].activity
    assert accept["type"] == "Accept" and accept["object"]["id"] == follow["id"]
    remote = server_a.anonymous.get(f"/api/v1/accounts/gargron{unique}@{fake_peer.host}").json()
    assert remote["host"] == fake_peer.host and remote["description"] == "<p>Hi</p>"
    assert remote["avatars"][0]["fileUrl"] == f"{fake_peer.url}/lazy-static/avatars/gargron{unique}.png"
    undo = {"@context": "https://www.w3.org/ns/activitystreams", "id": f"{fake_peer.url}/0b3c1d2e#undo",
            "type": "Undo", "actor": actor.url, "object": follow}
    assert fake_peer.post(f"{server_a.url}/inbox", undo, actor, key_id=key_id).status_code == 204
    wait_until(lambda: account()["followersCount"] == 0, what="undo processed")


def test_auto_follow_back(server_factory, server_a):
    config = copy.deepcopy(FEDERATION_CONFIG)
    config["followings"] = {"instance": {"auto_follow_back": {"enabled": True}}}
    friendly = server_factory(config)
    assert server_a.root.post("/api/v1/server/following", json={"hosts": [host_of(friendly)]}).status_code == 204
    wait_until(lambda: instance_follow_state(server_a, friendly) == "accepted", what="follow accepted")
    wait_until(lambda: instance_follow_state(friendly, server_a) == "accepted", what="followed back")
    assert server_a.root.delete(f"/api/v1/server/following/{host_of(friendly)}").status_code == 204
    assert friendly.root.delete(f"/api/v1/server/following/{host_of(server_a)}").status_code == 204
    wait_until(lambda: instance_follow_state(server_a, friendly) is None, what="unfollowed")


def test_stale_remote_actor_is_read_again(server_a, fake_peer, unique):
    """An actor stored more than two days ago is fetched again when it next sends something."""
    name = f"stale{unique}"
    server_a.create_user(f"stalet{unique}")
    actor = fake_peer.add_actor(name, display_name="Old Name")
    target = f"{server_a.url}/accounts/stalet{unique}"
    follow = {"type": "Follow", "id": f"{actor.url}/follows/1", "actor": actor.url, "object": target}
    assert fake_peer.post(f"{server_a.url}/inbox", follow, actor).status_code == 204

    def display_name() -> str | None:
        response = server_a.anonymous.get(f"/api/v1/accounts/{name}@{fake_peer.host}")
        return response.json()["displayName"] if response.status_code == 200 else None

    wait_until(lambda: display_name() == "Old Name", what="actor stored")
    # the Follow's processing touches the actor's row until its Accept is sent: age the row after that
    wait_until(lambda: any(post.activity.get("type") == "Accept" for post in fake_peer.posts_to()),
               what="Accept sent")
    actor.document["name"] = "New Name"
    run_sql(server_a, "UPDATE actor SET updated_at = :moment WHERE url = :url",
            {"moment": datetime.now(UTC) - timedelta(days=3), "url": actor.url})
    undo = {"type": "Undo", "id": f"{actor.url}/follows/1/undo", "actor": actor.url, "object": follow}
    assert fake_peer.post(f"{server_a.url}/inbox", undo, actor).status_code == 204
    wait_until(lambda: display_name() == "New Name", what="actor refreshed")


def test_follows_refused_when_followers_are_disabled(server_factory, fake_peer, unique):
    config = copy.deepcopy(FEDERATION_CONFIG)
    config["followers"] = {"instance": {"enabled": False}, "channels": {"enabled": False}}
    closed = server_factory(config)
    owner = closed.create_user(f"closed{unique}")
    assert owner.post("/api/v1/video-channels", json={"name": f"closed_{unique}", "displayName": "x"}).status_code == 200
    actor = fake_peer.add_actor("knocking")
    for index, target in enumerate((f"{closed.url}/video-channels/closed_{unique}", f"{closed.url}/accounts/peertube")):
        follow = {"type": "Follow", "id": f"{actor.url}/follows/{index}", "actor": actor.url, "object": target}
        assert fake_peer.post(f"{closed.url}/inbox", follow, actor).status_code == 204
    answers = wait_until(lambda: len(fake_peer.posts_to("/accounts/knocking/inbox")) >= 2 and
                         fake_peer.posts_to("/accounts/knocking/inbox"), what="two answers")
    assert sorted(post.activity["type"] for post in answers) == ["Reject", "Reject"]
    assert {post.activity["object"]["id"] for post in answers} == {f"{actor.url}/follows/0", f"{actor.url}/follows/1"}
    assert closed.anonymous.get(f"/api/v1/video-channels/closed_{unique}").json()["followersCount"] == 0
    assert closed.anonymous.get("/api/v1/server/followers").json()["total"] == 0
    # an account follow is still accepted
    follow = {"type": "Follow", "id": f"{actor.url}/follows/2", "actor": actor.url,
              "object": f"{closed.url}/accounts/closed{unique}"}
    assert fake_peer.post(f"{closed.url}/inbox", follow, actor).status_code == 204
    wait_until(lambda: any(post.activity["type"] == "Accept" for post in fake_peer.posts_to("/accounts/knocking/inbox")),
               what="Accept of the account follow")
