"""Video comments through the API: threads and replies, the tree, counters, deletion as tombstones,
the comments policy and its review queue, the moderation lists, mentions and notifications, mutes,
and the sanitised HTML of every rendered text."""

from __future__ import annotations

import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.upstream_spec import schema_errors
from tests.support.comments import commentable_video, post_reply, post_thread, thread_tree, threads
from tests.support.html_safety import unsafe_markup

MODERATOR = 1
PASSWORD_HEADER = "x-peertube-video-password"
NEW_COMMENT_ON_MY_VIDEO, COMMENT_MENTION = 2, 11


def name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(name("c_owner"))


@pytest.fixture(scope="module")
def alice(server):
    return server.create_user(name("c_alice"))


@pytest.fixture(scope="module")
def bob(server):
    return server.create_user(name("c_bob"))


@pytest.fixture(scope="module")
def moderator(server):
    return server.create_user(name("c_mod"), role=MODERATOR)


@pytest.fixture
def video(owner):
    return commentable_video(owner)


def username(client) -> str:
    return client.get("/api/v1/users/me").json()["username"]


def video_counter(client, video) -> int:
    return client.get(f"/api/v1/videos/{video['uuid']}").json()["comments"]


def set_policy(owner, video, policy: int) -> None:
    response = owner.put(f"/api/v1/videos/{video['uuid']}", json={"commentsPolicy": policy})
    assert response.status_code == 204, response.text


def ids(page: dict) -> list[int]:
    return [item["id"] for item in page["data"]]


# -- threads, replies, the tree and the counters ---------------------------------------------------------

def test_a_thread_and_its_replies(server, owner, alice, bob, video):
    first = post_thread(alice, video, "First!")
    assert first["text"] == "<p>First!</p>"
    assert first["threadId"] == first["id"] and first["inReplyToCommentId"] is None
    assert first["videoId"] == video["id"]
    assert first["url"] == f"{server.url}/videos/watch/{video['uuid']}/comments/{first['id']}"
    assert first["account"]["name"] == username(alice)
    assert first["isDeleted"] is False and first["deletedAt"] is None and first["heldForReview"] is False

    answer = post_reply(owner, video, first["id"], "Thanks")
    nested = post_reply(bob, video, answer["id"], "Nested")
    second = post_reply(bob, video, first["id"], "Me too")
    assert (answer["threadId"], answer["inReplyToCommentId"]) == (first["id"], first["id"])
    assert (nested["threadId"], nested["inReplyToCommentId"]) == (first["id"], answer["id"])

    tree = thread_tree(bob, video, first["id"])
    assert tree["comment"]["id"] == first["id"]
    assert tree["comment"]["totalReplies"] == 3 and tree["comment"]["totalRepliesFromVideoAuthor"] == 1
    assert [child["comment"]["id"] for child in tree["children"]] == [answer["id"], second["id"]]
    assert [child["comment"]["id"] for child in tree["children"][0]["children"]] == [nested["id"]]
    assert tree["children"][0]["comment"]["totalReplies"] == 1
    assert tree["children"][1]["children"] == []

    other = post_thread(bob, video, "Another thread")
    page = threads(server.anonymous, video)
    assert page["total"] == 2 and page["totalNotDeletedComments"] == 5
    assert ids(page) == [other["id"], first["id"]]
    listed = {item["id"]: item for item in page["data"]}
    assert listed[first["id"]]["totalReplies"] == 3 and listed[first["id"]]["totalRepliesFromVideoAuthor"] == 1
    assert listed[other["id"]]["totalReplies"] == 0
    assert video_counter(server.anonymous, video) == 5


def test_thread_sorts_and_pages(server, alice, video):
    made = [post_thread(alice, video, f"thread {index}") for index in range(3)]
    post_reply(alice, video, made[0]["id"], "a reply")
    post_reply(alice, video, made[0]["id"], "another reply")
    post_reply(alice, video, made[1]["id"], "one reply")
    newest_first = [made[2]["id"], made[1]["id"], made[0]["id"]]
    assert ids(threads(server.anonymous, video)) == newest_first
    assert ids(threads(server.anonymous, video, sort="createdAt")) == newest_first[::-1]
    assert ids(threads(server.anonymous, video, sort="-totalReplies")) == [made[0]["id"], made[1]["id"], made[2]["id"]]
    page = threads(server.anonymous, video, start=1, count=1)
    assert page["total"] == 3 and ids(page) == [made[1]["id"]]


