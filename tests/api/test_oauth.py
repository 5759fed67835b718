"""Login, refresh, logout and bearer tokens, as PeerTube clients use them, against real servers."""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

import httpx
import pytest

from tests.support.database import database_url, run_sql
from tests.support.server import ROOT_PASSWORD, Client, ServerProcess

TOKEN_PATH = "/api/v1/users/token"


def problem(response: httpx.Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == code, body
    return body


def password_grant(server: ServerProcess, username: str, password: str, client: dict | None = None,
                   headers: dict | None = None) -> httpx.Response:
    client = client or server.anonymous.oauth_client()
    return server.anonymous.http.post(TOKEN_PATH, headers=headers, data={
        "client_id": client["client_id"], "client_secret": client["client_secret"],
        "grant_type": "password", "username": username, "password": password})


def refresh_grant(server: ServerProcess, refresh_token: str, client: dict | None = None) -> httpx.Response:
    client = client or server.anonymous.oauth_client()
    return server.anonymous.http.post(TOKEN_PATH, data={
        "client_id": client["client_id"], "client_secret": client["client_secret"],
        "grant_type": "refresh_token", "refresh_token": refresh_token})


def bearer(server: ServerProcess, access_token: str) -> Client:
    return server.anonymous.with_token(access_token)


def user_id(client: Client) -> int:
    return client.get("/api/v1/users/me").json()["id"]


# -- password grant -------------------------------------------------------------------------------

def test_login_by_username_or_email_in_any_case(server, unique):
    name = f"oauth_login{unique}"
    server.create_user(name, "the-password")
    for login in (name, name.upper(), f"{name}@example.com", f"{name.upper()}@Example.COM"):
        response = password_grant(server, login, "the-password")
        assert response.status_code == 200, (login, response.text)
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["pragma"] == "no-cache"
        body = response.json()
        assert set(body) == {"token_type", "access_token", "refresh_token", "expires_in",
                             "refresh_token_expires_in"}
        assert body["token_type"] == "Bearer"
        me = bearer(server, body["access_token"]).get("/api/v1/users/me")
        assert me.status_code == 200 and me.json()["username"] == name
        assert me.json()["lastLoginDate"] is not None


def test_wrong_password_and_unknown_user_answer_alike(server, unique):
    name = f"oauth_wrong{unique}"
    server.create_user(name, "the-password")
    wrong = problem(password_grant(server, name, "not-the-password"), 400, "invalid_grant")
    unknown = problem(password_grant(server, f"nobody{unique}", "not-the-password"), 400, "invalid_grant")
    unknown_email = problem(password_grant(server, f"nobody{unique}@example.com", "x"), 400, "invalid_grant")
    assert wrong["detail"] == unknown["detail"] == unknown_email["detail"]


def test_password_is_case_sensitive(server, unique):
    name = f"oauth_case{unique}"
    server.create_user(name, "The-Password")
    problem(password_grant(server, name, "the-password"), 400, "invalid_grant")


def test_blocked_user_cannot_log_in_and_loses_sessions(server, unique):
    name = f"oauth_blocked{unique}"
    client = server.create_user(name, "the-password")
    target = user_id(client)
    assert server.root.post(f"/api/v1/users/{target}/block", json={"reason": "spam"}).status_code == 204
    problem(client.get("/api/v1/users/me"), 401, "invalid_token")
    body = problem(password_grant(server, name, "the-password"), 400, "account_blocked")
    assert body["detail"] == "User is blocked."
    # a wrong password says nothing about the block
    problem(password_grant(server, name, "wrong-password"), 400, "invalid_grant")
    assert server.root.post(f"/api/v1/users/{target}/unblock").status_code == 204
    assert password_grant(server, name, "the-password").status_code == 200


# -- refresh grant --------------------------------------------------------------------------------

def test_refresh_replaces_the_pair(server, unique):
    name = f"oauth_refresh{unique}"
    server.create_user(name, "the-password")
    first = password_grant(server, name, "the-password").json()
    refreshed = refresh_grant(server, first["refresh_token"])
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.headers["cache-control"] == "no-store"
    second = refreshed.json()
    assert second["access_token"] != first["access_token"]
    assert second["refresh_token"] != first["refresh_token"]
    assert bearer(server, second["access_token"]).get("/api/v1/users/me").json()["username"] == name
    # the old pair is dead
    problem(bearer(server, first["access_token"]).get("/api/v1/users/me"), 401, "invalid_token")
    problem(refresh_grant(server, first["refresh_token"]), 400, "invalid_grant")
    # and the new refresh token works once more
    assert refresh_grant(server, second["refresh_token"]).status_code == 200


def test_refresh_token_of_another_client_is_refused(server, unique):
    other = {"client_id": f"otherclient{unique}".ljust(32, "0")[:32], "client_secret": secrets.token_hex(16)}
    run_sql(server, "INSERT INTO oauth_client (client_id, client_secret, grants, created_at, updated_at) "
                    "VALUES (:id, :secret, :grants, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
            {"id": other["client_id"], "secret": other["client_secret"],
             "grants": '["password", "refresh_token"]'})
    name = f"oauth_clients{unique}"
    server.create_user(name, "the-password")
    local_pair = password_grant(server, name, "the-password").json()
    other_pair = password_grant(server, name, "the-password", client=other).json()

    problem(refresh_grant(server, local_pair["refresh_token"], client=other), 400, "invalid_grant")
    problem(refresh_grant(server, other_pair["refresh_token"]), 400, "invalid_grant")
    # the refused attempts did not spend the tokens
    assert refresh_grant(server, local_pair["refresh_token"]).status_code == 200
    assert refresh_grant(server, other_pair["refresh_token"], client=other).status_code == 200


# -- revoke ---------------------------------------------------------------------------------------

def test_revoke_ends_the_session(server, unique):
    name = f"oauth_revoke{unique}"
    server.create_user(name, "the-password")
    pair = password_grant(server, name, "the-password").json()
    other = password_grant(server, name, "the-password").json()
    client = bearer(server, pair["access_token"])
    response = client.post("/api/v1/users/revoke-token")
    assert response.status_code == 200, response.text
    assert response.json()["success"] is True
    problem(client.get("/api/v1/users/me"), 401, "invalid_token")
    problem(client.post("/api/v1/users/revoke-token"), 401, "invalid_token")
    problem(refresh_grant(server, pair["refresh_token"]), 400, "invalid_grant")
    # only that session ended
    assert bearer(server, other["access_token"]).get("/api/v1/users/me").status_code == 200


# -- storage --------------------------------------------------------------------------------------

def test_tokens_are_stored_hashed(server, unique):
    name = f"oauth_hashed{unique}"
    server.create_user(name, "the-password")
    pair = password_grant(server, name, "the-password").json()
    clear = (pair["access_token"], pair["refresh_token"])
    rows = run_sql(server, "SELECT * FROM oauth_token")
    assert rows
    stored = " ".join(str(value) for row in rows for value in row)
    for token in clear:
        assert token not in stored
        assert token.upper() not in stored
    hashes = {row[0] for row in run_sql(server, "SELECT access_token_hash FROM oauth_token")}
    assert hashlib.sha256(pair["access_token"].encode()).hexdigest() in hashes
    url = database_url(server)
    if url.startswith("sqlite"):
        # nothing in the database files either (the WAL holds recent pages)
        db_file = Path(url.split(":///", 1)[1])
        for path in db_file.parent.glob(db_file.name + "*"):
            raw = path.read_bytes()
            for token in clear:
                assert token.encode() not in raw, path


# -- configured lifetimes -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def short_lived(server_factory) -> ServerProcess:
    return server_factory(config={"oauth2": {"token_lifetime": {
        "access_token": "2 seconds", "refresh_token": "4 seconds"}}})


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.monotonic()))


