"""Blocklists through the API: a user's mutes (accounts and servers) hide what the muted publish from
that user only; the instance's blocklist hides it from everybody (moderators may still ask for it);
the lists, the block status and the refusals of both."""

from __future__ import annotations

import uuid

import pytest

from tests.support.comments import commentable_video, post_thread, threads
from tests.support.notifications import NEW_COMMENT_ON_MY_VIDEO, jobs_drained, of_type, wait_for_notification
from tests.support.published_videos import published_video
from tests.support.remote_objects import remote_copy_of_video

MODERATOR = 1
INCLUDE_BLOCKED_OWNER = 4


def name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def username(client) -> str:
    return client.get("/api/v1/users/me").json()["username"]


def listed_uuids(client, *uuids: str, **params) -> set[str]:
    """Which of `uuids` the instance's video list shows `client`."""
    response = client.get("/api/v1/videos", params={"uuids": list(uuids), "count": 100, **params})
    assert response.status_code == 200, response.text
    return {video["uuid"] for video in response.json()["data"]}


def thread_authors(client, video: dict) -> set[str]:
    return {thread["account"]["name"] for thread in threads(client, video, count=100)["data"]
            if thread.get("account")}


@pytest.fixture(scope="module")
def world(server):
    """`author` publishes a video and comments on `owner`'s; `muter` and `other` watch."""
    people = {role: server.create_user(name(f"bl_{role}")) for role in ("author", "owner", "muter", "other")}
    people["author_video"] = published_video(people["author"])
    people["owner_video"] = published_video(people["owner"])
    people["author_name"] = username(people["author"])
    post_thread(people["author"], people["owner_video"], "a comment from the author")
    post_thread(people["other"], people["owner_video"], "a comment from someone else")
    return people


def block_account(client, handle: str, scope: str = "users/me") -> None:
    response = client.post(f"/api/v1/{scope}/blocklist/accounts", json={"accountName": handle})
    assert response.status_code == 204, response.text


def unblock_account(client, handle: str, scope: str = "users/me") -> None:
    response = client.delete(f"/api/v1/{scope}/blocklist/accounts/{handle}")
    assert response.status_code == 204, response.text


def test_a_muted_account_disappears_from_the_muters_video_lists_only(server, world):
    author_video, owner_video = world["author_video"]["uuid"], world["owner_video"]["uuid"]
    muter, other, author_name = world["muter"], world["other"], world["author_name"]
    assert listed_uuids(muter, author_video, owner_video) == {author_video, owner_video}

    block_account(muter, author_name)
    try:
        assert listed_uuids(muter, author_video, owner_video) == {owner_video}
        account_videos = muter.get(f"/api/v1/accounts/{author_name}/videos").json()
        assert account_videos["total"] == 0 and account_videos["data"] == []
        # nobody else is affected
        assert listed_uuids(other, author_video, owner_video) == {author_video, owner_video}
        assert listed_uuids(server.anonymous, author_video, owner_video) == {author_video, owner_video}
        # the author's own list is theirs
        mine = {video["uuid"] for video in world["author"].get("/api/v1/users/me/videos").json()["data"]}
        assert author_video in mine
    finally:
        unblock_account(muter, author_name)
    assert listed_uuids(muter, author_video, owner_video) == {author_video, owner_video}


def test_a_muted_account_disappears_from_the_muters_comment_threads_only(server, world):
    muter, other, author_name = world["muter"], world["other"], world["author_name"]
    video = world["owner_video"]
    other_name = username(other)
    assert {author_name, other_name} <= thread_authors(muter, video)

    block_account(muter, author_name)
    try:
        seen_by_muter = thread_authors(muter, video)
        assert author_name not in seen_by_muter and other_name in seen_by_muter
        assert {author_name, other_name} <= thread_authors(other, video)
        assert {author_name, other_name} <= thread_authors(server.anonymous, video)
    finally:
        unblock_account(muter, author_name)
    assert author_name in thread_authors(muter, video)


