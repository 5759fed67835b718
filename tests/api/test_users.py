"""Administration of users: list, create, read, update, delete, block; who may do what."""

from __future__ import annotations

from tests.support.database import run_sql
from tests.support.mail_links import wait_for_mail

USERS = "/api/v1/users"


def user_id(client) -> int:
    return client.get(f"{USERS}/me").json()["id"]


def root_id(server) -> int:
    return user_id(server.root)


def new_user_body(name: str, role: int = 2, **extra) -> dict:
    return {"username": name, "password": "password1", "email": f"{name}@example.com", "role": role, **extra}


def test_admin_lists_users_with_search_sort_and_pagination(server, unique):
    names = [f"lst{unique}_{i}" for i in range(3)]
    for name in names:
        server.create_user(name)
    root = server.root

    page = root.get(USERS, params={"search": f"lst{unique}", "sort": "username"}).json()
    assert page["total"] == 3
    assert [u["username"] for u in page["data"]] == names

    query = {"search": f"lst{unique}", "sort": "-username", "start": 1, "count": 1}
    second = root.get(USERS, params=query).json()
    assert second["total"] == 3
    assert [u["username"] for u in second["data"]] == [names[1]]

    by_email = root.get(USERS, params={"search": f"LST{unique}_2@EXAMPLE"}).json()
    assert [u["username"] for u in by_email["data"]] == [names[2]]
    # LIKE wildcards in the search are plain characters
    assert root.get(USERS, params={"search": f"lst{unique}%"}).json()["total"] == 0

    newest_first = root.get(USERS, params={"search": f"lst{unique}"}).json()  # default sort: -createdAt
    assert [u["username"] for u in newest_first["data"]] == list(reversed(names))


def test_list_filters_blocked_users(server, unique):
    server.create_user(f"blk{unique}a")
    blocked_id = user_id(server.create_user(f"blk{unique}b"))
    root = server.root
    assert root.post(f"{USERS}/{blocked_id}/block", json={"reason": "spam spam"}).status_code == 204

    only_blocked = root.get(USERS, params={"search": f"blk{unique}", "blocked": "true"}).json()
    assert [(u["username"], u["blocked"], u["blockedReason"]) for u in only_blocked["data"]] == [
        (f"blk{unique}b", True, "spam spam")]
    not_blocked = root.get(USERS, params={"search": f"blk{unique}", "blocked": "false"}).json()
    assert [u["username"] for u in not_blocked["data"]] == [f"blk{unique}a"]


def test_create_user_with_a_channel_name_and_quotas(server, unique):
    name = f"chan{unique}"
    response = server.root.post(USERS, json=new_user_body(
        name, channelName=f"{name}_videos", videoQuota=1000, videoQuotaDaily=100, adminFlags=1))
    assert response.status_code == 200, response.text
    created = response.json()["user"]

    user = server.root.get(f"{USERS}/{created['id']}").json()
    assert user["account"]["id"] == created["account"]["id"]
    assert user["account"]["name"] == name and user["account"]["displayName"] == name
    channels = [(c["name"], c["displayName"]) for c in user["videoChannels"]]
    assert channels == [(f"{name}_videos", f"{name}_videos")]
    assert (user["videoQuota"], user["videoQuotaDaily"], user["adminFlags"]) == (1000, 100, 1)
    assert user["role"] == {"id": 2, "label": "User"}
    assert user["emailVerified"] is None  # nobody asked the user to verify it
    assert server.anonymous.login(name, "password1").get(f"{USERS}/me").status_code == 200


def test_duplicate_username_email_or_channel_name_is_a_conflict(server, unique):
    name = f"dup{unique}"
    server.create_user(name)
    root = server.root
    cases = [
        new_user_body(name, email=f"other{unique}@example.com"),                 # same username
        new_user_body(f"dup{unique}x", email=f"DUP{unique}@EXAMPLE.COM"),        # same email, other case
        new_user_body(f"{name}_channel"),                                       # the default channel's name
        new_user_body(f"dup{unique}y", channelName=name),                       # channel named as a user
    ]
    for body in cases:
        response = root.post(USERS, json=body)
        assert response.status_code == 409, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    # nothing half-made was left behind: the free names are still free
    assert root.post(USERS, json=new_user_body(f"dup{unique}x")).status_code == 200


