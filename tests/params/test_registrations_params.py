"""Register: bad input is a 400 naming the field; moderation routes need MANAGE_REGISTRATIONS."""

from __future__ import annotations

import uuid

import pytest

REGISTER = "/api/v1/users/register"
REQUEST = "/api/v1/users/registrations/request"
REGISTRATIONS = "/api/v1/users/registrations"


def assert_bad_param(response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.json().get("invalid-params", {}), response.text


@pytest.fixture(scope="module")
def open_server(server_factory):
    """Direct sign-up open to all, so that every check behind the open door is reached."""
    return server_factory(config={"signup": {"enabled": True, "requires_approval": False, "limit": -1}})


def body(unique: str, **changes) -> dict:
    return {"username": f"reg{unique}", "password": "password1", "email": f"reg{unique}@example.com",
            **changes}


@pytest.mark.parametrize("field,changes", [
    ("username", {"username": "Capitals"}),
    ("username", {"username": "x" * 51}),
    ("username", {"username": ""}),
    ("password", {"password": "12345"}),
    ("password", {"password": "ü" * 37}),
    ("email", {"email": "at-nowhere"}),
    ("displayName", {"displayName": ""}),
    ("displayName", {"displayName": "d" * 121}),
    ("channel.name", {"channel": {"name": "no spaces allowed", "displayName": "Fine"}}),
    ("channel.displayName", {"channel": {"name": "fine_name", "displayName": "d" * 121}}),
    ("channel.displayName", {"channel": {"name": "fine_name"}}),
    ("channel.name", {"channel": {"displayName": "Only a display name"}}),
    ("username", {"username": None}),
])
def test_register_validation(open_server, unique, field, changes):
    assert_bad_param(open_server.anonymous.post(REGISTER, json=body(unique, **changes)), field)
    assert open_server.anonymous.token_request(f"reg{unique}", "password1").status_code == 400  # not created


def test_register_needs_a_json_body(open_server):
    assert open_server.anonymous.post(REGISTER, content=b"{not json", headers={
        "Content-Type": "application/json"}).status_code == 400
    assert_bad_param(open_server.anonymous.post(REGISTER, json={}), "username")


@pytest.mark.parametrize("field,changes", [
    ("registrationReason", {}),
    ("registrationReason", {"registrationReason": "x"}),
    ("registrationReason", {"registrationReason": "x" * 3001}),
])
def test_request_validation(server, unique, field, changes):
    assert_bad_param(server.anonymous.post(REQUEST, json=body(unique, **changes)), field)


@pytest.fixture(scope="module")
def callers(server):
    suffix = uuid.uuid4().hex[:8]
    return {"user": server.create_user(f"rp_user_{suffix}"),
            "moderator": server.create_user(f"rp_mod_{suffix}", role=1)}


def moderation_calls(client, registration_id: int = 1):
    decision = {"moderationResponse": "fine by me"}
    return [client.get(REGISTRATIONS),
            client.post(f"{REGISTRATIONS}/{registration_id}/accept", json=decision),
            client.post(f"{REGISTRATIONS}/{registration_id}/reject", json=decision),
            client.delete(f"{REGISTRATIONS}/{registration_id}")]


def test_moderation_needs_the_right(server, callers):
    for response in moderation_calls(server.anonymous):
        assert response.status_code == 401, response.text
    for response in moderation_calls(callers["user"]):
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    listed = callers["moderator"].get(REGISTRATIONS)
    assert listed.status_code == 200 and set(listed.json()) == {"total", "data"}


def test_unknown_registrations_are_404(server, callers):
    unknown = 2147483600
    for response in moderation_calls(callers["moderator"], unknown)[1:]:
        assert response.status_code == 404, response.text
    verify = server.anonymous.post(f"{REGISTRATIONS}/{unknown}/verify-email",
                                   json={"verificationString": "x"})
    assert verify.status_code == 404


@pytest.mark.parametrize("field,decision", [
    ("moderationResponse", {}),
    ("moderationResponse", {"moderationResponse": "x"}),
    ("moderationResponse", {"moderationResponse": "x" * 3001}),
    ("preventEmailDelivery", {"moderationResponse": "fine", "preventEmailDelivery": "sometimes"}),
])
def test_decision_validation(server, field, decision):
    for action in ("accept", "reject"):
        assert_bad_param(server.root.post(f"{REGISTRATIONS}/1/{action}", json=decision), field)


@pytest.mark.parametrize("query,field", [
    ({"sort": "username"}, "sort"),
    ({"count": 500}, "count"),
    ({"stateOneOf": "pending"}, "stateOneOf.0"),
])
def test_list_validation(server, query, field):
    assert_bad_param(server.root.get(REGISTRATIONS, params=query), field)


@pytest.mark.parametrize("raw_id", ["0", "abc", "2147483648"])
def test_registration_ids_are_validated(server, raw_id):
    assert_bad_param(server.root.post(f"{REGISTRATIONS}/{raw_id}/accept", json={"moderationResponse": "ok"}),
                     "registrationId")
    assert_bad_param(server.root.delete(f"{REGISTRATIONS}/{raw_id}"), "registrationId")


def test_verification_mail_requests_need_an_email(server):
    ask = server.anonymous.post(f"{REGISTRATIONS}/ask-send-verify-email", json={"email": "x"})
    assert_bad_param(ask, "email")
    assert_bad_param(server.anonymous.post(f"{REGISTRATIONS}/1/verify-email", json={}), "verificationString")