def test_the_video_is_named_by_id_uuid_or_short_uuid(server, alice, video):
    comment = post_thread(alice, video, "named")
    for ref in (video["id"], video["uuid"], video["shortUUID"]):
        page = server.anonymous.get(f"/api/v1/videos/{ref}/comment-threads").json()
        assert ids(page) == [comment["id"]]


def test_answers_follow_the_upstream_spec(server, owner, alice, moderator, video):
    posted = alice.post(f"/api/v1/videos/{video['uuid']}/comment-threads", json={"text": "spec"}).json()
    assert schema_errors("CommentThreadPostResponse", posted) == []
    reply = post_reply(owner, video, posted["comment"]["id"], "spec reply")
    page = threads(server.anonymous, video)
    assert schema_errors("CommentThreadResponse", page) == []
    assert schema_errors("VideoCommentThreadTree", thread_tree(alice, video, reply["threadId"])) == []
    for client, url in ((moderator, "/api/v1/videos/comments"), (owner, "/api/v1/users/me/videos/comments")):
        items = client.get(url, params={"videoId": video["uuid"]}).json()["data"]
        assert len(items) == 2
        for item in items:
            assert schema_errors("VideoCommentForOwnerOrAdmin", item) == []


# -- deletion ------------------------------------------------------------------------------------------

def test_a_deleted_comment_stays_as_a_tombstone_under_its_replies(server, owner, alice, bob, video):
    first = post_thread(alice, video, "to be deleted")
    reply = post_reply(bob, video, first["id"], "still here")
    assert video_counter(bob, video) == 2

    assert alice.delete(f"/api/v1/videos/{video['uuid']}/comments/{first['id']}").status_code == 204
    tree = thread_tree(server.anonymous, video, first["id"])
    tomb = tree["comment"]
    assert tomb["isDeleted"] is True and tomb["deletedAt"] is not None
    assert tomb["text"] == "" and tomb["account"] is None
    assert [child["comment"]["id"] for child in tree["children"]] == [reply["id"]]
    page = threads(server.anonymous, video)
    assert page["total"] == 1 and page["totalNotDeletedComments"] == 1
    assert page["data"][0]["totalReplies"] == 1
    assert video_counter(bob, video) == 1

    again = alice.delete(f"/api/v1/videos/{video['uuid']}/comments/{first['id']}")
    assert again.status_code == 409


def test_who_may_delete_a_comment(server, owner, alice, bob, moderator, video):
    by_alice = [post_thread(alice, video, f"alice {index}") for index in range(3)]
    refused = bob.delete(f"/api/v1/videos/{video['uuid']}/comments/{by_alice[0]['id']}")
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    # the video's owner and a moderator may
    assert owner.delete(f"/api/v1/videos/{video['uuid']}/comments/{by_alice[1]['id']}").status_code == 204
    assert moderator.delete(f"/api/v1/videos/{video['uuid']}/comments/{by_alice[2]['id']}").status_code == 204
    standing = [item for item in threads(server.anonymous, video)["data"] if not item["isDeleted"]]
    assert [item["id"] for item in standing] == [by_alice[0]["id"]]


# -- the comments policy --------------------------------------------------------------------------------

def test_disabled_comments_refuse_new_ones_and_list_nothing(server, owner, alice, video):
    existing = post_thread(alice, video, "before closing")
    set_policy(owner, video, 2)
    refused = alice.post(f"/api/v1/videos/{video['uuid']}/comment-threads", json={"text": "hello?"})
    assert refused.status_code == 409
    refused = alice.post(f"/api/v1/videos/{video['uuid']}/comments/{existing['id']}", json={"text": "hello?"})
    assert refused.status_code == 409
    assert threads(alice, video) == {"total": 0, "data": [], "totalNotDeletedComments": 0}
    hidden = alice.get(f"/api/v1/videos/{video['uuid']}/comment-threads/{existing['id']}")
    assert hidden.status_code == 404

    set_policy(owner, video, 1)
    assert ids(threads(alice, video)) == [existing["id"]]


