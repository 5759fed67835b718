"""The logged-in user's own account: reading it, settings, display name, password and email changes,
and the mailed links (email verification, password reset)."""

from __future__ import annotations

import pytest

from tests.support.mail_links import link_query, mails_to, wait_for_mail

ME = "/api/v1/users/me"


def test_my_user_has_every_part_the_web_client_reads(server, unique):
    me = server.create_user(f"me{unique}").get(ME).json()
    assert me["username"] == f"me{unique}" and me["email"] == f"me{unique}@example.com"
    assert me["role"] == {"id": 2, "label": "User"}
    assert [(item["name"], item["type"]) for item in me["specialPlaylists"]] == [("Watch later", 2)]
    assert me["videoChannelCollaborations"] == []
    assert me["videoQuotaUsed"] == 0 and me["videoQuotaUsedDaily"] == 0
    assert me["notificationSettings"]["abuseNewMessage"] == 3  # web and email, as PeerTube
    assert me["notificationSettings"]["newVideoFromSubscription"] == 1
    assert me["twoFactorEnabled"] is False and me["blocked"] is False and me["pendingEmail"] is None
    assert me["newFeaturesInfoRead"] == 1  # a new user has no new feature to discover
    assert me["theme"] == "instance-default"


def test_update_my_settings(server, unique):
    client = server.create_user(f"set{unique}")
    changes = {
        "displayName": "Alice Example", "description": "I film birds", "nsfwPolicy": "blur",
        "nsfwFlagsBlurred": 1, "nsfwFlagsHidden": 2, "p2pEnabled": False, "autoPlayVideo": False,
        "autoPlayNextVideo": True, "autoPlayNextVideoPlaylist": False, "videosHistoryEnabled": False,
        "videoLanguages": ["fr", "en"], "language": "fr-FR", "emailPublic": True,
        "theme": "peertube-core-dark-brown", "noInstanceConfigWarningModal": True, "noWelcomeModal": True,
        "noAccountSetupWarningModal": True,
    }
    response = client.put(ME, json=changes)
    assert response.status_code == 204, response.text

    me = client.get(ME).json()
    assert me["account"]["displayName"] == "Alice Example" and me["account"]["description"] == "I film birds"
    assert {key: me[key] for key in changes if key not in ("displayName", "description")} == {
        key: value for key, value in changes.items() if key not in ("displayName", "description")}
    assert me["videoChannels"][0]["ownerAccount"]["displayName"] == "Alice Example"

    # explicit nulls clear what may be empty
    cleared = client.put(ME, json={"description": None, "videoLanguages": None, "language": None})
    assert cleared.status_code == 204, cleared.text
    me = client.get(ME).json()
    assert (me["account"]["description"], me["videoLanguages"], me["language"]) == (None, None, None)
    assert me["account"]["displayName"] == "Alice Example"  # untouched