def test_muting_forgets_and_silences_the_muted_accounts_notifications(server):
    owner, chatty, quiet = (server.create_user(name(f"bl_n{role}")) for role in ("owner", "chatty", "quiet"))
    video = commentable_video(owner)
    chatty_name, quiet_name = username(chatty), username(quiet)

    def commenters() -> set[str]:
        return {item["comment"]["account"]["name"] for item in of_type(owner, NEW_COMMENT_ON_MY_VIDEO)}

    post_thread(chatty, video, "first")
    post_thread(quiet, video, "second")
    wait_for_notification(server, owner, NEW_COMMENT_ON_MY_VIDEO, lambda item: item["comment"]["account"]["name"] == quiet_name)
    wait_for_notification(server, owner, NEW_COMMENT_ON_MY_VIDEO, lambda item: item["comment"]["account"]["name"] == chatty_name)

    block_account(owner, chatty_name)
    assert commenters() == {quiet_name}
    post_thread(chatty, video, "still talking")
    post_thread(quiet, video, "talking too")
    jobs_drained(server, "notify")
    assert sorted(item["comment"]["account"]["name"] for item in of_type(owner, NEW_COMMENT_ON_MY_VIDEO)) \
        == [quiet_name, quiet_name]


def test_the_instance_blocklist_hides_an_account_from_everybody(server, world):
    author_video, owner_video = world["author_video"]["uuid"], world["owner_video"]["uuid"]
    author_name = world["author_name"]
    block_account(server.root, author_name, "server")
    try:
        for viewer in (server.anonymous, world["muter"], world["other"]):
            assert listed_uuids(viewer, author_video, owner_video) == {owner_video}
        assert author_name not in thread_authors(server.anonymous, world["owner_video"])
        # moderators may still list them, on demand
        assert author_video in listed_uuids(server.root, author_video, include=INCLUDE_BLOCKED_OWNER)
        assert author_video not in listed_uuids(server.root, author_video)
        status = server.anonymous.get("/api/v1/blocklist/status", params={"accounts": author_name}).json()
        assert status["accounts"][author_name] == {"blockedByServer": True}
    finally:
        unblock_account(server.root, author_name, "server")
    assert listed_uuids(server.anonymous, author_video, owner_video) == {author_video, owner_video}


def test_muting_a_server_hides_every_account_of_it(server, world):
    host = f"{uuid.uuid4().hex[:10]}.example"
    remote = remote_copy_of_video(server, world["owner_video"]["uuid"], host)
    muter, other = world["muter"], world["other"]
    assert listed_uuids(muter, remote.uuid) == {remote.uuid}

    response = muter.post("/api/v1/users/me/blocklist/servers", json={"host": host.upper()})
    assert response.status_code == 204, response.text
    try:
        assert listed_uuids(muter, remote.uuid) == set()
        assert listed_uuids(other, remote.uuid) == {remote.uuid}
        status = muter.get("/api/v1/blocklist/status", params={"hosts": host}).json()
        assert status["hosts"][host] == {"blockedByServer": False, "blockedByUser": True}
        listed = muter.get("/api/v1/users/me/blocklist/servers").json()
        assert {entry["blockedServer"]["host"] for entry in listed["data"]} == {host}
        assert listed["data"][0]["byAccount"]["name"] == username(muter)
    finally:
        assert muter.delete(f"/api/v1/users/me/blocklist/servers/{host}").status_code == 204
    assert listed_uuids(muter, remote.uuid) == {remote.uuid}


def test_the_instance_blocklist_of_a_server_hides_it_from_everybody(server, world):
    host = f"{uuid.uuid4().hex[:10]}.example"
    remote = remote_copy_of_video(server, world["owner_video"]["uuid"], host)
    response = server.root.post("/api/v1/server/blocklist/servers", json={"host": host})
    assert response.status_code == 204, response.text
    try:
        for viewer in (server.anonymous, world["muter"], world["other"]):
            assert listed_uuids(viewer, remote.uuid) == set()
        listed = server.root.get("/api/v1/server/blocklist/servers", params={"search": host[:6]}).json()
        assert [entry["blockedServer"]["host"] for entry in listed["data"]] == [host]
        assert listed["data"][0]["byAccount"]["name"] == "peertube"
        status = world["other"].get("/api/v1/blocklist/status", params={"hosts": host}).json()
        assert status["hosts"][host] == {"blockedByServer": True, "blockedByUser": False}
    finally:
        assert server.root.delete(f"/api/v1/server/blocklist/servers/{host}").status_code == 204
    assert listed_uuids(server.anonymous, remote.uuid) == {remote.uuid}


