"""Abuse reports between instances: a report of a remote video travels to its origin as a `Flag`,
and a PeerTube-shaped Flag sent by a peer becomes a report on ours."""

from __future__ import annotations

import uuid

from tests.federation.conftest import follow_instance, host_of, wait_until
from tests.support.comments import commentable_video
from tests.support.notifications import jobs_drained
from tests.support.published_videos import published_video
from tests.support.server import ServerProcess
from vidpub.federation.context import context_for


def _reports(server: ServerProcess, **params) -> list[dict]:
    response = server.root.get("/api/v1/abuses", params={"count": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _report_with(server: ServerProcess, reason: str) -> dict | None:
    return next((row for row in _reports(server) if row["reason"] == reason), None)


def test_a_report_of_a_remote_video_reaches_its_origin(server_a, server_b, unique):
    follow_instance(server_b, server_a)
    alice = server_a.create_user(f"alice{unique}{uuid.uuid4().hex[:4]}")
    video = published_video(alice)
    wait_until(lambda: server_b.anonymous.get(f"/api/v1/videos/{video['uuid']}").status_code == 200,
               what="the video on B")
    bob_name = f"bob{unique}{uuid.uuid4().hex[:4]}"
    bob = server_b.create_user(bob_name)
    reason = f"Stolen content {unique}"
    response = bob.post("/api/v1/abuses", json={"reason": reason, "predefinedReasons": ["rights"],
                                                "video": {"id": video["uuid"], "startAt": 1, "endAt": 3}})
    assert response.status_code == 200, response.text

    on_b = _report_with(server_b, reason)
    assert on_b["flaggedAccount"]["host"] == host_of(server_a) and on_b["video"]["uuid"] == video["uuid"]

    on_a = wait_until(lambda: _report_with(server_a, reason), what="the report on A")
    assert (on_a["reporterAccount"]["name"], on_a["reporterAccount"]["host"]) == (bob_name, host_of(server_b))
    assert on_a["flaggedAccount"]["host"] == host_of(server_a)
    assert on_a["predefinedReasons"] == ["rights"] and on_a["state"]["id"] == 1
    assert (on_a["video"]["uuid"], on_a["video"]["startAt"], on_a["video"]["endAt"]) == (video["uuid"], 1, 3)
    # the conversation about a report belongs to the reporter's instance
    messages = server_a.root.get(f"/api/v1/abuses/{on_a['id']}/messages")
    assert messages.status_code == 400, messages.text


def test_a_peertube_flag_becomes_a_report_once(server_a, fake_peer, unique):
    owner = server_a.create_user(f"flagged{unique}{uuid.uuid4().hex[:4]}")
    video = commentable_video(owner)
    video_url = server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["url"]
    reporter = fake_peer.add_actor("peertube", "Application")
    reason = f"Spam from a peer {unique}"
    flag = {"@context": context_for("Flag"), "type": "Flag", "id": f"{fake_peer.url}/admin/abuses/{unique}",
            "actor": reporter.url, "content": reason, "mediaType": "text/markdown", "object": video_url,
            "tag": [{"type": "Hashtag", "name": "spamOrMisleading"}, {"type": "Hashtag", "name": "unknownReason"}],
            "startAt": 4, "endAt": 9, "to": [f"{server_a.url}/accounts/{owner_name(owner)}"], "cc": []}
    for _ in range(2):  # a redelivered Flag
        response = fake_peer.post(f"{server_a.url}/inbox", flag, reporter)
        assert response.status_code == 204, response.text
    # a Flag of something that is not ours is ignored
    elsewhere = {**flag, "id": f"{fake_peer.url}/admin/abuses/{unique}-other", "content": f"{reason} elsewhere",
                 "object": f"{fake_peer.url}/videos/watch/{uuid.uuid4()}"}
    assert fake_peer.post(f"{server_a.url}/inbox", elsewhere, reporter).status_code == 204
    # older PeerTube wrapped the Flag in a Create
    wrapped = {key: value for key, value in flag.items() if key != "@context"}
    wrapped.update(id=f"{fake_peer.url}/admin/abuses/{unique}-wrapped", content=f"{reason} wrapped")
    create = {"@context": context_for("Flag"), "type": "Create", "id": f"{wrapped['id']}/create",
              "actor": reporter.url, "object": wrapped}
    assert fake_peer.post(f"{server_a.url}/inbox", create, reporter).status_code == 204

    report = wait_until(lambda: _report_with(server_a, reason), what="the report on A")
    wait_until(lambda: _report_with(server_a, f"{reason} wrapped"), what="the wrapped report on A")
    jobs_drained(server_a, "activitypub-inbox")
    assert [row["reason"] for row in _reports(server_a, searchReporter=reporter.document["name"])
            ].count(reason) == 1
    assert _report_with(server_a, f"{reason} elsewhere") is None
    assert report["reporterAccount"]["host"] == fake_peer.host
    assert report["predefinedReasons"] == ["spamOrMisleading"]
    assert (report["video"]["uuid"], report["video"]["startAt"], report["video"]["endAt"]) == (video["uuid"], 4, 9)


def owner_name(client) -> str:
    return client.get("/api/v1/users/me").json()["username"]
