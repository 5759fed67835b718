"""Video comments: who may call what, and bad input (always a 4xx problem naming the field)."""

from __future__ import annotations

import uuid

import pytest

from tests.support.comments import commentable_video, post_reply, post_thread

MODERATOR = 1


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"cp_owner_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def stranger(server):
    return server.create_user(f"cp_other_{uuid.uuid4().hex[:8]}")


@pytest.fixture(scope="module")
def video(owner):
    return commentable_video(owner)


@pytest.fixture(scope="module")
def thread(owner, video):
    return post_thread(owner, video, "a thread for the parameter tests")


def assert_problem(response, status: int, field: str | None = None):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if field is not None:
        assert field in response.json()["invalid-params"], response.text


def test_anonymous_callers_may_read_but_not_write(server, video, thread):
    base = f"/api/v1/videos/{video['uuid']}"
    assert server.anonymous.get(f"{base}/comment-threads").status_code == 200
    assert server.anonymous.get(f"{base}/comment-threads/{thread['id']}").status_code == 200
    for method, path in (("POST", f"{base}/comment-threads"), ("POST", f"{base}/comments/{thread['id']}"),
                         ("DELETE", f"{base}/comments/{thread['id']}"),
                         ("POST", f"{base}/comments/{thread['id']}/approve"),
                         ("GET", "/api/v1/users/me/videos/comments"), ("GET", "/api/v1/videos/comments")):
        response = server.anonymous.request(method, path, json={"text": "hi"})
        assert_problem(response, 401)


def test_only_moderators_list_the_instance_comments(server, stranger):
    assert_problem(stranger.get("/api/v1/videos/comments"), 403)
    moderator = server.create_user(f"cp_mod_{uuid.uuid4().hex[:8]}", role=MODERATOR)
    assert moderator.get("/api/v1/videos/comments").status_code == 200


@pytest.mark.parametrize("body", [{}, {"text": ""}, {"text": "x" * 10001}, {"text": 12}, {"text": None},
                                  {"text": ["a"]}, {"text": "nul \x00 inside"}])
def test_bad_text_names_the_field(server, stranger, video, thread, body):
    base = f"/api/v1/videos/{video['uuid']}"
    assert_problem(stranger.post(f"{base}/comment-threads", json=body), 400, "text")
    assert_problem(stranger.post(f"{base}/comments/{thread['id']}", json=body), 400, "text")


def test_malformed_bodies(server, stranger, video):
    url = f"/api/v1/videos/{video['uuid']}/comment-threads"
    assert_problem(stranger.post(url, content=b"{not json", headers={"Content-Type": "application/json"}), 400)
    assert_problem(stranger.post(url, json=["text"]), 400)


def test_the_longest_text_is_accepted(server, stranger, video):
    comment = post_thread(stranger, video, "y" * 10000)
    assert "y" * 10000 in comment["text"]


def test_unknown_videos_and_comments(server, owner, video, thread):
    for ref in ("999999", str(uuid.uuid4())):
        assert_problem(owner.get(f"/api/v1/videos/{ref}/comment-threads"), 404)
        assert_problem(owner.post(f"/api/v1/videos/{ref}/comment-threads", json={"text": "hi"}), 404)
        assert_problem(owner.delete(f"/api/v1/videos/{ref}/comments/{thread['id']}"), 404)
    base = f"/api/v1/videos/{video['uuid']}"
    assert_problem(owner.get(f"{base}/comment-threads/999999"), 404)
    assert_problem(owner.post(f"{base}/comments/999999", json={"text": "hi"}), 404)
    assert_problem(owner.delete(f"{base}/comments/999999"), 404)
    assert_problem(owner.post(f"{base}/comments/999999/approve"), 404)


@pytest.mark.parametrize("value", ["0", "-1", "abc", "2147483648", "1.5"])
def test_implausible_comment_ids(server, owner, video, value):
    base = f"/api/v1/videos/{video['uuid']}"
    assert_problem(owner.get(f"{base}/comment-threads/{value}"), 400, "threadId")
    assert_problem(owner.post(f"{base}/comments/{value}", json={"text": "hi"}), 400, "commentId")
    assert_problem(owner.delete(f"{base}/comments/{value}"), 400, "commentId")
    assert_problem(owner.post(f"{base}/comments/{value}/approve"), 400, "commentId")