def test_a_server_unknown_so_far_can_be_blocked_in_advance(server, world):
    host = f"{uuid.uuid4().hex[:10]}.example"
    muter = world["muter"]
    assert muter.post("/api/v1/users/me/blocklist/servers", json={"host": host}).status_code == 204
    try:
        remote = remote_copy_of_video(server, world["owner_video"]["uuid"], host)
        assert listed_uuids(muter, remote.uuid) == set()
    finally:
        assert muter.delete(f"/api/v1/users/me/blocklist/servers/{host}").status_code == 204


def test_my_account_blocklist_pages_sorts_and_searches(server):
    me = server.create_user(name("bl_lister"))
    targets = [name(f"bl_t{index}") for index in range(3)]
    for target in targets:
        server.create_user(target)
        block_account(me, target)
    block_account(me, targets[0])  # blocking again changes nothing

    listed = me.get("/api/v1/users/me/blocklist/accounts", params={"sort": "createdAt"}).json()
    assert listed["total"] == 3
    assert [entry["blockedAccount"]["name"] for entry in listed["data"]] == targets
    entry = listed["data"][0]
    assert entry["byAccount"]["name"] == username(me)
    assert set(entry) == {"byAccount", "blockedAccount", "createdAt"}
    assert {"id", "url", "name", "host", "displayName", "avatars", "createdAt"} <= set(entry["blockedAccount"])

    newest_first = me.get("/api/v1/users/me/blocklist/accounts", params={"count": 2}).json()
    assert newest_first["total"] == 3
    assert [e["blockedAccount"]["name"] for e in newest_first["data"]] == [targets[2], targets[1]]
    found = me.get("/api/v1/users/me/blocklist/accounts", params={"search": targets[1]}).json()
    assert [e["blockedAccount"]["name"] for e in found["data"]] == [targets[1]]

    handles = [targets[0], f"{targets[1]}@{server.config['webserver']['hostname']}:{server.port}", "nobody_here"]
    status = me.get("/api/v1/blocklist/status", params={"accounts": handles}).json()
    assert status["accounts"] == {handles[0]: {"blockedByServer": False, "blockedByUser": True},
                                  handles[1]: {"blockedByServer": False, "blockedByUser": True},
                                  handles[2]: {"blockedByServer": False, "blockedByUser": False}}
    assert status["hosts"] == {}
    anonymous = server.anonymous.get("/api/v1/blocklist/status", params={"accounts": targets[0]}).json()
    assert anonymous["accounts"] == {targets[0]: {"blockedByServer": False}}

    unblock_account(me, targets[1])
    after = me.get("/api/v1/users/me/blocklist/accounts").json()
    assert after["total"] == 2
    response = me.delete(f"/api/v1/users/me/blocklist/accounts/{targets[1]}")
    assert response.status_code == 404


def test_refusals(server):
    me = server.create_user(name("bl_self"))
    my_name = username(me)
    response = me.post("/api/v1/users/me/blocklist/accounts", json={"accountName": my_name})
    assert response.status_code == 409
    response = me.post("/api/v1/users/me/blocklist/accounts", json={"accountName": name("bl_ghost")})
    assert response.status_code == 404
    own_host = f"{server.config['webserver']['hostname']}:{server.port}"
    response = me.post("/api/v1/users/me/blocklist/servers", json={"host": own_host})
    assert response.status_code == 409
    assert me.delete("/api/v1/users/me/blocklist/servers/never-blocked.example").status_code == 404
    # the instance cannot block itself nor the moderator doing it
    response = server.root.post("/api/v1/server/blocklist/accounts", json={"accountName": "root"})
    assert response.status_code == 409
    response = server.root.post("/api/v1/server/blocklist/servers", json={"host": own_host})
    assert response.status_code == 409


def test_moderators_manage_the_instance_blocklist(server):
    moderator = server.create_user(name("bl_mod"), role=MODERATOR)
    target = name("bl_modtarget")
    server.create_user(target)
    block_account(moderator, target, "server")
    try:
        listed = server.root.get("/api/v1/server/blocklist/accounts", params={"search": target}).json()
        assert [entry["blockedAccount"]["name"] for entry in listed["data"]] == [target]
        assert listed["data"][0]["byAccount"]["name"] == "peertube"
        # the instance's blocklist is not the moderator's own
        assert moderator.get("/api/v1/users/me/blocklist/accounts").json()["total"] == 0
    finally:
        unblock_account(moderator, target, "server")
    assert server.root.get("/api/v1/server/blocklist/accounts", params={"search": target}).json()["total"] == 0
