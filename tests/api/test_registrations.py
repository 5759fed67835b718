"""Sign-up in each `signup` mode: closed, direct (with email verification), by request with approval,
limited by user count, rate and network."""

from __future__ import annotations

import pytest

from tests.support.mail_links import link_query, mails_to, wait_for_mail

REGISTER = "/api/v1/users/register"
REQUEST = "/api/v1/users/registrations/request"
REGISTRATIONS = "/api/v1/users/registrations"
ME = "/api/v1/users/me"


def signup_body(name: str, **extra) -> dict:
    return {"username": name, "password": "password1", "email": f"{name}@example.com", **extra}


def request_body(name: str, **extra) -> dict:
    return signup_body(name, registrationReason="I make documentaries", **extra)


@pytest.fixture(scope="module")
def direct_server(server_factory):
    # the whitelist wins over the blacklist: 127.0.0.1 may sign up
    return server_factory(config={"signup": {
        "enabled": True, "requires_approval": False, "requires_email_verification": True, "limit": -1,
        "filters": {"cidr": {"whitelist": ["127.0.0.1/32"], "blacklist": ["127.0.0.0/8"]}}}})


@pytest.fixture(scope="module")
def approval_server(server_factory):
    return server_factory(config={"signup": {
        "enabled": True, "requires_approval": True, "requires_email_verification": True, "limit": -1}})


def test_signup_is_closed_by_default(server, unique):
    name = f"closed{unique}"
    for path, body in ((REGISTER, signup_body(name)), (REQUEST, request_body(name))):
        response = server.anonymous.post(path, json=body)
        assert response.status_code == 403, response.text
        assert response.json()["detail"] == "User registration is not allowed"
    assert server.anonymous.token_request(f"closed{unique}", "password1").status_code == 400


def test_direct_signup_creates_a_user_who_verifies_the_email(direct_server, unique):
    server = direct_server
    name = f"direct{unique}"
    channel = {"name": f"{name}_films", "displayName": "Films"}
    body = signup_body(name, displayName="Direct Person", channel=channel)
    assert server.anonymous.post(REGISTER, json=body).status_code == 204

    refused = server.anonymous.token_request(name, "password1")
    assert refused.status_code == 400 and refused.json()["code"] == "email_not_verified"

    mail = wait_for_mail(server, f"{name}@example.com", "verify")
    query = link_query(mail["text"], "/verify-account/email")
    verified = server.anonymous.post(f"/api/v1/users/{query['userId']}/verify-email",
                                     json={"verificationString": query["verificationString"]})
    assert verified.status_code == 204, verified.text

    me = server.anonymous.login(name, "password1").get(ME).json()
    assert me["emailVerified"] is True and me["role"]["id"] == 2
    assert me["account"]["displayName"] == "Direct Person"
    assert [(c["name"], c["displayName"]) for c in me["videoChannels"]] == [(f"{name}_films", "Films")]


def test_direct_signup_refuses_taken_or_clashing_names(direct_server, unique):
    server = direct_server
    name = f"taken{unique}"
    assert server.anonymous.post(REGISTER, json=signup_body(name)).status_code == 204

    conflicts = [signup_body(name, email=f"other{unique}@example.com"),
                 signup_body(f"taken{unique}b", email=f"TAKEN{unique}@example.com"),
                 signup_body(f"taken{unique}c", channel={"name": name, "displayName": "Clash"})]
    for body in conflicts:
        response = server.anonymous.post(REGISTER, json=body)
        assert response.status_code == 409, (body, response.text)

    same = server.anonymous.post(REGISTER, json=signup_body(f"taken{unique}d", channel={
        "name": f"taken{unique}d", "displayName": "Mine"}))
    assert same.status_code == 400 and "channel.name" in same.json()["invalid-params"]
    half_channel = {"name": f"ch{unique}e"}
    half = server.anonymous.post(REGISTER, json=signup_body(f"taken{unique}e", channel=half_channel))
    assert half.status_code == 400 and "channel.displayName" in half.json()["invalid-params"]

    # this instance takes direct sign-ups, not requests
    request = server.anonymous.post(REQUEST, json=request_body(f"taken{unique}f"))
    assert request.status_code == 400 and "approval" in request.json()["detail"]


