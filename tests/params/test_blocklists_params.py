"""Blocklists: who may manage which list, and bad input (always a 4xx naming the field)."""

from __future__ import annotations

import uuid

import pytest

MODERATOR = 1
ME = "/api/v1/users/me/blocklist"
INSTANCE = "/api/v1/server/blocklist"


@pytest.fixture(scope="module")
def user(server):
    return server.create_user(f"blp_user_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def moderator(server):
    return server.create_user(f"blp_mod_{uuid.uuid4().hex[:8]}", role=MODERATOR)


@pytest.mark.parametrize("method,path,body", [
    ("GET", f"{ME}/accounts", None), ("POST", f"{ME}/accounts", {"accountName": "root"}),
    ("DELETE", f"{ME}/accounts/root", None), ("GET", f"{ME}/servers", None),
    ("POST", f"{ME}/servers", {"host": "example.com"}), ("DELETE", f"{ME}/servers/example.com", None)])
def test_my_blocklist_needs_a_login(server, method, path, body):
    response = server.anonymous.request(method, path, json=body)
    assert response.status_code == 401


@pytest.mark.parametrize("method,path,body", [
    ("GET", f"{INSTANCE}/accounts", None), ("POST", f"{INSTANCE}/accounts", {"accountName": "root"}),
    ("DELETE", f"{INSTANCE}/accounts/root", None), ("GET", f"{INSTANCE}/servers", None),
    ("POST", f"{INSTANCE}/servers", {"host": "example.com"}), ("DELETE", f"{INSTANCE}/servers/example.com", None)])
def test_the_instance_blocklist_needs_the_moderators_rights(server, user, moderator, method, path, body):
    assert server.anonymous.request(method, path, json=body).status_code == 401
    response = user.request(method, path, json=body)
    assert response.status_code == 403
    assert "does not have right" in response.json()["detail"]
    if method == "GET":
        assert moderator.get(path).status_code == 200


@pytest.mark.parametrize("scope", [ME, INSTANCE])
@pytest.mark.parametrize("body", [{}, {"accountName": ""}, {"accountName": 12}, {"accountName": "x" * 301},
                                  {"accountName": None}, {"accountName": "a\u0000b"}])
def test_bad_account_names(server, moderator, scope, body):
    response = moderator.post(f"{scope}/accounts", json=body)
    assert response.status_code == 400, response.text
    assert "accountName" in response.json()["invalid-params"]


@pytest.mark.parametrize("scope", [ME, INSTANCE])
@pytest.mark.parametrize("host", ["", "http://example.com", "example.com/path", "exa mple.com", "-bad.example",
                                  "a..b", "x" * 256, "user@example.com", 42])
def test_bad_hosts(server, moderator, scope, host):
    response = moderator.post(f"{scope}/servers", json={"host": host})
    assert response.status_code == 400, response.text
    assert "host" in response.json()["invalid-params"]


@pytest.mark.parametrize("scope", [ME, INSTANCE])
def test_bad_hosts_to_unblock(server, moderator, scope):
    response = moderator.delete(f"{scope}/servers/exa%20mple.com")
    assert response.status_code == 400
    assert "host" in response.json()["invalid-params"]
    assert moderator.delete(f"{scope}/accounts/{uuid.uuid4().hex}").status_code == 404


@pytest.mark.parametrize("scope", [ME, INSTANCE])
@pytest.mark.parametrize("kind", ["accounts", "servers"])
@pytest.mark.parametrize("params", [{"start": -1}, {"count": 101}, {"count": -1}, {"start": 2**40},
                                    {"sort": "name"}, {"sort": "-id"}, {"search": "x" * 251}])
def test_bad_pagination(server, moderator, scope, kind, params):
    response = moderator.get(f"{scope}/{kind}", params=params)
    assert response.status_code == 400, response.text
    assert set(response.json()["invalid-params"]) == set(params)


@pytest.mark.parametrize("params,field", [
    ({"hosts": "exa mple.com"}, "hosts"), ({"hosts": "http://example.com"}, "hosts"),
    ({"accounts": "bad name@example.com"}, "accounts"), ({"accounts": "name@bad host"}, "accounts"),
    ({"accounts": "@example.com"}, "accounts"), ({"accounts": "x" * 301}, "accounts"),
    ({"hosts": [f"h{index}.example" for index in range(101)]}, "hosts")])
def test_bad_block_status_queries(server, params, field):
    response = server.anonymous.get("/api/v1/blocklist/status", params=params)
    assert response.status_code == 400, response.text
    assert field in response.json()["invalid-params"]


def test_block_status_reads_every_array_form(server):
    response = server.anonymous.get("/api/v1/blocklist/status?accounts[]=a&accounts[0]=b&hosts[]=c.example")
    assert response.status_code == 200
    assert set(response.json()["accounts"]) == {"a", "b"} and set(response.json()["hosts"]) == {"c.example"}
