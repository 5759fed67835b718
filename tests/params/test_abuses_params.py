"""Abuses: bad input (a 400 naming the field), unknown objects (404), and who may see, decide on and
message which report (401/403), as PeerTube answers them."""

from __future__ import annotations

import uuid

import pytest

from tests.support.comments import commentable_video

MODERATOR = 1
ABUSES = "/api/v1/abuses"


@pytest.fixture(scope="module")
def actors(server):
    suffix = uuid.uuid4().hex[:8]
    reporter = server.create_user(f"abp_rep_{suffix}")
    owner = server.create_user(f"abp_own_{suffix}")
    video = commentable_video(owner)
    account_id = owner.get("/api/v1/users/me").json()["account"]["id"]
    response = reporter.post(ABUSES, json={"reason": "a report to poke at", "account": {"id": account_id}})
    assert response.status_code == 200, response.text
    return {"reporter": reporter, "owner": owner, "stranger": server.create_user(f"abp_str_{suffix}"),
            "moderator": server.create_user(f"abp_mod_{suffix}", role=MODERATOR), "video": video,
            "account_id": account_id, "abuse_id": response.json()["abuse"]["id"]}


@pytest.mark.parametrize("body,field", [
    ({}, "reason"), ({"reason": "x", "account": {"id": 1}}, "reason"),
    ({"reason": "x" * 3001, "account": {"id": 1}}, "reason"), ({"reason": 12, "account": {"id": 1}}, "reason"),
    ({"reason": "a\u0000b", "account": {"id": 1}}, "reason"),
    ({"reason": "fine", "predefinedReasons": ["violentOrAbusive"], "account": {"id": 1}}, "predefinedReasons.0"),
    ({"reason": "fine", "predefinedReasons": "spamOrMisleading", "account": {"id": 1}}, "predefinedReasons"),
    ({"reason": "fine", "account": {"id": 0}}, "account.id"), ({"reason": "fine", "account": {"id": "1"}}, "account.id"),
    ({"reason": "fine", "comment": {"id": -3}}, "comment.id"), ({"reason": "fine", "video": {}}, "video.id"),
    ({"reason": "fine", "video": {"id": 1, "startAt": -1}}, "video.startAt"),
    ({"reason": "fine", "video": {"id": 1, "endAt": 5}}, "video"),
    ({"reason": "fine", "video": {"id": 1, "startAt": 9, "endAt": 5}}, "video"),
])
def test_bad_reports(actors, body, field):
    response = actors["reporter"].post(ABUSES, json=body)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.json()["invalid-params"], response.json()


def test_a_report_names_something_that_exists(server, actors):
    reporter = actors["reporter"]
    nothing = reporter.post(ABUSES, json={"reason": "about nothing"})
    assert nothing.status_code == 400 and "required" in nothing.json()["detail"]
    for body, detail in (({"video": {"id": 2**31 - 1}}, "Video not found"),
                         ({"video": {"id": str(uuid.uuid4())}}, "Video not found"),
                         ({"comment": {"id": 2**31 - 1}}, "Video comment not found"),
                         ({"account": {"id": 2**31 - 1}}, "Account not found")):
        response = reporter.post(ABUSES, json={"reason": "unknown thing", **body})
        assert response.status_code == 404, response.text
        assert response.json()["detail"] == detail
    assert server.anonymous.post(ABUSES, json={"reason": "anonymous", "account": {"id": 1}}).status_code == 401
    own = actors["owner"].post(ABUSES, json={"reason": "my own", "video": {"id": actors["video"]["uuid"]}})
    assert own.status_code == 403


@pytest.mark.parametrize("params,field", [
    ({"filter": "videos"}, "filter"), ({"state": 4}, "state"), ({"state": "x"}, "state"), ({"id": 0}, "id"),
    ({"predefinedReason": "violentOrAbusive"}, "predefinedReason"), ({"videoIs": "gone"}, "videoIs"),
    ({"sort": "reason"}, "sort"), ({"count": 101}, "count"), ({"search": "x" * 251}, "search"),
])
def test_bad_list_filters(actors, params, field):
    response = actors["moderator"].get(ABUSES, params=params)
    assert response.status_code == 400, response.text
    assert field in response.json()["invalid-params"]


def test_my_abuses_filters_and_login(server, actors):
    assert server.anonymous.get("/api/v1/users/me/abuses").status_code == 401
    response = actors["reporter"].get("/api/v1/users/me/abuses", params={"state": 0})
    assert response.status_code == 400 and "state" in response.json()["invalid-params"]


@pytest.mark.parametrize("body,field", [
    ({"state": 4}, "state"), ({"state": "accepted"}, "state"), ({"moderationComment": "x"}, "moderationComment"),
    ({"moderationComment": "x" * 3001}, "moderationComment"),
])
def test_bad_decisions(actors, body, field):
    response = actors["moderator"].put(f"{ABUSES}/{actors['abuse_id']}", json=body)
    assert response.status_code == 400, response.text
    assert field in response.json()["invalid-params"]


def test_decisions_need_the_right_and_an_existing_report(actors):
    path = f"{ABUSES}/{actors['abuse_id']}"
    for client in (actors["reporter"], actors["stranger"]):
        assert client.put(path, json={"state": 3}).status_code == 403
        assert client.delete(path).status_code == 403
    assert actors["moderator"].put(f"{ABUSES}/{2**31 - 1}", json={"state": 3}).status_code == 404
    assert actors["moderator"].delete(f"{ABUSES}/{2**31 - 1}").status_code == 404
    assert actors["moderator"].put(f"{ABUSES}/0", json={"state": 3}).status_code == 400


def test_messages_are_for_the_reporter_and_the_moderators(server, actors):
    path = f"{ABUSES}/{actors['abuse_id']}/messages"
    assert server.anonymous.get(path).status_code == 401
    assert actors["stranger"].get(path).status_code == 403
    assert actors["owner"].post(path, json={"message": "not yours"}).status_code == 403
    assert actors["moderator"].get(f"{ABUSES}/{2**31 - 1}/messages").status_code == 404
    for body in ({}, {"message": "x"}, {"message": "x" * 3001}, {"message": ["list"]}):
        response = actors["reporter"].post(path, json=body)
        assert response.status_code == 400, response.text
        assert "message" in response.json()["invalid-params"]
    assert actors["reporter"].delete(f"{path}/{2**31 - 1}").status_code == 404
    assert actors["reporter"].delete(f"{path}/0").status_code == 400