def test_a_comment_of_another_video(server, owner, video, thread):
    other = commentable_video(owner)
    base = f"/api/v1/videos/{other['uuid']}"
    for response in (owner.get(f"{base}/comment-threads/{thread['id']}"),
                     owner.post(f"{base}/comments/{thread['id']}", json={"text": "hi"}),
                     owner.delete(f"{base}/comments/{thread['id']}")):
        assert_problem(response, 400)
        assert response.json()["code"] == "comment_not_associated_to_video"


def test_a_reply_is_not_a_thread(server, owner, video, thread):
    reply = post_reply(owner, video, thread["id"], "a reply")
    assert_problem(owner.get(f"/api/v1/videos/{video['uuid']}/comment-threads/{reply['id']}"), 400)


def test_someone_elses_comment(server, owner, stranger, video, thread):
    base = f"/api/v1/videos/{video['uuid']}"
    assert_problem(stranger.delete(f"{base}/comments/{thread['id']}"), 403)
    # approving needs a held comment first: a public one is a 400 for its owner, a 403 for others
    assert_problem(owner.post(f"{base}/comments/{thread['id']}/approve"), 400)
    held_video = commentable_video(owner, commentsPolicy=3)
    held = post_thread(stranger, held_video, "held")
    assert_problem(stranger.post(f"/api/v1/videos/{held_video['uuid']}/comments/{held['id']}/approve"), 403)


@pytest.mark.parametrize("query,field", [
    ({"start": "-1"}, "start"), ({"start": "99999999999"}, "start"), ({"count": "-1"}, "count"),
    ({"count": "101"}, "count"), ({"count": "100000"}, "count"), ({"sort": "name"}, "sort"),
    ({"sort": "-views"}, "sort"), ({"start": "abc"}, "start")])
def test_thread_list_pagination(server, video, query, field):
    assert_problem(server.anonymous.get(f"/api/v1/videos/{video['uuid']}/comment-threads", params=query), 400, field)


@pytest.mark.parametrize("query,field", [
    ({"start": "-1"}, "start"), ({"count": "1000"}, "count"), ({"sort": "-totalReplies"}, "sort"),
    ({"isLocal": "perhaps"}, "isLocal"), ({"onLocalVideo": "2"}, "onLocalVideo"),
    ({"videoChannelId": "abc"}, "videoChannelId"), ({"videoChannelId": "0"}, "videoChannelId"),
    ({"videoId": "../etc"}, "videoId"), ({"videoId": "x" * 41}, "videoId"), ({"search": "s" * 251}, "search"),
    ({"autoTagOneOf": ["t"] * 101}, "autoTagOneOf")])
def test_instance_list_parameters(server, query, field):
    assert_problem(server.root.get("/api/v1/videos/comments", params=query), 400, field)


def test_instance_list_unknown_filters(server):
    assert_problem(server.root.get("/api/v1/videos/comments", params={"videoId": "999999"}), 404)
    assert_problem(server.root.get("/api/v1/videos/comments", params={"videoId": str(uuid.uuid4())}), 404)
    assert_problem(server.root.get("/api/v1/videos/comments", params={"videoChannelId": "999999"}), 404)


@pytest.mark.parametrize("query,field", [
    ({"isHeldForReview": "maybe"}, "isHeldForReview"), ({"count": "101"}, "count"), ({"sort": "text"}, "sort"),
    ({"videoChannelId": "-3"}, "videoChannelId")])
def test_my_videos_list_parameters(server, owner, query, field):
    assert_problem(owner.get("/api/v1/users/me/videos/comments", params=query), 400, field)


def test_my_videos_list_of_someone_else(server, owner, stranger, video):
    assert_problem(stranger.get("/api/v1/users/me/videos/comments", params={"videoId": video["uuid"]}), 403)
    assert_problem(stranger.get("/api/v1/users/me/videos/comments", params={"videoId": "999999"}), 404)
    # a moderator sees the comments of any video
    assert server.root.get("/api/v1/users/me/videos/comments", params={"videoId": video["uuid"]}).status_code == 200
