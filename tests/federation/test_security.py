"""Inbox security: every request is refused unless its HTTP signature (or, for a forwarded activity,
its Linked Data signature) proves who sent it, and a refused request stores nothing. A fake remote
instance (`fake_peer`) sends the requests, each test starting from one that is accepted."""

from __future__ import annotations

import asyncio
import copy
import json
import time

import pytest

from tests.federation.conftest import FEDERATION_CONFIG, wait_until
from vidpub.config import Config, builtin_defaults, deep_merge
from vidpub.federation import ld_signatures
from vidpub.federation.fetch import FetchError, PrivateAddressError, fetch_json
from vidpub.federation.keys import generate_key_pair
from vidpub.federation.signatures import parse_signature_header, verify_signature

AP = {"Accept": "application/activity+json"}


@pytest.fixture
def target(server_a, unique):
    """A local channel of server_a that remote actors try to follow."""
    owner = server_a.create_user(f"sec{unique}")
    name = f"secchan_{unique}"
    assert owner.post("/api/v1/video-channels", json={"name": name, "displayName": name}).status_code == 200
    return {"name": name, "url": f"{server_a.url}/video-channels/{name}",
            "inbox": f"{server_a.url}/video-channels/{name}/inbox"}


def _follow(actor, target, suffix: str = "1") -> dict:
    return {"@context": "https://www.w3.org/ns/activitystreams", "type": "Follow",
            "id": f"{actor.url}/follows/{suffix}", "actor": actor.url, "object": target["url"]}


def _followers(server, target) -> int:
    return server.anonymous.get(f"/api/v1/video-channels/{target['name']}").json()["followersCount"]


def _known(server, actor, peer) -> bool:
    return server.anonymous.get(f"/api/v1/accounts/{actor.name}@{peer.host}").status_code == 200


def _assert_refused(response, server, target, peer, *actors):
    assert response.status_code == 403, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert _followers(server, target) == 0
    for actor in actors:
        assert not _known(server, actor, peer)
    assert peer.posts_to() == []  # no Accept or Reject went out either


def test_signed_follow_is_accepted_and_answered_with_a_signed_accept(server_a, fake_peer, target):
    actor = fake_peer.add_actor("alice")
    response = fake_peer.post(target["inbox"], _follow(actor, target), actor)
    assert response.status_code == 204, response.text
    wait_until(lambda: _followers(server_a, target) == 1, what="follow processed")
    assert _known(server_a, actor, fake_peer)
    accept = wait_until(lambda: fake_peer.posts_to("/accounts/alice/inbox"), what="Accept delivered")[0]
    assert accept.activity["type"] == "Accept" and accept.activity["actor"] == target["url"]
    assert accept.activity["object"]["id"] == f"{actor.url}/follows/1"
    # the Accept is signed as PeerTube signs: HTTP signature by the channel's key, and LD signature
    channel = server_a.anonymous.get(f"/video-channels/{target['name']}", headers=AP).json()
    key = channel["publicKey"]["publicKeyPem"]
    parsed = parse_signature_header(accept.headers)
    assert parsed.key_id == target["url"]
    assert parsed.headers == ("(request-target)", "host", "date", "digest")
    assert verify_signature(parsed, key, method="POST", target="/accounts/alice/inbox", headers=accept.headers)
    assert ld_signatures.verify(accept.activity, key)


def test_forged_signature_is_refused(server_a, fake_peer, target):
    actor = fake_peer.add_actor("mallory")
    _, other_private = generate_key_pair(1024)
    response = fake_peer.post(target["inbox"], _follow(actor, target), actor, private_key=other_private)
    _assert_refused(response, server_a, target, fake_peer, actor)


def test_missing_signature_is_refused(server_a, fake_peer, target):
    actor = fake_peer.add_actor("nosig")
    response = fake_peer.post(target["inbox"], _follow(actor, target), actor, headers={"Signature": None})
    _assert_refused(response, server_a, target, fake_peer, actor)


def test_expired_signature_is_refused(server_a, fake_peer, target):
    actor = fake_peer.add_actor("late")
    response = fake_peer.post(target["inbox"], _follow(actor, target), actor, now=time.time() - 2 * 3600)
    _assert_refused(response, server_a, target, fake_peer, actor)


def test_digest_mismatch_is_refused(server_a, fake_peer, target):
    actor = fake_peer.add_actor("tamper")
    signed = _follow(actor, target)
    altered = dict(signed, id=f"{actor.url}/follows/other")
    response = fake_peer.post(target["inbox"], signed, actor, body=json.dumps(altered).encode())
    _assert_refused(response, server_a, target, fake_peer, actor)


