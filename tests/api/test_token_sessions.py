"""Login sessions (list, revoke) and scoped (feed) tokens."""

from __future__ import annotations

import uuid

import httpx

from tests.support.server import Client, ServerProcess


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    if code is not None:
        assert body["code"] == code, body
    return body


def login(server: ServerProcess, name: str, password: str, device: str) -> Client:
    response = server.anonymous.token_request(name, password, headers={"User-Agent": device})
    assert response.status_code == 200, response.text
    return server.anonymous.with_token(response.json()["access_token"])


def test_list_and_revoke_sessions(server: ServerProcess, unique):
    name = f"sessions{unique}"
    server.create_user(name, "the-password")
    laptop = login(server, name, "the-password", "laptop-browser")
    phone = login(server, name, "the-password", "phone-app")
    user_id = laptop.get("/api/v1/users/me").json()["id"]

    listed = laptop.get(f"/api/v1/users/{user_id}/token-sessions")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    # create_user's own login is a third session
    assert body["total"] == 3 and len(body["data"]) == 3
    for session in body["data"]:
        assert set(session) == {"id", "currentSession", "loginDevice", "loginIP", "loginDate",
                                "lastActivityDevice", "lastActivityIP", "lastActivityDate", "createdAt"}
        assert session["loginIP"] == "127.0.0.1"
        assert session["createdAt"].endswith("Z")
    current = [s for s in body["data"] if s["currentSession"]]
    assert len(current) == 1 and current[0]["loginDevice"] == "laptop-browser"
    phone_session = next(s for s in body["data"] if s["loginDevice"] == "phone-app")
    assert not phone_session["currentSession"]
    # seen from the phone, the phone is the current one
    from_phone = phone.get(f"/api/v1/users/{user_id}/token-sessions").json()["data"]
    assert [s["loginDevice"] for s in from_phone if s["currentSession"]] == ["phone-app"]

    page = laptop.get(f"/api/v1/users/{user_id}/token-sessions",
                      params={"count": 1, "sort": "createdAt"}).json()
    assert page["total"] == 3 and len(page["data"]) == 1

    revoked = laptop.post(f"/api/v1/users/{user_id}/token-sessions/{phone_session['id']}/revoke")
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["success"] is True
    problem(phone.get("/api/v1/users/me"), 401, "invalid_token")
    assert laptop.get("/api/v1/users/me").status_code == 200
    remaining = laptop.get(f"/api/v1/users/{user_id}/token-sessions").json()
    assert remaining["total"] == 2
    assert phone_session["id"] not in {s["id"] for s in remaining["data"]}
    problem(laptop.post(f"/api/v1/users/{user_id}/token-sessions/{phone_session['id']}/revoke"), 404)


def test_refresh_keeps_the_login_of_the_session(server: ServerProcess, unique):
    name = f"sessions_refresh{unique}"
    server.create_user(name, "the-password")
    pair = server.anonymous.token_request(name, "the-password", headers={"User-Agent": "first-device"}).json()
    local = server.anonymous.oauth_client()
    refreshed = server.anonymous.http.post(
        "/api/v1/users/token", headers={"User-Agent": "second-device"},
        data={"client_id": local["client_id"], "client_secret": local["client_secret"],
              "grant_type": "refresh_token", "refresh_token": pair["refresh_token"]}).json()
    client = server.anonymous.with_token(refreshed["access_token"])
    user_id = client.get("/api/v1/users/me").json()["id"]
    sessions = client.get(f"/api/v1/users/{user_id}/token-sessions").json()["data"]
    current = next(s for s in sessions if s["currentSession"])
    assert current["loginDevice"] == "first-device"
    assert current["lastActivityDevice"] == "second-device"


def test_admin_sees_and_revokes_a_users_sessions(server: ServerProcess, unique):
    name = f"sessions_admin{unique}"
    user = server.create_user(name, "the-password")
    user_id = user.get("/api/v1/users/me").json()["id"]
    listed = server.root.get(f"/api/v1/users/{user_id}/token-sessions").json()
    assert listed["total"] == 1
    assert listed["data"][0]["currentSession"] is False  # it is not the admin's session
    response = server.root.post(f"/api/v1/users/{user_id}/token-sessions/{listed['data'][0]['id']}/revoke")
    assert response.status_code == 200, response.text
    problem(user.get("/api/v1/users/me"), 401, "invalid_token")


def test_scoped_tokens(server: ServerProcess, unique):
    client = server.create_user(f"scoped{unique}", "the-password")
    first = client.get("/api/v1/users/scoped-tokens")
    assert first.status_code == 200, first.text
    feed_token = first.json()["feedToken"]
    assert set(first.json()) == {"feedToken"}
    uuid.UUID(feed_token)
    assert client.get("/api/v1/users/scoped-tokens").json()["feedToken"] == feed_token

    renewed = client.post("/api/v1/users/scoped-tokens")
    assert renewed.status_code == 200, renewed.text
    new_token = renewed.json()["feedToken"]
    uuid.UUID(new_token)
    assert new_token != feed_token
    assert client.get("/api/v1/users/scoped-tokens").json()["feedToken"] == new_token

    other = server.create_user(f"scoped_other{unique}", "the-password")
    assert other.get("/api/v1/users/scoped-tokens").json()["feedToken"] not in (feed_token, new_token)
