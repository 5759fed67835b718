"""Users and My User: bad input is a 400 naming the field, missing rights a 401/403."""

from __future__ import annotations

import pytest

USERS = "/api/v1/users"
ME = "/api/v1/users/me"


def assert_bad_param(response, field: str) -> dict:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    params = response.json().get("invalid-params", {})
    assert field in params, response.text
    return params[field]


@pytest.fixture(scope="module")
def plain(server):
    import uuid
    return server.create_user(f"pplain{uuid.uuid4().hex[:8]}")


def valid_user(unique: str, **changes) -> dict:
    return {"username": f"pu{unique}", "password": "password1", "email": f"pu{unique}@example.com", "role": 2,
            **changes}


@pytest.mark.parametrize("field,changes", [
    ("username", {"username": "Upper"}),
    ("username", {"username": "a" * 51}),
    ("username", {"username": "with space"}),
    ("username", {"username": "peertube"}),
    ("email", {"email": "not-an-email"}),
    ("password", {"password": "short"}),
    ("password", {"password": "é" * 40}),           # 80 bytes: past what bcrypt reads
    ("role", {"role": 7}),
    ("role", {"role": "admin"}),
    ("videoQuota", {"videoQuota": -2}),
    ("videoQuotaDaily", {"videoQuotaDaily": "lots"}),
    ("adminFlags", {"adminFlags": 5}),
    ("channelName", {"channelName": "bad name!"}),
    ("username", {"username": None}),
])
def test_create_user_validation(server, unique, field, changes):
    param = assert_bad_param(server.root.post(USERS, json=valid_user(unique, **changes)), field)
    if field == "password":
        assert param["value"] is None  # a password is never echoed


def test_create_user_channel_named_as_the_user(server, unique):
    body = valid_user(unique, channelName=f"pu{unique}")
    assert_bad_param(server.root.post(USERS, json=body), "channelName")


def test_create_user_without_password_needs_smtp(server, unique):
    body = valid_user(unique)
    del body["password"]
    assert_bad_param(server.root.post(USERS, json=body), "password")
    assert server.root.get(USERS, params={"search": f"pu{unique}"}).json()["total"] == 0


@pytest.mark.parametrize("field,body", [
    ("role", {"role": 9}),
    ("email", {"email": "nope"}),
    ("videoQuota", {"videoQuota": -5}),
    ("emailVerified", {"emailVerified": None}),
    ("emailVerified", {"emailVerified": "perhaps"}),
    ("password", {"password": "12"}),
    ("adminFlags", {"adminFlags": -1}),
])
def test_update_user_validation(server, plain, field, body):
    target = plain.get(ME).json()["id"]
    assert_bad_param(server.root.put(f"{USERS}/{target}", json=body), field)


@pytest.mark.parametrize("query,field", [
    ({"sort": "-email"}, "sort"),
    ({"count": 101}, "count"),
    ({"start": -1}, "start"),
    ({"blocked": "maybe"}, "blocked"),
    ({"search": "x" * 251}, "search"),
])
def test_list_users_validation(server, query, field):
    assert_bad_param(server.root.get(USERS, params=query), field)


@pytest.mark.parametrize("raw_id", ["0", "-3", "abc", "2147483648"])
def test_user_ids_are_validated(server, raw_id):
    assert_bad_param(server.root.get(f"{USERS}/{raw_id}"), "id")
    assert_bad_param(server.root.delete(f"{USERS}/{raw_id}"), "id")


def test_block_reason_length(server, plain):
    target = plain.get(ME).json()["id"]
    assert_bad_param(server.root.post(f"{USERS}/{target}/block", json={"reason": "no"}), "reason")
    assert plain.get(ME).status_code == 200  # nothing happened


def test_unknown_users_are_404(server):
    unknown = f"{USERS}/2147483600"
    for response in (server.root.get(unknown), server.root.put(unknown, json={}), server.root.delete(unknown),
                     server.root.post(f"{unknown}/block"),
                     server.anonymous.post(f"{unknown}/verify-email", json={"verificationString": "x"}),
                     server.anonymous.post(f"{unknown}/reset-password",
                                           json={"verificationString": "x", "password": "password1"})):
        assert response.status_code == 404, response.text


@pytest.mark.parametrize("field,body", [
    ("displayName", {"displayName": ""}),
    ("displayName", {"displayName": "x" * 121}),
    ("description", {"description": "ab"}),
    ("nsfwPolicy", {"nsfwPolicy": "sometimes"}),
    ("nsfwFlagsBlurred", {"nsfwFlagsHidden": 1, "nsfwFlagsBlurred": 1}),  # the same flag twice
    ("nsfwFlagsWarned", {"nsfwFlagsWarned": 8}),
    ("theme", {"theme": "not-installed"}),
    ("language", {"language": "xx-XX"}),
    ("videoLanguages", {"videoLanguages": "fr"}),
    ("autoPlayVideo", {"autoPlayVideo": None}),
    ("p2pEnabled", {"p2pEnabled": "often"}),
    ("email", {"email": "not-an-email", "currentPassword": "password1"}),
    ("currentPassword", {"password": "new-password-1"}),
    ("currentPassword", {"email": "fine@example.org"}),
    ("password", {"password": "tiny", "currentPassword": "password1"}),
])
def test_update_me_validation(plain, field, body):
    assert_bad_param(plain.put(ME, json=body), field)


def test_update_me_changes_nothing_when_refused(plain):
    before = plain.get(ME).json()
    refused = plain.put(ME, json={"autoPlayVideo": not before["autoPlayVideo"], "theme": "nope"})
    assert refused.status_code == 400
    assert plain.get(ME).json()["autoPlayVideo"] == before["autoPlayVideo"]


@pytest.mark.parametrize("path", ["/ask-send-verify-email", "/ask-reset-password"])
def test_mail_requests_need_an_email(server, path):
    assert_bad_param(server.anonymous.post(USERS + path, json={"email": "nope"}), "email")
    assert_bad_param(server.anonymous.post(USERS + path, json={}), "email")


def test_forged_links_are_refused(server, plain):
    target = plain.get(ME).json()["id"]
    reset = server.anonymous.post(f"{USERS}/{target}/reset-password",
                                  json={"verificationString": "forged", "password": "password2"})
    assert reset.status_code == 403
    verify = server.anonymous.post(f"{USERS}/{target}/verify-email", json={"verificationString": "forged"})
    assert verify.status_code == 403
    assert_bad_param(server.anonymous.post(f"{USERS}/{target}/verify-email", json={}), "verificationString")


def test_plain_users_get_403_on_admin_routes(server, plain):
    other = server.root.get(ME).json()["id"]
    mine = plain.get(ME).json()["id"]
    refusals = [plain.get(USERS), plain.post(USERS, json={"username": "x", "password": "password1",
                                                          "email": "x@example.com", "role": 2}),
                plain.get(f"{USERS}/{other}"), plain.put(f"{USERS}/{mine}", json={"videoQuota": -1}),
                plain.put(f"{USERS}/{other}", json={"role": 2}), plain.delete(f"{USERS}/{other}"),
                plain.post(f"{USERS}/{other}/block"), plain.post(f"{USERS}/{mine}/unblock")]
    for response in refusals:
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")


def test_anonymous_callers_get_401(server):
    anonymous = server.anonymous
    for response in (anonymous.get(USERS), anonymous.get(f"{USERS}/1"), anonymous.get(ME),
                     anonymous.put(ME, json={}), anonymous.get(f"{ME}/video-quota-used")):
        assert response.status_code == 401, response.text