def test_actor_signer_mismatch_is_refused(server_a, fake_peer, target):
    signer = fake_peer.add_actor("signer")
    victim = fake_peer.add_actor("victim")
    response = fake_peer.post(target["inbox"], _follow(victim, target), signer)
    assert response.status_code == 403
    assert _followers(server_a, target) == 0
    assert not _known(server_a, victim, fake_peer)


def test_forwarded_activity_with_its_actors_ld_signature_is_accepted(server_a, fake_peer, target):
    forwarder = fake_peer.add_actor("forwarder")
    author = fake_peer.add_actor("author")
    signed = ld_signatures.sign(_follow(author, target), creator=author.url, private_key_pem=author.private_key)
    # a forged LD signature (someone else's key) is refused
    _, other_private = generate_key_pair(1024)
    forged = ld_signatures.sign(_follow(author, target), creator=author.url, private_key_pem=other_private)
    assert fake_peer.post(target["inbox"], forged, forwarder).status_code == 403
    assert _followers(server_a, target) == 0
    assert fake_peer.post(target["inbox"], signed, forwarder).status_code == 204
    wait_until(lambda: _followers(server_a, target) == 1, what="forwarded follow processed")


def test_rotated_key_is_fetched_again(server_a, fake_peer, target):
    actor = fake_peer.add_actor("rotating")
    assert fake_peer.post(target["inbox"], _follow(actor, target, "1"), actor).status_code == 204
    wait_until(lambda: _followers(server_a, target) == 1, what="first follow")
    public, private = generate_key_pair(1024)
    actor.document["publicKey"]["publicKeyPem"] = public
    actor.private_key = private
    undo = {"type": "Undo", "id": f"{actor.url}/follows/1/undo", "actor": actor.url,
            "object": _follow(actor, target, "1")}
    assert fake_peer.post(target["inbox"], undo, actor).status_code == 204
    wait_until(lambda: _followers(server_a, target) == 0, what="undo signed with the new key")


def test_blocked_server_activities_are_ignored(server_a, fake_peer, target):
    actor = fake_peer.add_actor("blockedone")
    assert server_a.root.post("/api/v1/server/blocklist/servers", json={"host": fake_peer.host}).status_code == 204
    response = fake_peer.post(target["inbox"], _follow(actor, target), actor)
    assert response.status_code == 204
    # a later, unblocked activity goes through: once it is processed the blocked one would have been too
    other = fake_peer.add_actor("notblocked")
    assert server_a.root.delete(f"/api/v1/server/blocklist/servers/{fake_peer.host}").status_code == 204
    assert fake_peer.post(target["inbox"], _follow(other, target), other).status_code == 204
    wait_until(lambda: _followers(server_a, target) == 1, what="unblocked follow processed")
    followers = server_a.anonymous.get(f"/video-channels/{target['name']}/followers?page=1", headers=AP).json()
    assert followers["orderedItems"] == [other.url]


def test_private_address_fetch_is_refused(server_factory, fake_peer, unique):
    config = copy.deepcopy(FEDERATION_CONFIG)
    config["federation"]["prevent_ssrf"] = True
    guarded = server_factory(config)
    owner = guarded.create_user(f"ssrf{unique}")
    assert owner.post("/api/v1/video-channels", json={"name": f"ssrf_{unique}", "displayName": "x"}).status_code == 200
    target = {"name": f"ssrf_{unique}", "url": f"{guarded.url}/video-channels/ssrf_{unique}",
              "inbox": f"{guarded.url}/video-channels/ssrf_{unique}/inbox"}
    actor = fake_peer.add_actor("internal")
    response = fake_peer.post(target["inbox"], _follow(actor, target), actor)
    _assert_refused(response, guarded, target, fake_peer, actor)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/actor", "http://10.1.2.3/actor", "http://169.254.169.254/latest",
                                 "http://[::1]/actor", "http://192.168.0.1/x", "http://localhost/x"])
def test_fetch_refuses_private_addresses(url, tmp_path):
    config = Config(deep_merge(builtin_defaults(), {"federation": {"prevent_ssrf": True}}), tmp_path)
    with pytest.raises(PrivateAddressError):
        asyncio.run(fetch_json(config, url))


def test_fetch_refuses_other_schemes(tmp_path):
    config = Config(deep_merge(builtin_defaults(), {"federation": {"prevent_ssrf": False}}), tmp_path)
    with pytest.raises(FetchError):
        asyncio.run(fetch_json(config, "file:///etc/passwd"))