def test_every_user_has_an_account_and_a_default_channel(server, unique):
    name = f"acct{unique}"
    me = server.create_user(name).get(f"{USERS}/me").json()
    assert me["account"]["name"] == name and me["account"]["displayName"] == name
    assert me["account"]["userId"] == me["id"]
    assert me["account"]["url"] == f"{server.url}/accounts/{name}"
    [channel] = me["videoChannels"]
    assert channel["name"] == f"{name}_channel"
    assert channel["displayName"] == f"Main {name} channel"
    assert channel["url"] == f"{server.url}/video-channels/{name}_channel"
    assert channel["ownerAccountId"] == me["account"]["id"] and channel["isLocal"] is True

    root_me = server.root.get(f"{USERS}/me").json()
    assert root_me["role"] == {"id": 0, "label": "Administrator"}
    assert len(root_me["videoChannels"]) == 1


def test_moderators_manage_plain_users_only(server, unique):
    moderator = server.create_user(f"mod{unique}", role=1)
    other_moderator = user_id(server.create_user(f"mod{unique}b", role=1))

    for role in (0, 1):
        refused = moderator.post(USERS, json=new_user_body(f"modmade{unique}{role}", role=role))
        assert refused.status_code == 403, refused.text
    made = moderator.post(USERS, json=new_user_body(f"modmade{unique}", role=2))
    assert made.status_code == 200, made.text
    plain = made.json()["user"]["id"]

    assert moderator.put(f"{USERS}/{plain}", json={"videoQuota": 5}).status_code == 204
    assert moderator.put(f"{USERS}/{plain}", json={"role": 1}).status_code == 403  # only admins promote
    for target in (other_moderator, user_id(moderator), root_id(server)):
        assert moderator.put(f"{USERS}/{target}", json={"videoQuota": 5}).status_code == 403
    for target in (other_moderator, user_id(moderator)):
        assert moderator.post(f"{USERS}/{target}/block").status_code == 403
    assert moderator.delete(f"{USERS}/{other_moderator}").status_code == 403
    assert moderator.get(f"{USERS}/{other_moderator}").status_code == 200  # reading is MANAGE_USERS only
    assert moderator.delete(f"{USERS}/{plain}").status_code == 204

    # an administrator manages moderators
    assert server.root.put(f"{USERS}/{other_moderator}", json={"videoQuota": 7}).status_code == 204


def test_get_user_own_vs_other(server, unique):
    alice = server.create_user(f"geta{unique}")
    alice_id, bob_id = user_id(alice), user_id(server.create_user(f"getb{unique}"))

    own = alice.get(f"{USERS}/{alice_id}", params={"withStats": "true"})
    assert own.status_code == 200 and own.json()["username"] == f"geta{unique}"
    assert "videosCount" not in own.json()  # statistics are for moderators
    assert alice.get(f"{USERS}/{bob_id}").status_code == 403

    plain = server.root.get(f"{USERS}/{bob_id}").json()
    assert "videosCount" not in plain
    stats = server.root.get(f"{USERS}/{bob_id}", params={"withStats": "true"}).json()
    counts = ("videosCount", "abusesCount", "abusesAcceptedCount", "abusesCreatedCount", "videoCommentsCount")
    assert [stats[key] for key in counts] == [0] * len(counts)  # nothing exists yet to count
    assert stats["username"] == f"getb{unique}"
    assert server.root.get(f"{USERS}/2147483647").status_code == 404


def test_role_or_password_change_ends_the_sessions(server, unique):
    name = f"role{unique}"
    client = server.create_user(name)
    target = user_id(client)

    assert server.root.put(f"{USERS}/{target}", json={"videoQuota": 42}).status_code == 204
    assert client.get(f"{USERS}/me").status_code == 200  # a quota change keeps the sessions

    assert server.root.put(f"{USERS}/{target}", json={"role": 1}).status_code == 204
    assert client.get(f"{USERS}/me").status_code == 401
    again = server.anonymous.login(name, "password1")
    assert again.get(f"{USERS}/me").json()["role"] == {"id": 1, "label": "Moderator"}

    assert server.root.put(f"{USERS}/{target}", json={"password": "new-password-2"}).status_code == 204
    assert again.get(f"{USERS}/me").status_code == 401
    assert server.anonymous.token_request(name, "password1").status_code == 400
    assert server.anonymous.login(name, "new-password-2").get(f"{USERS}/me").status_code == 200


