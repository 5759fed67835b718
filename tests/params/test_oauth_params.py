"""Validation and permissions of the Session endpoints, the bearer check, two-factor and token sessions."""

from __future__ import annotations

import itertools
import os

import httpx
import pytest

from tests.support.server import ROOT_PASSWORD

TOKEN_PATH = "/api/v1/users/token"


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture(scope="module")
def local_client(server) -> dict:
    return server.anonymous.oauth_client()


def token_form(local_client: dict, **fields) -> dict:
    form = {"client_id": local_client["client_id"], "client_secret": local_client["client_secret"],
            "grant_type": "password", "username": "root", "password": ROOT_PASSWORD}
    form.update(fields)
    return {key: value for key, value in form.items() if value is not None}


# -- the token endpoint ---------------------------------------------------------------------------

def test_token_requires_a_form_body(server, local_client):
    response = server.anonymous.post(TOKEN_PATH, json=token_form(local_client))
    body = problem(response, 400, "invalid_request")
    assert "x-www-form-urlencoded" in body["detail"]
    multipart = server.anonymous.post(TOKEN_PATH, files={"grant_type": (None, "password")})
    problem(multipart, 400, "invalid_request")


@pytest.mark.parametrize("fields, code", [
    ({"client_id": None}, "invalid_client"),
    ({"client_secret": None}, "invalid_client"),
    ({"client_secret": "wrong-secret"}, "invalid_client"),
    ({"client_id": "unknown-client"}, "invalid_client"),
    ({"grant_type": None}, "invalid_request"),
    ({"grant_type": "authorization_code"}, "unsupported_grant_type"),
    ({"grant_type": "client_credentials"}, "unsupported_grant_type"),
    ({"username": None}, "invalid_request"),
    ({"password": None}, "invalid_request"),
    ({"password": ""}, "invalid_request"),
    ({"password": "é" * 37}, "too_long_password"),  # 74 bytes: past what bcrypt reads
    ({"grant_type": "refresh_token"}, "invalid_request"),  # no refresh_token
    ({"grant_type": "refresh_token", "refresh_token": "0" * 40}, "invalid_grant"),
])
def test_token_errors(server, local_client, fields, code):
    response = server.anonymous.post(TOKEN_PATH, data=token_form(local_client, **fields))
    problem(response, 400, code)


def test_client_is_checked_before_the_grant_type(server, local_client):
    # PeerTube's order: a bad client wins over a bad grant type
    response = server.anonymous.post(TOKEN_PATH, data=token_form(
        local_client, client_secret="wrong", grant_type="authorization_code"))
    problem(response, 400, "invalid_client")


def test_local_client_refused_for_another_host(server):
    response = httpx.get(server.url + "/api/v1/oauth-clients/local", headers={"Host": "evil.example.com"})
    body = problem(response, 403)
    assert "evil.example.com" in body["detail"]


# -- bearer tokens --------------------------------------------------------------------------------

def test_missing_token(server):
    body = problem(server.anonymous.get("/api/v1/users/me"), 401, "unauthorized_request")
    assert body["detail"] == "Token is invalid"


def test_unknown_token(server):
    response = server.anonymous.get("/api/v1/users/me", headers={"Authorization": "Bearer " + "a" * 40})
    problem(response, 401, "invalid_token")


@pytest.mark.parametrize("header", ["Basic cm9vdDpwYXNzd29yZA==", "Bearer", "Bearertoken", "Token abc"])
def test_malformed_authorization_header(server, header):
    response = server.anonymous.get("/api/v1/users/me", headers={"Authorization": header})
    problem(response, 400, "invalid_request")


def test_revoke_requires_a_token(server):
    problem(server.anonymous.post("/api/v1/users/revoke-token"), 401, "unauthorized_request")


# -- two-factor -----------------------------------------------------------------------------------

_module_users = itertools.count()


@pytest.fixture(scope="module")
def unique_module() -> str:
    return f"{os.getpid() % 1000}m{next(_module_users)}"


@pytest.fixture(scope="module")
def two_users(server, unique_module):
    alice = server.create_user(f"tfa_p_alice{unique_module}", "alice-password")
    bob = server.create_user(f"tfa_p_bob{unique_module}", "bob-password")
    alice_id = alice.get("/api/v1/users/me").json()["id"]
    bob_id = bob.get("/api/v1/users/me").json()["id"]
    return alice, alice_id, bob, bob_id


@pytest.mark.parametrize("action", ["request", "confirm-request", "disable"])
def test_two_factor_requires_a_token(server, two_users, action):
    _, alice_id, _, _ = two_users
    problem(server.anonymous.post(f"/api/v1/users/{alice_id}/two-factor/{action}", json={}), 401)


@pytest.mark.parametrize("user_id", ["abc", "0", "-1", str(2**31)])
def test_two_factor_bad_user_id(server, two_users, user_id):
    alice, _, _, _ = two_users
    body = problem(alice.post(f"/api/v1/users/{user_id}/two-factor/request",
                              json={"currentPassword": "alice-password"}), 400)
    assert "id" in body["invalid-params"]