def test_comments_requiring_approval_wait_for_the_owner(server, owner, alice, bob, moderator):
    video = commentable_video(owner, commentsPolicy=3)
    held = post_thread(alice, video, "please approve")
    assert held["heldForReview"] is True
    own = post_thread(owner, video, "the owner's word")
    assert own["heldForReview"] is False
    by_moderator = post_thread(moderator, video, "a moderator's word")
    assert by_moderator["heldForReview"] is False

    # the author and the owner see it; others and anonymous callers do not
    assert held["id"] in ids(threads(alice, video))
    assert held["id"] in ids(threads(owner, video))
    assert held["id"] in ids(threads(moderator, video))
    assert held["id"] not in ids(threads(bob, video))
    anonymous = threads(server.anonymous, video)
    assert held["id"] not in ids(anonymous) and anonymous["totalNotDeletedComments"] == 2
    hidden = server.anonymous.get(f"/api/v1/videos/{video['uuid']}/comment-threads/{held['id']}")
    assert hidden.status_code == 404, hidden.text
    assert video_counter(bob, video) == 2
    # only the owner (or a moderator) approves: not the author, not anyone else
    approve = f"/api/v1/videos/{video['uuid']}/comments/{held['id']}/approve"
    assert alice.post(approve).status_code == 403
    assert bob.post(approve).status_code == 403

    assert owner.post(approve).status_code == 204
    assert held["id"] in ids(threads(bob, video))
    assert video_counter(bob, video) == 3
    assert owner.post(approve).status_code == 400  # not held any more

    second = post_thread(bob, video, "me too")
    assert moderator.post(f"/api/v1/videos/{video['uuid']}/comments/{second['id']}/approve").status_code == 204


def test_replies_to_a_held_comment_need_to_see_it(server, owner, alice, bob):
    video = commentable_video(owner, commentsPolicy=3)
    held = post_thread(alice, video, "held")
    refused = bob.post(f"/api/v1/videos/{video['uuid']}/comments/{held['id']}", json={"text": "can I?"})
    assert refused.status_code == 404
    answer = post_reply(owner, video, held["id"], "answered while reviewing")
    assert answer["heldForReview"] is False


# -- who can read ----------------------------------------------------------------------------------------

def test_comments_of_a_private_video_are_private(server, owner, alice):
    video = commentable_video(owner, privacy=3)
    mine = post_thread(owner, video, "note to self")
    assert threads(owner, video)["total"] == 1
    assert alice.get(f"/api/v1/videos/{video['uuid']}/comment-threads").status_code == 403
    assert server.anonymous.get(f"/api/v1/videos/{video['uuid']}/comment-threads").status_code == 401
    assert alice.get(f"/api/v1/videos/{video['uuid']}/comment-threads/{mine['id']}").status_code == 403
    assert alice.post(f"/api/v1/videos/{video['uuid']}/comment-threads", json={"text": "hi"}).status_code == 403


def test_a_password_protected_video_takes_its_password(server, owner, alice):
    video = commentable_video(owner, privacy=5, videoPasswords=["open-sesame-1"])
    url = f"/api/v1/videos/{video['uuid']}/comment-threads"
    assert alice.post(url, json={"text": "hi"}).json()["code"] == "video_requires_password"
    comment = post_thread(alice, video, "with the password", headers={PASSWORD_HEADER: "open-sesame-1"})
    assert alice.get(url).status_code == 403
    assert alice.get(url, headers={PASSWORD_HEADER: "wrong"}).json()["code"] == "incorrect_video_password"
    page = alice.get(url, headers={PASSWORD_HEADER: "open-sesame-1"}).json()
    assert ids(page) == [comment["id"]]


def test_muted_authors_disappear(server, owner, alice, bob):
    video = commentable_video(owner)
    carol = server.create_user(name("c_carol"))
    noisy = post_thread(carol, video, "noise")
    quiet = post_thread(alice, video, "signal")
    muted = bob.post("/api/v1/users/me/blocklist/accounts", json={"accountName": username(carol)})
    assert muted.status_code == 204, muted.text
    assert ids(threads(bob, video)) == [quiet["id"]]
    assert ids(threads(alice, video)) == [quiet["id"], noisy["id"]]
    # the video's owner moderates the discussion under their video: their mute hides for everyone
    muted = owner.post("/api/v1/users/me/blocklist/accounts", json={"accountName": username(carol)})
    assert muted.status_code == 204, muted.text
    assert ids(threads(alice, video)) == [quiet["id"]]
    assert ids(threads(server.anonymous, video)) == [quiet["id"]]


# -- the moderation lists -----------------------------------------------------------------------------------