def test_user_limit_and_signup_rate_limit(server_factory, unique):
    """`signup.limit` counts local users; `rates_limit.signup` counts successful sign-ups only."""
    server = server_factory(config={
        "signup": {"enabled": True, "requires_approval": False, "limit": 3},
        "rates_limit": {"signup": {"window": "5 minutes", "max": 2}}})
    anonymous = server.anonymous

    for _ in range(3):  # failures spend nothing
        assert anonymous.post(REGISTER, json=signup_body("root")).status_code == 409
    # 2 users, 1 sign-up
    assert anonymous.post(REGISTER, json=signup_body(f"first{unique}")).status_code == 204

    made = server.root.post("/api/v1/users", json={**signup_body(f"byadmin{unique}"), "role": 2}).json()
    full = anonymous.post(REGISTER, json=signup_body(f"second{unique}"))                      # 3 users
    assert full.status_code == 403 and full.json()["detail"] == "User limit is reached on this instance"
    assert server.root.delete(f"/api/v1/users/{made['user']['id']}").status_code == 204

    assert anonymous.post(REGISTER, json=signup_body(f"second{unique}")).status_code == 204  # 2nd sign-up
    second_id = server.root.get("/api/v1/users", params={"search": f"second{unique}"}).json()["data"][0]["id"]
    assert server.root.delete(f"/api/v1/users/{second_id}").status_code == 204
    limited = anonymous.post(REGISTER, json=signup_body(f"third{unique}"))
    assert limited.status_code == 429, limited.text
    assert int(limited.headers["retry-after"]) > 0


def test_a_blacklisted_network_cannot_sign_up(server_factory, unique):
    server = server_factory(config={"signup": {
        "enabled": True, "requires_approval": False, "filters": {"cidr": {"blacklist": ["127.0.0.0/8"]}}}})
    response = server.anonymous.post(REGISTER, json=signup_body(f"net{unique}"))
    assert response.status_code == 403
    assert response.json()["detail"] == "You are not on a network authorized for registration."


def test_registration_request_verified_then_accepted_by_a_moderator(approval_server, unique):
    server = approval_server
    name = f"req{unique}"
    email = f"{name}@example.com"
    moderator = server.create_user(f"regmod{unique}", role=1)

    assert server.anonymous.post(REGISTER, json=signup_body(name)).status_code == 403  # approval needed
    channel = {"name": f"{name}_chan", "displayName": "Requested channel"}
    body = request_body(name, displayName="Requested Name", channel=channel)
    response = server.anonymous.post(REQUEST, json=body)
    assert response.status_code == 200, response.text
    registration = response.json()
    assert registration["state"] == {"id": 1, "label": "Pending"}
    assert {key: registration[key] for key in ("username", "email", "emailVerified", "user")} == {
        "username": name, "email": email, "emailVerified": False, "user": None}
    asked_for = ("accountDisplayName", "channelHandle", "channelDisplayName")
    assert [registration[key] for key in asked_for] == ["Requested Name", f"{name}_chan", "Requested channel"]

    query = link_query(wait_for_mail(server, email, "verify")["text"], "/verify-account/email")
    assert int(query["registrationId"]) == registration["id"]
    verify = f"{REGISTRATIONS}/{registration['id']}/verify-email"
    assert server.anonymous.post(verify, json={"verificationString": "forged"}).status_code == 403
    verified = server.anonymous.post(verify, json={"verificationString": query["verificationString"]})
    assert verified.status_code == 204, verified.text

    waiting = server.anonymous.token_request(name, "password1")
    assert waiting.status_code == 400 and waiting.json()["code"] == "account_waiting_for_approval"

    accept = f"{REGISTRATIONS}/{registration['id']}/accept"
    assert moderator.post(accept, json={"moderationResponse": "Welcome aboard"}).status_code == 204
    outcome = wait_for_mail(server, email, "accepted")
    assert "Welcome aboard" in outcome["text"]

    me = server.anonymous.login(name, "password1").get(ME).json()  # the password of the request
    assert me["emailVerified"] is True and me["account"]["displayName"] == "Requested Name"
    assert [(c["name"], c["displayName"]) for c in me["videoChannels"]] == [(channel["name"],
                                                                              channel["displayName"])]

    listed = moderator.get(REGISTRATIONS, params={"search": name}).json()["data"]
    assert [(r["state"]["label"], r["moderationResponse"], r["user"]) for r in listed] == [
        ("Accepted", "Welcome aboard", {"id": me["id"]})]
    again = moderator.post(accept, json={"moderationResponse": "Twice"})
    assert again.status_code == 409

    # deleting the request keeps the user it made
    assert moderator.delete(f"{REGISTRATIONS}/{registration['id']}").status_code == 204
    assert moderator.get(REGISTRATIONS, params={"search": name}).json()["total"] == 0
    assert server.anonymous.login(name, "password1").get(ME).status_code == 200