def test_two_factor_request_password_rules(server, two_users):
    alice, alice_id, _, _ = two_users
    path = f"/api/v1/users/{alice_id}/two-factor/request"
    problem(alice.post(path, json={}), 400)
    problem(alice.post(path), 400)
    problem(alice.post(path, json={"currentPassword": "wrong"}), 403, "current_password_is_invalid")
    body = problem(alice.post(path, json={"currentPassword": 42}), 400)
    assert "currentPassword" in body["invalid-params"]


def test_two_factor_disable_password_rules(server, two_users):
    alice, alice_id, _, _ = two_users
    path = f"/api/v1/users/{alice_id}/two-factor/disable"
    problem(alice.post(path, json={}), 400)
    problem(alice.post(path, json={"currentPassword": "wrong"}), 403, "current_password_is_invalid")
    # right password, but two-factor is off
    problem(alice.post(path, json={"currentPassword": "alice-password"}), 400)


def test_two_factor_of_another_user_is_forbidden(server, two_users):
    alice, _, _, bob_id = two_users
    for action, body in (("request", {"currentPassword": "alice-password"}),
                         ("confirm-request", {"requestToken": "x", "otpToken": "123456"}),
                         ("disable", {"currentPassword": "alice-password"})):
        problem(alice.post(f"/api/v1/users/{bob_id}/two-factor/{action}", json=body), 403)


def test_two_factor_unknown_user(server):
    problem(server.root.post("/api/v1/users/2147483000/two-factor/disable", json={}), 404)


def test_moderator_cannot_touch_an_admin_two_factor(server, unique):
    moderator = server.create_user(f"tfa_p_mod{unique}", "moderator-password", role=1)
    root_id = server.root.get("/api/v1/users/me").json()["id"]
    problem(moderator.post(f"/api/v1/users/{root_id}/two-factor/disable", json={}), 403)
    problem(moderator.post(f"/api/v1/users/{root_id}/two-factor/request", json={}), 403)


def test_confirm_requires_both_fields(server, two_users):
    alice, alice_id, _, _ = two_users
    path = f"/api/v1/users/{alice_id}/two-factor/confirm-request"
    body = problem(alice.post(path, json={"otpToken": "123456"}), 400)
    assert "requestToken" in body["invalid-params"]
    body = problem(alice.post(path, json={"requestToken": "abc"}), 400)
    assert "otpToken" in body["invalid-params"]
    body = problem(alice.post(path, json={"requestToken": "", "otpToken": "123456"}), 400)
    assert "requestToken" in body["invalid-params"]


def test_confirm_with_a_forged_request_token(server, two_users):
    alice, alice_id, _, _ = two_users
    path = f"/api/v1/users/{alice_id}/two-factor/confirm-request"
    problem(alice.post(path, json={"requestToken": "forged.token.value", "otpToken": "123456"}), 403)


# -- token sessions and scoped tokens -------------------------------------------------------------

def test_sessions_require_a_token(server, two_users):
    _, alice_id, _, _ = two_users
    problem(server.anonymous.get(f"/api/v1/users/{alice_id}/token-sessions"), 401)
    problem(server.anonymous.post(f"/api/v1/users/{alice_id}/token-sessions/1/revoke"), 401)
    problem(server.anonymous.get("/api/v1/users/scoped-tokens"), 401)
    problem(server.anonymous.post("/api/v1/users/scoped-tokens"), 401)


def test_sessions_of_another_user_are_forbidden(server, two_users):
    alice, _, _, bob_id = two_users
    problem(alice.get(f"/api/v1/users/{bob_id}/token-sessions"), 403)
    problem(alice.post(f"/api/v1/users/{bob_id}/token-sessions/1/revoke"), 403)


def test_sessions_list_parameters(server, two_users):
    alice, alice_id, _, _ = two_users
    path = f"/api/v1/users/{alice_id}/token-sessions"
    assert "sort" in problem(alice.get(path, params={"sort": "accessToken"}), 400)["invalid-params"]
    assert "count" in problem(alice.get(path, params={"count": 101}), 400)["invalid-params"]
    assert "start" in problem(alice.get(path, params={"start": -1}), 400)["invalid-params"]
    assert alice.get(path, params={"sort": "-createdAt", "count": 1}).status_code == 200
    problem(server.root.get("/api/v1/users/2147483000/token-sessions"), 404)


def test_revoke_a_session_of_someone_else_through_my_id(server, two_users):
    alice, alice_id, bob, bob_id = two_users
    bob_session = bob.get(f"/api/v1/users/{bob_id}/token-sessions").json()["data"][0]["id"]
    problem(alice.post(f"/api/v1/users/{alice_id}/token-sessions/{bob_session}/revoke"), 404)
    problem(alice.post(f"/api/v1/users/{alice_id}/token-sessions/2147483000/revoke"), 404)
    problem(alice.post(f"/api/v1/users/{alice_id}/token-sessions/abc/revoke"), 400)
    # bob's session survived
    assert bob.get("/api/v1/users/me").status_code == 200


def test_moderator_manages_sessions_of_users_only(server, two_users, unique):
    _, alice_id, _, _ = two_users
    moderator = server.create_user(f"tfa_p_mod2{unique}", "moderator-password", role=1)
    root_id = server.root.get("/api/v1/users/me").json()["id"]
    assert moderator.get(f"/api/v1/users/{alice_id}/token-sessions").status_code == 200
    problem(moderator.get(f"/api/v1/users/{root_id}/token-sessions"), 403)
