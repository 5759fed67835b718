"""Two-factor authentication: enrolment, login with the `x-peertube-otp` header, disabling."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, unquote, urlsplit

import httpx
import pyotp

from tests.support.database import run_sql
from tests.support.server import Client, ServerProcess


def problem(response: httpx.Response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    if code is not None:
        assert body["code"] == code, body
    return body


def me_of(client: Client) -> dict:
    return client.get("/api/v1/users/me").json()


def enable(client: Client, user_id: int, password: str | None) -> str:
    """Turn two-factor on; returns the TOTP secret."""
    body = {"currentPassword": password} if password else {}
    response = client.post(f"/api/v1/users/{user_id}/two-factor/request", json=body)
    assert response.status_code == 200, response.text
    otp_request = response.json()["otpRequest"]
    confirmed = client.post(f"/api/v1/users/{user_id}/two-factor/confirm-request", json={
        "requestToken": otp_request["requestToken"], "otpToken": pyotp.TOTP(otp_request["secret"]).now()})
    assert confirmed.status_code == 204, confirmed.text
    return otp_request["secret"]


def a_wrong_code(secret: str) -> str:
    totp = pyotp.TOTP(secret)
    valid = {totp.at(time.time() + step * 30) for step in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222") if code not in valid)


def test_full_two_factor_cycle(server: ServerProcess, unique):
    name = f"tfa_cycle{unique}"
    client = server.create_user(name, "the-password")
    me = me_of(client)
    assert me["twoFactorEnabled"] is False

    response = client.post(f"/api/v1/users/{me['id']}/two-factor/request",
                           json={"currentPassword": "the-password"})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"otpRequest"}
    otp_request = body["otpRequest"]
    assert set(otp_request) == {"requestToken", "secret", "uri"}
    secret = otp_request["secret"]
    uri = urlsplit(otp_request["uri"])
    query = parse_qs(uri.query)
    host = server.url.split("://", 1)[1]
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == f"/{host}:{name}@example.com"  # issuer = instance host, label = email
    assert query["secret"] == [secret] and query["issuer"] == [host]
    assert pyotp.TOTP(secret).now().isdigit()  # a valid base32 secret

    # nothing changes until a first code confirms the request
    assert me_of(client)["twoFactorEnabled"] is False
    confirm_path = f"/api/v1/users/{me['id']}/two-factor/confirm-request"
    problem(client.post(confirm_path, json={"requestToken": otp_request["requestToken"],
                                            "otpToken": a_wrong_code(secret)}), 403)
    assert me_of(client)["twoFactorEnabled"] is False
    confirmed = client.post(confirm_path, json={"requestToken": otp_request["requestToken"],
                                                "otpToken": pyotp.TOTP(secret).now()})
    assert confirmed.status_code == 204, confirmed.text
    assert me_of(client)["twoFactorEnabled"] is True

    # the secret is stored encrypted, not in clear
    stored = run_sql(server, 'SELECT otp_secret FROM "user" WHERE id = :id', {"id": me["id"]})[0][0]
    assert stored and secret not in stored and ":" in stored

    # login: no header → 401 and the header that asks for it; wrong code → 400; right code → 200
    missing = client.token_request(name, "the-password")
    problem(missing, 401, "missing_two_factor")
    assert missing.headers["x-peertube-otp"] == "required; app"
    problem(client.token_request(name, "the-password", headers={"x-peertube-otp": a_wrong_code(secret)}),
            400, "invalid_two_factor")
    problem(client.token_request(name, "the-password", headers={"x-peertube-otp": "not-a-code"}),
            400, "invalid_two_factor")
    # a wrong password is still just a wrong password (no hint that two-factor is on)
    wrong = client.token_request(name, "wrong-password", headers={"x-peertube-otp": pyotp.TOTP(secret).now()})
    problem(wrong, 400, "invalid_grant")
    assert "x-peertube-otp" not in wrong.headers
    ok = client.token_request(name, "the-password", headers={"x-peertube-otp": pyotp.TOTP(secret).now()})
    assert ok.status_code == 200, ok.text

    # enabling twice is refused, at both steps
    problem(client.post(f"/api/v1/users/{me['id']}/two-factor/request",
                        json={"currentPassword": "the-password"}), 400)
    problem(client.post(confirm_path, json={"requestToken": otp_request["requestToken"],
                                            "otpToken": pyotp.TOTP(secret).now()}), 400)

    # disabling needs the password; then a plain login works again
    problem(client.post(f"/api/v1/users/{me['id']}/two-factor/disable", json={"currentPassword": "nope"}),
            403, "current_password_is_invalid")
    disabled = client.post(f"/api/v1/users/{me['id']}/two-factor/disable",
                           json={"currentPassword": "the-password"})
    assert disabled.status_code == 204, disabled.text
    assert me_of(client)["twoFactorEnabled"] is False
    assert client.token_request(name, "the-password").status_code == 200
    problem(client.post(f"/api/v1/users/{me['id']}/two-factor/disable",
                        json={"currentPassword": "the-password"}), 400)


def test_request_token_is_bound_to_its_user(server: ServerProcess, unique):
    alice = server.create_user(f"tfa_alice{unique}", "alice-password")
    bob = server.create_user(f"tfa_bob{unique}", "bob-password")
    alice_id, bob_id = me_of(alice)["id"], me_of(bob)["id"]
    alice_request = alice.post(f"/api/v1/users/{alice_id}/two-factor/request",
                               json={"currentPassword": "alice-password"}).json()["otpRequest"]
    code = pyotp.TOTP(alice_request["secret"]).now()
    problem(bob.post(f"/api/v1/users/{bob_id}/two-factor/confirm-request",
                     json={"requestToken": alice_request["requestToken"], "otpToken": code}), 403)
    assert me_of(bob)["twoFactorEnabled"] is False
    token = alice_request["requestToken"]
    tampered = token[:5] + ("x" if token[5] != "x" else "y") + token[6:]  # the signed payload changed
    problem(alice.post(f"/api/v1/users/{alice_id}/two-factor/confirm-request",
                       json={"requestToken": tampered, "otpToken": code}), 403)
    assert me_of(alice)["twoFactorEnabled"] is False


def test_admin_manages_another_users_two_factor_without_password(server: ServerProcess, unique):
    name = f"tfa_managed{unique}"
    client = server.create_user(name, "the-password")
    target = me_of(client)["id"]
    secret = enable(client, target, "the-password")
    problem(client.token_request(name, "the-password"), 401, "missing_two_factor")

    # e.g. the user lost their phone: an administrator switches two-factor off
    response = server.root.post(f"/api/v1/users/{target}/two-factor/disable", json={})
    assert response.status_code == 204, response.text
    assert client.token_request(name, "the-password").status_code == 200
    assert secret  # the old secret is simply forgotten

    # and may turn it on for them, still without a password
    enable(server.root, target, None)
    problem(client.token_request(name, "the-password"), 401, "missing_two_factor")


def test_moderator_disables_a_users_two_factor(server: ServerProcess, unique):
    name = f"tfa_mod_target{unique}"
    client = server.create_user(name, "the-password")
    target = me_of(client)["id"]
    enable(client, target, "the-password")
    moderator = server.create_user(f"tfa_moderator{unique}", "moderator-password", role=1)
    assert moderator.post(f"/api/v1/users/{target}/two-factor/disable").status_code == 204
    assert client.token_request(name, "the-password").status_code == 200


def test_own_two_factor_as_admin_needs_the_password(server: ServerProcess, unique):
    admin = server.create_user(f"tfa_admin{unique}", "admin-password", role=0)
    admin_id = me_of(admin)["id"]
    problem(admin.post(f"/api/v1/users/{admin_id}/two-factor/request", json={}), 400)
    problem(admin.post(f"/api/v1/users/{admin_id}/two-factor/request", json={"currentPassword": "no"}),
            403, "current_password_is_invalid")