def test_registration_request_rejected_then_deleted(approval_server, unique):
    server = approval_server
    name = f"rej{unique}"
    registration = server.anonymous.post(REQUEST, json=request_body(name)).json()
    moderator = server.create_user(f"rejmod{unique}", role=1)

    reject = f"{REGISTRATIONS}/{registration['id']}/reject"
    decision = {"moderationResponse": "Not this time", "preventEmailDelivery": True}
    assert moderator.post(reject, json=decision).status_code == 204
    refused = server.anonymous.token_request(name, "password1")
    assert refused.status_code == 400 and refused.json()["code"] == "account_approval_rejected"
    [row] = moderator.get(REGISTRATIONS, params={"search": name}).json()["data"]
    assert (row["state"], row["moderationResponse"], row["user"]) == (
        {"id": 2, "label": "Rejected"}, "Not this time", None)
    assert not [mail for mail in mails_to(server, f"{name}@example.com") if "rejected" in mail["subject"]]
    assert server.root.post(f"{REGISTRATIONS}/{registration['id']}/accept",
                            json={"moderationResponse": "Changed my mind"}).status_code == 409

    # a rejected request keeps its names until it is deleted
    assert server.anonymous.post(REQUEST, json=request_body(name)).status_code == 409
    assert moderator.delete(f"{REGISTRATIONS}/{registration['id']}").status_code == 204
    assert server.anonymous.post(REQUEST, json=request_body(name)).status_code == 200


def test_rejection_is_mailed_unless_prevented(approval_server, unique):
    server = approval_server
    name = f"rejmail{unique}"
    registration = server.anonymous.post(REQUEST, json=request_body(name)).json()
    assert server.root.post(f"{REGISTRATIONS}/{registration['id']}/reject",
                            json={"moderationResponse": "Sorry, we are full"}).status_code == 204
    assert "Sorry, we are full" in wait_for_mail(server, f"{name}@example.com", "rejected")["text"]


def test_registration_requests_cannot_clash(approval_server, unique):
    server = approval_server
    name = f"clash{unique}"
    assert server.anonymous.post(REQUEST, json=request_body(name, channel={
        "name": f"{name}_c", "displayName": "Channel"})).status_code == 200
    server.create_user(f"clashuser{unique}")

    clashes = [request_body(name, email=f"other{unique}@example.com"),                 # requested username
               request_body(f"clash{unique}b", email=f"CLASH{unique}@example.com"),   # requested email
               request_body(f"{name}_c"),                                             # requested channel
               request_body(f"clash{unique}d", channel={"name": name, "displayName": "x"}),
               request_body(f"clashuser{unique}", email=f"u{unique}@example.com")]   # existing user
    for body in clashes:
        response = server.anonymous.post(REQUEST, json=body)
        assert response.status_code == 409, (body, response.text)


def test_list_registrations_with_search_sort_pagination_and_state(approval_server, unique):
    server = approval_server
    names = [f"lreg{unique}_{i}" for i in range(3)]
    ids = [server.anonymous.post(REQUEST, json=request_body(name)).json()["id"] for name in names]
    decision = {"moderationResponse": "no", "preventEmailDelivery": True}
    assert server.root.post(f"{REGISTRATIONS}/{ids[0]}/reject", json=decision).status_code == 204
    moderator = server.create_user(f"lregmod{unique}", role=1)

    oldest_first = moderator.get(REGISTRATIONS, params={"search": f"LREG{unique}", "sort": "createdAt"}
                                 ).json()
    assert oldest_first["total"] == 3 and [r["id"] for r in oldest_first["data"]] == ids
    newest = moderator.get(REGISTRATIONS, params={"search": f"lreg{unique}", "start": 0, "count": 1}).json()
    assert newest["total"] == 3 and [r["id"] for r in newest["data"]] == [ids[2]]
    by_state = moderator.get(REGISTRATIONS, params={"search": f"lreg{unique}", "sort": "-state"}).json()
    assert by_state["data"][0]["id"] == ids[0]  # rejected (2) before pending (1)
    pending = moderator.get(REGISTRATIONS, params={"search": f"lreg{unique}", "stateOneOf": 1}).json()
    assert sorted(r["id"] for r in pending["data"]) == ids[1:]
    by_email = moderator.get(REGISTRATIONS, params={"search": f"lreg{unique}_1@example"}).json()
    assert [r["id"] for r in by_email["data"]] == [ids[1]]


def test_ask_the_registration_verification_mail_again(approval_server, unique):
    server = approval_server
    name = f"resend{unique}"
    email = f"{name}@example.com"
    registration = server.anonymous.post(REQUEST, json=request_body(name)).json()
    wait_for_mail(server, email, "verify")

    ask = server.anonymous.post(f"{REGISTRATIONS}/ask-send-verify-email", json={"email": email})
    assert ask.status_code == 204
    server.wait_for(lambda: len(mails_to(server, email)) == 2)
    query = link_query(mails_to(server, email)[-1]["text"], "/verify-account/email")
    assert server.anonymous.post(f"{REGISTRATIONS}/{registration['id']}/verify-email",
                                 json={"verificationString": query["verificationString"]}).status_code == 204
    [row] = server.root.get(REGISTRATIONS, params={"search": name}).json()["data"]
    assert row["emailVerified"] is True

    unknown = f"nobody{unique}@example.org"
    asked = server.anonymous.post(f"{REGISTRATIONS}/ask-send-verify-email", json={"email": unknown})
    assert asked.status_code == 204
    assert mails_to(server, unknown) == []
