"""PeerTube's REST API quick start, verbatim, against a real server process."""

from __future__ import annotations

import httpx

from tests.support.server import ROOT_PASSWORD


def test_quick_start_flow(server_factory):
    # a fresh instance: the quick start lists the videos of an empty one
    server = server_factory()
    base = server.url + "/api/v1"
    # 1. detect the instance
    videos = httpx.get(f"{base}/videos")
    assert videos.headers["x-powered-by"] == "PeerTube"
    # 2. fetch the local OAuth client
    local = httpx.get(f"{base}/oauth-clients/local", headers={"Content-Type": "application/json"}).json()
    assert len(local["client_id"]) == 32 and len(local["client_secret"]) == 32
    # 3. password grant, form-encoded, exactly as the curl of the docs (with response_type=code)
    body = (f"client_id={local['client_id']}&client_secret={local['client_secret']}&grant_type=password"
            f"&response_type=code&username=root&password={ROOT_PASSWORD}")
    token = httpx.post(f"{base}/users/token", content=body,
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert token.status_code == 200, token.text
    tokens = token.json()
    assert tokens["token_type"] == "Bearer"
    assert len(tokens["access_token"]) == 40 and len(tokens["refresh_token"]) == 40
    assert 86000 < tokens["expires_in"] <= 86400
    assert 1209000 < tokens["refresh_token_expires_in"] <= 1209600
    assert token.headers["cache-control"] == "no-store"
    # 4. the bearer token on an admin route
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    jobs = httpx.get(f"{base}/jobs/completed", headers=auth)
    assert jobs.status_code == 200, jobs.text
    assert set(jobs.json()) == {"total", "data"}
    # 5. list videos
    assert httpx.get(f"{base}/videos").json() == {"total": 0, "data": []}

    # refresh: a new pair, the old refresh token is spent, the old access token dies with it
    refreshed = httpx.post(f"{base}/users/token", data={
        "client_id": local["client_id"], "client_secret": local["client_secret"],
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    new_tokens = refreshed.json()
    assert new_tokens["access_token"] != tokens["access_token"]
    assert httpx.get(f"{base}/users/me", headers=auth).status_code == 401
    again = httpx.post(f"{base}/users/token", data={
        "client_id": local["client_id"], "client_secret": local["client_secret"],
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"]})
    assert again.status_code == 400 and again.json()["code"] == "invalid_grant"

    # revoke: the session ends
    new_auth = {"Authorization": f"Bearer {new_tokens['access_token']}"}
    assert httpx.get(f"{base}/users/me", headers=new_auth).status_code == 200
    revoked = httpx.post(f"{base}/users/revoke-token", headers=new_auth)
    assert revoked.status_code == 200 and revoked.json()["success"] is True
    denied = httpx.get(f"{base}/users/me", headers=new_auth)
    assert denied.status_code == 401
    assert denied.headers["content-type"].startswith("application/problem+json")
    assert denied.json()["code"] == "invalid_token"