def test_the_instance_list_for_moderators(server, owner, alice, bob, moderator):
    tag = uuid.uuid4().hex[:10]
    video = commentable_video(owner, name=f"moderated {tag}")
    other_video = commentable_video(owner)
    by_alice = post_thread(alice, video, f"alice says {tag}")
    by_bob = post_reply(bob, video, by_alice["id"], f"bob answers {tag}")
    elsewhere = post_thread(bob, other_video, "elsewhere")
    deleted = post_thread(alice, video, f"deleted {tag}")
    assert alice.delete(f"/api/v1/videos/{video['uuid']}/comments/{deleted['id']}").status_code == 204

    page = moderator.get("/api/v1/videos/comments", params={"search": tag}).json()
    assert page["total"] == 2 and ids(page) == [by_bob["id"], by_alice["id"]]
    item = page["data"][0]
    assert item["video"]["uuid"] == video["uuid"] and item["video"]["channel"]["id"]
    assert item["threadId"] == by_alice["id"] and item["inReplyToCommentId"] == by_alice["id"]
    assert item["automaticTags"] == [] and item["account"]["name"] == username(bob)

    def found(**params):
        response = moderator.get("/api/v1/videos/comments", params={"count": 100, **params})
        assert response.status_code == 200, response.text
        return ids(response.json())

    assert found(videoId=video["uuid"], sort="createdAt") == [by_alice["id"], by_bob["id"]]
    assert found(searchAccount=username(bob), videoId=video["shortUUID"]) == [by_bob["id"]]
    assert found(searchVideo=tag) == [by_bob["id"], by_alice["id"]]
    assert elsewhere["id"] in found(searchAccount=username(bob))
    assert set(found(videoId=video["id"], isLocal="true", onLocalVideo="true")) == {by_alice["id"], by_bob["id"]}
    assert found(videoId=video["id"], isLocal="false") == []
    assert found(videoId=video["id"], onLocalVideo="false") == []
    assert found(videoId=video["id"], autoTagOneOf="spam") == []
    channel_id = owner.get(f"/api/v1/videos/{video['uuid']}").json()["channel"]["id"]
    assert set(found(videoChannelId=channel_id, search=tag)) == {by_alice["id"], by_bob["id"]}

    assert alice.get("/api/v1/videos/comments").status_code == 403
    assert server.anonymous.get("/api/v1/videos/comments").status_code == 401


def test_the_comments_on_my_videos(server, owner, alice, bob):
    mine = commentable_video(owner, commentsPolicy=3)
    not_mine = commentable_video(bob)
    held = post_thread(alice, mine, "waiting")
    approved = post_thread(alice, mine, "approved soon")
    assert owner.post(f"/api/v1/videos/{mine['uuid']}/comments/{approved['id']}/approve").status_code == 204
    post_thread(alice, not_mine, "on bob's video")

    def found(client, **params):
        response = client.get("/api/v1/users/me/videos/comments", params={"count": 100, **params})
        assert response.status_code == 200, response.text
        return ids(response.json())

    assert found(owner, videoId=mine["uuid"]) == [approved["id"], held["id"]]
    assert found(owner, videoId=mine["uuid"], isHeldForReview="true") == [held["id"]]
    assert found(owner, videoId=mine["uuid"], isHeldForReview="false") == [approved["id"]]
    assert not set(found(bob)) & {held["id"], approved["id"]}
    assert alice.get("/api/v1/users/me/videos/comments", params={"videoId": mine["uuid"]}).status_code == 403
    channel_id = owner.get(f"/api/v1/videos/{mine['uuid']}").json()["channel"]["id"]
    assert alice.get("/api/v1/users/me/videos/comments", params={"videoChannelId": channel_id}).status_code == 403
    assert set(found(owner, videoChannelId=channel_id)) >= {held["id"], approved["id"]}


# -- mentions and notifications ---------------------------------------------------------------------------

def notifications_of(client, kind: int) -> list[dict]:
    response = client.get("/api/v1/users/me/notifications", params={"count": 100})
    assert response.status_code == 200, response.text
    return [item for item in response.json()["data"] if item["type"] == kind]


def about_comment(client, kind: int, comment_id: int) -> bool:
    return any((item.get("comment") or {}).get("id") == comment_id for item in notifications_of(client, kind))