def test_admin_updates_email_quota_and_flags(server, unique):
    alice = server.create_user(f"upa{unique}")
    server.create_user(f"upb{unique}")
    target = user_id(alice)

    taken = server.root.put(f"{USERS}/{target}", json={"email": f"UPB{unique}@example.com"})
    assert taken.status_code == 409, taken.text
    changes = {"email": f"new{unique}@example.com", "emailVerified": True, "videoQuota": 1024,
               "videoQuotaDaily": 512, "adminFlags": 1}
    changed = server.root.put(f"{USERS}/{target}", json=changes)
    assert changed.status_code == 204, changed.text
    user = server.root.get(f"{USERS}/{target}").json()
    assert {key: user[key] for key in changes} == changes


def test_delete_user_removes_account_channels_actors_and_sessions(server, unique):
    name = f"del{unique}"
    client = server.create_user(name, channelName=f"{name}_extra")
    me = client.get(f"{USERS}/me").json()

    assert server.root.delete(f"{USERS}/{me['id']}").status_code == 204

    assert client.get(f"{USERS}/me").status_code == 401
    login = server.anonymous.token_request(name, "password1")
    assert login.status_code == 400 and login.json()["code"] == "invalid_grant"
    assert server.root.get(f"{USERS}/{me['id']}").status_code == 404
    names = {"account": name, "channel": f"{name}_extra"}
    assert run_sql(server, "SELECT count(*) FROM actor WHERE preferred_username IN (:account, :channel)",
                   names) == [(0,)]
    account = {"id": me["account"]["id"]}
    assert run_sql(server, "SELECT count(*) FROM account WHERE id = :id", account) == [(0,)]
    assert run_sql(server, "SELECT count(*) FROM video_channel WHERE account_id = :id", account) == [(0,)]
    assert run_sql(server, "SELECT count(*) FROM oauth_token WHERE user_id = :id", {"id": me["id"]}) == [(0,)]


def test_block_ends_sessions_and_refuses_login_until_unblocked(server, unique):
    name = f"blocked{unique}"
    client = server.create_user(name)
    target = user_id(client)

    assert server.root.post(f"{USERS}/{target}/block", json={"reason": "repeated spam"}).status_code == 204
    assert client.get(f"{USERS}/me").status_code == 401
    refused = server.anonymous.token_request(name, "password1")
    assert refused.status_code == 400 and refused.json()["code"] == "account_blocked"
    user = server.root.get(f"{USERS}/{target}").json()
    assert (user["blocked"], user["blockedReason"]) == (True, "repeated spam")
    assert "repeated spam" in wait_for_mail(server, f"{name}@example.com", "blocked")["text"]

    assert server.root.post(f"{USERS}/{target}/unblock").status_code == 204
    assert server.anonymous.login(name, "password1").get(f"{USERS}/me").status_code == 200
    user = server.root.get(f"{USERS}/{target}").json()
    assert (user["blocked"], user["blockedReason"]) == (False, None)
    wait_for_mail(server, f"{name}@example.com", "unblocked")


def test_nobody_blocks_deletes_or_demotes_root(server, unique):
    root = root_id(server)
    assert server.root.post(f"{USERS}/{root}/block").status_code == 400
    assert server.root.delete(f"{USERS}/{root}").status_code == 400
    demote = server.root.put(f"{USERS}/{root}", json={"role": 2})
    assert demote.status_code == 400 and "role" in demote.json()["invalid-params"]
    moderator = server.create_user(f"rootmod{unique}", role=1)
    assert moderator.delete(f"{USERS}/{root}").status_code in (400, 403)
    assert server.root.get(f"{USERS}/me").json()["role"]["id"] == 0


def test_admin_may_delete_another_admin(server, unique):
    other = user_id(server.create_user(f"admin{unique}", role=0))
    assert server.root.delete(f"{USERS}/{other}").status_code == 204