def test_password_change_needs_the_current_password(server, unique):
    name = f"pw{unique}"
    client = server.create_user(name)
    other_session = server.anonymous.login(name, "password1")

    missing = client.put(ME, json={"password": "brand-new-1"})
    assert missing.status_code == 400 and "currentPassword" in missing.json()["invalid-params"]
    wrong = client.put(ME, json={"password": "brand-new-1", "currentPassword": "not-it-at-all"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "current_password_is_invalid"
    assert server.anonymous.token_request(name, "brand-new-1").status_code == 400

    done = client.put(ME, json={"password": "brand-new-1", "currentPassword": "password1"})
    assert done.status_code == 204, done.text
    assert client.get(ME).status_code == 200          # the session that changed it goes on
    assert other_session.get(ME).status_code == 401   # the others end
    assert server.anonymous.token_request(name, "password1").status_code == 400
    assert server.anonymous.login(name, "brand-new-1").get(ME).status_code == 200


def test_email_change_without_verification_is_immediate(server, unique):
    client = server.create_user(f"mail{unique}")
    server.create_user(f"mailtaken{unique}")

    assert client.put(ME, json={"email": f"x{unique}@example.org"}).status_code == 400  # currentPassword
    taken = client.put(ME, json={"email": f"mailtaken{unique}@example.com", "currentPassword": "password1"})
    assert taken.status_code == 409
    moved = client.put(ME, json={"email": f"moved{unique}@example.org", "currentPassword": "password1"})
    assert moved.status_code == 204
    me = client.get(ME).json()
    assert (me["email"], me["pendingEmail"]) == (f"moved{unique}@example.org", None)
    assert server.anonymous.login(f"moved{unique}@example.org", "password1").get(ME).status_code == 200


@pytest.fixture(scope="module")
def verifying_server(server_factory):
    return server_factory(config={"signup": {"requires_email_verification": True}})


def test_email_change_with_verification_waits_for_the_link(verifying_server, unique):
    server = verifying_server
    client = server.create_user(f"pend{unique}")
    new_email = f"pending{unique}@example.org"

    assert client.put(ME, json={"email": new_email, "currentPassword": "password1"}).status_code == 204
    me = client.get(ME).json()
    assert (me["email"], me["pendingEmail"]) == (f"pend{unique}@example.com", new_email)

    query = link_query(wait_for_mail(server, new_email, "verify")["text"], "/verify-account/email")
    assert query["isPendingEmail"] == "true" and int(query["userId"]) == me["id"]
    verify = f"/api/v1/users/{me['id']}/verify-email"
    # the link proves the new address, not the current one
    current = server.anonymous.post(verify, json={"verificationString": query["verificationString"]})
    assert current.status_code == 403
    done = server.anonymous.post(verify, json={"verificationString": query["verificationString"],
                                               "isPendingEmail": True})
    assert done.status_code == 204, done.text
    me = client.get(ME).json()
    assert (me["email"], me["pendingEmail"], me["emailVerified"]) == (new_email, None, True)


def test_ask_verification_mail_again(verifying_server, unique):
    server = verifying_server
    client = server.create_user(f"again{unique}")
    me = client.get(ME).json()

    asked = server.anonymous.post("/api/v1/users/ask-send-verify-email", json={"email": me["email"]})
    assert asked.status_code == 204
    query = link_query(wait_for_mail(server, me["email"], "verify")["text"], "/verify-account/email")
    assert "isPendingEmail" not in query
    verified = server.anonymous.post(f"/api/v1/users/{me['id']}/verify-email",
                                     json={"verificationString": query["verificationString"]})
    assert verified.status_code == 204
    assert client.get(ME).json()["emailVerified"] is True

    # unknown addresses get the same answer and no mail
    unknown = f"nobody{unique}@example.org"
    asked = server.anonymous.post("/api/v1/users/ask-send-verify-email", json={"email": unknown})
    assert asked.status_code == 204
    assert mails_to(server, unknown) == []


def test_password_reset_end_to_end(server, unique):
    name = f"reset{unique}"
    client = server.create_user(name)
    email = f"{name}@example.com"

    asked = server.anonymous.post("/api/v1/users/ask-reset-password", json={"email": email.upper()})
    assert asked.status_code == 204
    query = link_query(wait_for_mail(server, email, "reset")["text"], "/reset-password")
    reset = f"/api/v1/users/{query['userId']}/reset-password"

    forged = server.anonymous.post(reset, json={"verificationString": query["verificationString"] + "x",
                                                "password": "after-reset-1"})
    assert forged.status_code == 403
    done = server.anonymous.post(reset, json={"verificationString": query["verificationString"],
                                              "password": "after-reset-1"})
    assert done.status_code == 204, done.text
    assert client.get(ME).status_code == 401  # every session ends
    assert server.anonymous.login(name, "after-reset-1").get(ME).status_code == 200
    # the link works once
    replay = server.anonymous.post(reset, json={"verificationString": query["verificationString"],
                                                "password": "third-pass-1"})
    assert replay.status_code == 403

    unknown = f"nobody{unique}@example.org"
    asked = server.anonymous.post("/api/v1/users/ask-reset-password", json={"email": unknown})
    assert asked.status_code == 204
    assert mails_to(server, unknown) == []


def test_my_quota_and_new_feature_info(server, unique):
    client = server.create_user(f"quota{unique}")
    assert client.get(f"{ME}/video-quota-used").json() == {"videoQuotaUsed": 0, "videoQuotaUsedDaily": 0}
    assert client.post(f"{ME}/new-feature-info/read", json={"feature": 2}).status_code == 204
    assert client.get(ME).json()["newFeaturesInfoRead"] == 3
    assert server.anonymous.get(ME).status_code == 401
