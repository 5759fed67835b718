"""Accounts: who may read an account's private lists, and bad input to every account list."""

from __future__ import annotations

import uuid

import pytest

ACCOUNTS = "/api/v1/accounts"


@pytest.fixture(scope="module")
def owner_name():
    return f"accp_owner_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def owner(server, owner_name):
    return server.create_user(owner_name)


@pytest.fixture(scope="module")
def stranger(server):
    return server.create_user(f"accp_other_{uuid.uuid4().hex[:8]}")


PRIVATE_LISTS = ("ratings", "followers", "video-channel-syncs")


@pytest.mark.parametrize("listing", PRIVATE_LISTS)
def test_private_lists_need_the_owner_or_manage_users(server, owner, owner_name, stranger, listing):
    path = f"{ACCOUNTS}/{owner_name}/{listing}"
    assert server.anonymous.get(path).status_code == 401
    refused = stranger.get(path)
    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"] == "Only a user with sufficient right can access this account resource."
    assert owner.get(path).status_code == 200
    moderator = server.create_user(f"accp_mod_{uuid.uuid4().hex[:8]}", role=1)
    assert moderator.get(path).status_code == 200
    assert owner.get(f"{ACCOUNTS}/nobody_{uuid.uuid4().hex[:8]}/{listing}").status_code == 404


LISTS = ("", "/{name}/video-channels", "/{name}/ratings", "/{name}/followers", "/{name}/video-channel-syncs")


@pytest.mark.parametrize("listing", LISTS)
@pytest.mark.parametrize("params,field", [
    ({"count": 101}, "count"), ({"count": -1}, "count"), ({"start": -1}, "start"),
    ({"start": 2**40}, "start"), ({"count": "many"}, "count"), ({"sort": "-password"}, "sort"),
])
def test_bad_pagination_is_a_400_naming_the_field(owner, owner_name, listing, params, field):
    response = owner.get(ACCOUNTS + listing.format(name=owner_name), params=params)
    assert response.status_code == 400, response.text
    assert field in response.json()["invalid-params"]


def test_bad_filters_are_400(owner, owner_name):
    response = owner.get(f"{ACCOUNTS}/{owner_name}/ratings", params={"rating": "love"})
    assert response.status_code == 400 and "rating" in response.json()["invalid-params"]
    response = owner.get(f"{ACCOUNTS}/{owner_name}/video-channels", params={"withStats": "often"})
    assert response.status_code == 400 and "withStats" in response.json()["invalid-params"]
    response = owner.get(f"{ACCOUNTS}/{owner_name}/followers", params={"search": "x" * 251})
    assert response.status_code == 400 and "search" in response.json()["invalid-params"]


def test_unknown_accounts_are_404(server):
    for handle in ("nobody_here", "nobody@elsewhere.example", "@", "a@", "%2E%2E"):
        assert server.anonymous.get(f"{ACCOUNTS}/{handle}").status_code == 404, handle
        assert server.anonymous.get(f"{ACCOUNTS}/{handle}/video-channels").status_code == 404, handle