def test_expired_tokens(short_lived):
    before = time.monotonic()
    access_pair = password_grant(short_lived, "root", ROOT_PASSWORD).json()
    refresh_pair = password_grant(short_lived, "root", ROOT_PASSWORD).json()
    issued = time.monotonic()  # both pairs were issued before this
    assert 0 <= access_pair["expires_in"] <= 2
    assert 2 < access_pair["refresh_token_expires_in"] <= 4

    client = bearer(short_lived, access_pair["access_token"])
    me = client.get("/api/v1/users/me")
    if time.monotonic() - before < 1.5:  # certainly still valid: it must have worked
        assert me.status_code == 200, me.text

    _sleep_until(issued + 2.5)
    problem(client.get("/api/v1/users/me"), 401, "invalid_token")

    _sleep_until(issued + 4.5)
    body = problem(refresh_grant(short_lived, refresh_pair["refresh_token"]), 400, "invalid_grant")
    assert "expired" in body["detail"]


# -- rate limits ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def login_limited(server_factory) -> ServerProcess:
    return server_factory(config={"rates_limit": {"login": {"window": "10 minutes", "max": 3}}})


def test_login_rate_limit(login_limited):
    for _ in range(3):
        problem(password_grant(login_limited, "root", "wrong-password"), 400, "invalid_grant")
    limited = password_grant(login_limited, "root", ROOT_PASSWORD)
    assert limited.status_code == 429, limited.text
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert limited.json()["status"] == 429
    assert int(limited.headers["retry-after"]) > 0
    # only the login is limited
    assert login_limited.anonymous.get("/api/v1/oauth-clients/local").status_code == 200


