"""Abuse reports over HTTP: reporting a video, a comment and an account, the moderators' list and its
filters, decisions, the messages between reporter and moderators, the notifications they cause, and
a report that outlives its video. One video and a few users on the shared server serve every test."""

from __future__ import annotations

import uuid

import pytest

from tests.api.upstream_spec import schema_errors
from tests.support.comments import commentable_video, post_thread
from tests.support.notifications import wait_for_notification
from tests.support.server import Client

NEW_ABUSE_FOR_MODERATORS, ABUSE_STATE_CHANGE, ABUSE_NEW_MESSAGE = 3, 15, 16
PENDING, REJECTED, ACCEPTED = 1, 2, 3


def _user(server, prefix: str) -> Client:
    return server.create_user(f"{prefix}_{uuid.uuid4().hex[:8]}")


def _me(client: Client) -> dict:
    return client.get("/api/v1/users/me").json()


def _report(client: Client, body: dict) -> int:
    response = client.post("/api/v1/abuses", json=body)
    assert response.status_code == 200, response.text
    return response.json()["abuse"]["id"]


def _listed(client: Client, path: str = "/api/v1/abuses", **params) -> dict:
    response = client.get(path, params={"count": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _one(client: Client, abuse_id: int, path: str = "/api/v1/abuses") -> dict:
    page = _listed(client, path, id=abuse_id)
    assert page["total"] == 1, page
    return page["data"][0]


@pytest.fixture(scope="module")
def scene(server):
    """alice (owner of a video and a comment), bob (the reporter), a moderator, and carol (nobody)."""
    alice, bob, carol = _user(server, "alice"), _user(server, "bob"), _user(server, "carol")
    moderator = server.create_user(f"mod_{uuid.uuid4().hex[:8]}", role=1)
    video = commentable_video(alice, name=f"reported {uuid.uuid4().hex[:6]}")
    comment = post_thread(alice, video, "a comment worth reporting")
    return {"alice": alice, "bob": bob, "carol": carol, "moderator": moderator, "video": video,
            "comment": comment, "alice_account": _me(alice)["account"], "bob_account": _me(bob)["account"],
            "carol_account": _me(carol)["account"]}


def test_video_report_from_report_to_decision(server, scene):
    bob, moderator, video = scene["bob"], scene["moderator"], scene["video"]
    abuse_id = _report(bob, {"reason": "This is **spam**", "predefinedReasons": ["spamOrMisleading", "rights"],
                             "video": {"id": video["uuid"], "startAt": 2, "endAt": 5}})

    item = _one(moderator, abuse_id)
    assert schema_errors("Abuse", item) == []
    assert item["reason"] == "This is **spam**"
    assert item["predefinedReasons"] == ["spamOrMisleading", "rights"]
    assert item["state"] == {"id": PENDING, "label": "Pending"}
    assert item["reporterAccount"]["name"] == scene["bob_account"]["name"]
    assert item["flaggedAccount"]["name"] == scene["alice_account"]["name"]
    assert item["comment"] is None
    reported = item["video"]
    assert (reported["uuid"], reported["startAt"], reported["endAt"]) == (video["uuid"], 2, 5)
    assert reported["deleted"] is False and reported["blacklisted"] is False
    assert reported["countReports"] >= 1 and 1 <= reported["nthReport"] <= reported["countReports"]
    assert reported["channel"]["ownerAccountId"] == scene["alice_account"]["id"]
    assert item["countReportsForReporter"] >= 1 and item["countReportsForReportee"] >= 1

    # the reporter sees the report without what only moderators see
    mine = _one(bob, abuse_id, "/api/v1/users/me/abuses")
    assert "reporterAccount" not in mine and "moderationComment" not in mine
    assert mine["video"]["uuid"] == video["uuid"] and "countReports" not in mine["video"]
    assert _listed(scene["carol"], "/api/v1/users/me/abuses", id=abuse_id)["total"] == 0

    # the moderators hear of it; the video's owner cannot report her own video
    wait_for_notification(server, moderator, NEW_ABUSE_FOR_MODERATORS, lambda n: n["abuse"]["id"] == abuse_id)
    own = scene["alice"].post("/api/v1/abuses", json={"reason": "mine", "video": {"id": video["id"]}})
    assert own.status_code == 403, own.text

    response = moderator.put(f"/api/v1/abuses/{abuse_id}", json={"state": ACCEPTED, "moderationComment": "Gone"})
    assert response.status_code == 204, response.text
    item = _one(moderator, abuse_id)
    assert item["state"] == {"id": ACCEPTED, "label": "Accepted"} and item["moderationComment"] == "Gone"
    notice = wait_for_notification(server, bob, ABUSE_STATE_CHANGE, lambda n: n["abuse"]["id"] == abuse_id)
    assert notice["abuse"]["state"] == ACCEPTED and notice["abuse"]["video"]["uuid"] == video["uuid"]
    assert _listed(moderator, state=ACCEPTED, id=abuse_id)["total"] == 1
    assert _listed(moderator, state=REJECTED, id=abuse_id)["total"] == 0


def test_messages_between_reporter_and_moderators(server, scene):
    bob, carol, moderator = scene["bob"], scene["carol"], scene["moderator"]
    abuse_id = _report(bob, {"reason": "Rude account", "account": {"id": scene["carol_account"]["id"]}})
    path = f"/api/v1/abuses/{abuse_id}/messages"

    first = bob.post(path, json={"message": "Any news?"})
    assert first.status_code == 200, first.text
    answer = moderator.post(path, json={"message": "We are looking into it"})
    assert answer.status_code == 200, answer.text
    answer_id = answer.json()["abuseMessage"]["id"]

    listed = bob.get(path).json()
    assert listed["total"] == 2
    assert [(m["message"], m["byModerator"]) for m in listed["data"]] == [
        ("Any news?", False), ("We are looking into it", True)]
    assert listed["data"][0]["account"]["name"] == scene["bob_account"]["name"]
    assert all(schema_errors("AbuseMessage", m) == [] for m in listed["data"])
    assert _one(moderator, abuse_id)["countMessages"] == 2

    notice = wait_for_notification(server, bob, ABUSE_NEW_MESSAGE, lambda n: n["abuse"]["id"] == abuse_id)
    assert notice["abuse"]["account"]["name"] == scene["carol_account"]["name"]
    wait_for_notification(server, moderator, ABUSE_NEW_MESSAGE, lambda n: n["abuse"]["id"] == abuse_id)

    # someone else's report, someone else's message
    assert carol.get(path).status_code == 403
    assert carol.post(path, json={"message": "me too"}).status_code == 403
    assert bob.delete(f"{path}/{answer_id}").status_code == 403
    assert moderator.delete(f"{path}/{answer_id}").status_code == 204
    assert [m["message"] for m in bob.get(path).json()["data"]] == ["Any news?"]
    assert bob.delete(f"{path}/{answer_id}").status_code == 404


def test_comment_and_account_reports_and_the_list_filters(server, scene):
    bob, moderator = scene["bob"], scene["moderator"]
    comment_abuse = _report(bob, {"reason": "Insulting comment", "predefinedReasons": ["hatefulOrAbusive"],
                                  "comment": {"id": scene["comment"]["id"]}})
    account_abuse = _report(bob, {"reason": "Impersonation", "account": {"id": scene["alice_account"]["id"]}})

    item = _one(moderator, comment_abuse)
    assert item["video"] is None
    assert item["comment"]["id"] == scene["comment"]["id"] and item["comment"]["text"] == "a comment worth reporting"
    assert item["comment"]["video"]["uuid"] == scene["video"]["uuid"] and item["comment"]["deleted"] is False
    assert item["flaggedAccount"]["name"] == scene["alice_account"]["name"]

    def ids(**params) -> set[int]:
        return {row["id"] for row in _listed(moderator, **params)["data"]}

    assert comment_abuse in ids(filter="comment") and comment_abuse not in ids(filter="video")
    assert account_abuse in ids(filter="account") and account_abuse not in ids(filter="comment")
    assert comment_abuse in ids(predefinedReason="hatefulOrAbusive")
    assert account_abuse not in ids(predefinedReason="hatefulOrAbusive")
    bob_name = scene["bob_account"]["displayName"]
    assert {comment_abuse, account_abuse} <= ids(searchReporter=bob_name)
    assert {comment_abuse, account_abuse} <= ids(search=bob_name)
    assert account_abuse in ids(searchReportee=scene["alice_account"]["displayName"])
    assert account_abuse not in ids(searchReportee=scene["carol_account"]["displayName"])
    assert comment_abuse not in ids(searchVideo=scene["video"]["uuid"] + "-nothing")
    newest = _listed(moderator, sort="-id", count=2)["data"]
    assert newest[0]["id"] > newest[1]["id"]
    assert _listed(moderator, sort="createdAt", count=1)["total"] >= 2


def test_a_report_outlives_its_video(server, scene):
    alice, bob, moderator = scene["alice"], scene["bob"], scene["moderator"]
    video = commentable_video(alice, name=f"doomed {uuid.uuid4().hex[:6]}")
    abuse_id = _report(bob, {"reason": "Doomed video", "video": {"id": video["shortUUID"]}})
    assert alice.delete(f"/api/v1/videos/{video['uuid']}").status_code == 204

    item = _one(moderator, abuse_id)
    assert item["video"]["deleted"] is True
    assert item["video"]["uuid"] == video["uuid"] and item["video"]["name"].startswith("doomed ")
    assert _one(bob, abuse_id, "/api/v1/users/me/abuses")["video"]["deleted"] is True
    assert abuse_id in {row["id"] for row in _listed(moderator, videoIs="deleted")["data"]}
    assert abuse_id in {row["id"] for row in _listed(moderator, searchVideo="doomed")["data"]}

    assert moderator.delete(f"/api/v1/abuses/{abuse_id}").status_code == 204
    assert _listed(moderator, id=abuse_id)["total"] == 0
    assert moderator.delete(f"/api/v1/abuses/{abuse_id}").status_code == 404