def test_comments_notify_the_owner_the_mentioned_and_the_answered(server, owner, alice, bob):
    video = commentable_video(owner)
    carol = server.create_user(name("c_carol"))
    comment = post_thread(alice, video, f"Hey @{username(bob)} and @{username(carol)}@127.0.0.1:{server.port}, look!")
    server.wait_for(lambda: about_comment(owner, NEW_COMMENT_ON_MY_VIDEO, comment["id"]))
    server.wait_for(lambda: about_comment(bob, COMMENT_MENTION, comment["id"]))
    server.wait_for(lambda: about_comment(carol, COMMENT_MENTION, comment["id"]))

    answer = post_reply(bob, video, comment["id"], "Answering you")
    server.wait_for(lambda: about_comment(alice, COMMENT_MENTION, answer["id"]))
    # nobody hears about their own words
    own = post_thread(owner, video, f"@{username(owner)} talking to myself")
    server.wait_for(lambda: about_comment(owner, NEW_COMMENT_ON_MY_VIDEO, answer["id"]))
    assert not about_comment(owner, NEW_COMMENT_ON_MY_VIDEO, own["id"])
    assert not about_comment(owner, COMMENT_MENTION, own["id"])
    # a deleted comment has nothing left to show: the notifications about it go
    assert alice.delete(f"/api/v1/videos/{video['uuid']}/comments/{comment['id']}").status_code == 204
    assert not about_comment(bob, COMMENT_MENTION, comment["id"])
    assert not about_comment(owner, NEW_COMMENT_ON_MY_VIDEO, comment["id"])


def test_mentions_of_a_held_comment_wait_for_its_approval(server, owner, alice, bob):
    video = commentable_video(owner, commentsPolicy=3)
    held = post_thread(alice, video, f"@{username(bob)} see this")
    server.wait_for(lambda: about_comment(owner, NEW_COMMENT_ON_MY_VIDEO, held["id"]))
    assert not about_comment(bob, COMMENT_MENTION, held["id"])
    assert owner.post(f"/api/v1/videos/{video['uuid']}/comments/{held['id']}/approve").status_code == 204
    server.wait_for(lambda: about_comment(bob, COMMENT_MENTION, held["id"]))


# -- rendered text -----------------------------------------------------------------------------------------

PAYLOADS = (
    "<script>alert('xss')</script>visible",
    '<img src="x" onerror="alert(1)">',
    '<a href="javascript:alert(1)">click</a> [md](javascript:alert(2))',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a>',
    '<p onclick="alert(1)" style="position:fixed">styled</p><svg onload="alert(1)"></svg>',
    '<iframe src="https://evil.example"></iframe><object data="x"></object>',
)


def test_every_rendered_text_is_sanitised(server, owner, alice, moderator):
    video = commentable_video(owner)
    texts = []
    for payload in PAYLOADS:
        created = post_thread(alice, video, f"{payload}\n\nsee https://example.org/page")
        reply = post_reply(alice, video, created["id"], payload)
        texts += [created["text"], reply["text"]]
        tree = thread_tree(alice, video, created["id"])
        texts += [tree["comment"]["text"], tree["children"][0]["comment"]["text"]]
    texts += [item["text"] for item in threads(server.anonymous, video, count=100)["data"]]
    texts += [item["text"] for item in moderator.get("/api/v1/videos/comments",
                                                     params={"videoId": video["uuid"], "count": 100}).json()["data"]]
    texts += [item["text"] for item in owner.get("/api/v1/users/me/videos/comments",
                                                 params={"videoId": video["uuid"], "count": 100}).json()["data"]]
    # 2 posted, 2 in the tree, 1 in the thread list, 2 in each moderation list
    assert len(texts) == 9 * len(PAYLOADS)
    for text in texts:
        assert unsafe_markup(text) == [], text
    safe_link = '<a href="https://example.org/page" target="_blank" rel="noopener noreferrer">'
    assert sum(safe_link in text for text in texts) == 5 * len(PAYLOADS)  # each thread's text, 5 times
    assert "visible" in texts[0] and "styled" in "".join(texts)


def test_the_counter_survives_concurrent_comments(server, owner):
    video = commentable_video(owner)
    writers = [server.create_user(name("c_crowd")) for _ in range(4)]
    with ThreadPoolExecutor(max_workers=len(writers)) as pool:
        list(pool.map(lambda client: [post_thread(client, video, f"crowd {index}") for index in range(3)], writers))
    assert video_counter(owner, video) == 12
    assert threads(owner, video)["totalNotDeletedComments"] == 12


def test_a_comment_is_deleted_once(server, owner, alice):
    video = commentable_video(owner)
    comment = post_thread(alice, video, "delete me, all of you")
    url = f"/api/v1/videos/{video['uuid']}/comments/{comment['id']}"
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(pool.map(lambda client: client.delete(url).status_code, [alice, owner, alice, owner]))
    assert statuses == [204, 409, 409, 409]
    assert video_counter(owner, video) == 0