@pytest.fixture(scope="module")
def api_limited(server_factory) -> ServerProcess:
    return server_factory(config={"rates_limit": {"api": {"window": "10 minutes", "max": 15}}})


def test_api_rate_limit_spares_admins_and_moderators(api_limited):
    root = api_limited.root
    user = api_limited.create_user("limited_user", "the-password")
    moderator = api_limited.create_user("limited_moderator", "the-password", role=1)
    for _ in range(20):  # well past the limit, whatever the set-up requests counted
        assert root.get("/api/v1/users/me").status_code == 200
    assert moderator.get("/api/v1/users/me").status_code == 200
    limited = user.get("/api/v1/users/me")
    assert limited.status_code == 429, limited.text
    assert int(limited.headers["retry-after"]) > 0
    assert api_limited.anonymous.get("/api/v1/oauth-clients/local").status_code == 429


# -- sign-up rules: email verification, moderated registrations ----------------------------------

@pytest.fixture(scope="module")
def signup_rules(server_factory) -> ServerProcess:
    return server_factory(config={"signup": {"enabled": True, "requires_approval": True,
                                             "requires_email_verification": True}})


def test_unverified_email_cannot_log_in(signup_rules):
    client = signup_rules.create_user("unverified", "the-password")
    target = user_id(client)
    assert signup_rules.root.put(f"/api/v1/users/{target}", json={"emailVerified": False}).status_code == 204
    problem(password_grant(signup_rules, "unverified", "the-password"), 400, "email_not_verified")
    problem(password_grant(signup_rules, "unverified", "wrong-password"), 400, "invalid_grant")
    assert signup_rules.root.put(f"/api/v1/users/{target}", json={"emailVerified": True}).status_code == 204
    assert password_grant(signup_rules, "unverified", "the-password").status_code == 200


def test_registration_waiting_for_approval_then_rejected(signup_rules):
    requested = signup_rules.anonymous.post("/api/v1/users/registrations/request", json={
        "username": "hopeful", "password": "the-password", "email": "hopeful@example.com",
        "registrationReason": "I make videos about birds"})
    assert requested.status_code == 200, requested.text
    for login in ("hopeful", "Hopeful@Example.com"):
        problem(password_grant(signup_rules, login, "the-password"), 400, "account_waiting_for_approval")
    rejected = signup_rules.root.post(f"/api/v1/users/registrations/{requested.json()['id']}/reject",
                                      json={"moderationResponse": "Not this time"})
    assert rejected.status_code == 204, rejected.text
    problem(password_grant(signup_rules, "hopeful", "the-password"), 400, "account_approval_rejected")
