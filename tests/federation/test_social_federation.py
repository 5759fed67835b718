"""Comments and playlists between three real servers: B and C follow A (instance follows).

- A comment written on B under A's video reaches A (the origin) and, forwarded by A, C; A's answer
  reaches B (the author answered) and C; a deletion on B tombstones the comment everywhere.
- A comment written on A under its own video reaches B and C; B's answer reaches A and, forwarded, C.
- A public playlist of A appears on B with its video; its renaming follows; made private, it goes.
"""

from __future__ import annotations

import uuid

import pytest

from tests.federation.conftest import follow_instance, host_of, wait_until
from tests.support.comments import post_reply, post_thread, thread_tree, threads
from tests.support.media import make_image
from tests.support.playlists import PRIVATE, add_video, create_playlist
from tests.support.published_videos import published_video
from tests.support.server import ServerProcess


@pytest.fixture(scope="module")
def followers_of_a(server_a, server_b, server_c):
    follow_instance(server_b, server_a)
    follow_instance(server_c, server_a)
    return server_a, server_b, server_c


def _user(server: ServerProcess, prefix: str, unique: str):
    return server.create_user(f"{prefix}{unique}{uuid.uuid4().hex[:4]}")


def _known(server: ServerProcess, video: dict) -> bool:
    return server.anonymous.get(f"/api/v1/videos/{video['uuid']}").status_code == 200


def _thread_with(server: ServerProcess, video: dict, text: str) -> dict | None:
    return next((c for c in threads(server.anonymous, video, count=100)["data"] if text in c["text"]), None)


def _replies(server: ServerProcess, video: dict, thread_id: int) -> list[dict]:
    return [child["comment"] for child in thread_tree(server.anonymous, video, thread_id)["children"]]


def _published_on_a(followers_of_a, unique, **fields):
    server_a, server_b, server_c = followers_of_a
    alice = _user(server_a, "alice", unique)
    video = published_video(alice, **fields)
    for follower in (server_b, server_c):
        wait_until(lambda follower=follower: _known(follower, video), what=f"video on {host_of(follower)}")
    return alice, video


def test_a_comment_from_a_follower_reaches_the_origin_and_the_other_followers(followers_of_a, unique):
    server_a, server_b, server_c = followers_of_a
    alice, video = _published_on_a(followers_of_a, unique)
    bob = _user(server_b, "bob", unique)
    text = f"from B {unique}"
    post_thread(bob, video, text)

    on_a = wait_until(lambda: _thread_with(server_a, video, text), what="comment on the origin")
    assert on_a["account"]["host"] == host_of(server_b) and on_a["account"]["name"].startswith("bob")
    on_c = wait_until(lambda: _thread_with(server_c, video, text), what="comment forwarded to C")
    assert on_c["account"]["host"] == host_of(server_b)

    # the video's owner answers on A: B (the author answered) and C get the reply in the thread
    answer = f"answer from A {unique}"
    post_reply(alice, video, on_a["id"], answer)
    for server in (server_b, server_c):
        thread = wait_until(lambda server=server: _thread_with(server, video, text), what="thread")
        replies = wait_until(lambda server=server, thread=thread: [
            reply for reply in _replies(server, video, thread["id"]) if answer in reply["text"]],
            what=f"reply on {host_of(server)}")
        assert replies[0]["account"]["host"] == host_of(server_a)
        assert replies[0]["inReplyToCommentId"] == thread["id"]

    # the author deletes it on B: a tombstone on A and C, the reply still under it
    mine = _thread_with(server_b, video, text)
    assert bob.delete(f"/api/v1/videos/{video['uuid']}/comments/{mine['id']}").status_code == 204
    for server in (server_a, server_c):
        deleted = wait_until(lambda server=server: next(
            (c for c in threads(server.anonymous, video, count=100)["data"]
             if c["url"] == on_a["url"] and c["isDeleted"]), None), what=f"tombstone on {host_of(server)}")
        assert deleted["account"] is None and deleted["text"] == ""
        assert any(answer in reply["text"] for reply in _replies(server, video, deleted["id"]))


def test_a_comment_on_the_origin_reaches_followers_and_their_replies_come_back(followers_of_a, unique):
    server_a, server_b, server_c = followers_of_a
    alice, video = _published_on_a(followers_of_a, unique)
    text = f"from A {unique}"
    post_thread(alice, video, text)
    on_b = wait_until(lambda: _thread_with(server_b, video, text), what="comment on B")
    wait_until(lambda: _thread_with(server_c, video, text), what="comment on C")
    assert on_b["account"]["host"] == host_of(server_a)

    carol = _user(server_b, "carol", unique)
    answer = f"reply from B {unique}"
    post_reply(carol, video, on_b["id"], answer)
    for server in (server_a, server_c):
        thread = _thread_with(server, video, text)
        replies = wait_until(lambda server=server, thread=thread: [
            reply for reply in _replies(server, video, thread["id"]) if answer in reply["text"]],
            what=f"reply on {host_of(server)}")
        assert replies[0]["account"]["host"] == host_of(server_b)
    counted = server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["comments"]
    assert counted == 2


def _remote_playlist(server: ServerProcess, playlist_uuid: str) -> dict | None:
    response = server.anonymous.get(f"/api/v1/video-playlists/{playlist_uuid}")
    return response.json() if response.status_code == 200 else None


def test_a_public_playlist_federates_with_its_videos_and_its_changes(followers_of_a, unique, tmp_path):
    server_a, server_b, _server_c = followers_of_a
    alice, video = _published_on_a(followers_of_a, unique)
    playlist = create_playlist(alice, displayName=f"fed playlist {unique}", description="shared with followers")
    add_video(alice, playlist["uuid"], video["uuid"])

    copy = wait_until(lambda: (found := _remote_playlist(server_b, playlist["uuid"])) and found["videosLength"] == 1
                      and found, what="playlist with its video on B")
    assert copy["isLocal"] is False and copy["displayName"] == f"fed playlist {unique}"
    assert copy["description"] == "shared with followers" and copy["privacy"]["id"] == 1
    assert copy["ownerAccount"]["host"] == host_of(server_a)
    assert copy["videoChannel"]["host"] == host_of(server_a)
    listed = server_b.anonymous.get(f"/api/v1/video-playlists/{playlist['uuid']}/videos").json()
    assert [item["video"]["uuid"] for item in listed["data"]] == [video["uuid"]]
    # the miniature (copied on A from the video's) is fetched from A on its first request on B
    original = _remote_playlist(server_a, playlist["uuid"])
    miniature = server_a.anonymous.get(original["thumbnailPath"])
    assert miniature.status_code == 200 and miniature.content
    copy = _remote_playlist(server_b, playlist["uuid"])
    assert copy["thumbnailPath"] and copy["thumbnailPath"] != original["thumbnailPath"]
    assert [(t["width"], t["height"]) for t in copy["thumbnails"]] == \
        [(t["width"], t["height"]) for t in original["thumbnails"]]
    served = server_b.anonymous.get(copy["thumbnailPath"])
    assert served.status_code == 200 and served.content == miniature.content
    assert served.headers["content-type"].startswith("image/")

    renamed = f"renamed {unique}"
    response = alice.put(f"/api/v1/video-playlists/{playlist['uuid']}", data={"displayName": renamed},
                         files={"unused": ("", b"", "application/octet-stream")})
    assert response.status_code == 204, response.text
    renamed_copy = wait_until(
        lambda: (found := _remote_playlist(server_b, playlist["uuid"])) and found["displayName"] == renamed and found,
        what="renaming on B")
    assert renamed_copy["thumbnailPath"] == copy["thumbnailPath"], "the same icon keeps its fetched file"

    image = make_image(tmp_path / "miniature.png", 640, 360, "purple")
    response = alice.put(f"/api/v1/video-playlists/{playlist['uuid']}",
                         files={"thumbnailfile": ("miniature.png", image.read_bytes(), "image/png")})
    assert response.status_code == 204, response.text
    uploaded = server_a.anonymous.get(_remote_playlist(server_a, playlist["uuid"])["thumbnailPath"]).content
    new_copy = wait_until(
        lambda: (found := _remote_playlist(server_b, playlist["uuid"]))
        and found["thumbnailPath"] != copy["thumbnailPath"] and found, what="new miniature on B")
    assert server_b.anonymous.get(new_copy["thumbnailPath"]).content == uploaded != miniature.content
    assert server_b.anonymous.get(copy["thumbnailPath"]).status_code == 404, "the former file is not served"
    copy = new_copy

    response = alice.put(f"/api/v1/video-playlists/{playlist['uuid']}", data={"privacy": str(PRIVATE)},
                         files={"unused": ("", b"", "application/octet-stream")})
    assert response.status_code == 204, response.text
    wait_until(lambda: _remote_playlist(server_b, playlist["uuid"]) is None, what="private playlist gone from B")
    assert server_b.anonymous.get(copy["thumbnailPath"]).status_code == 404, "its fetched miniature went with it"


def test_search_by_playlist_url_resolves_a_remote_playlist_for_users(server_a, server_c, unique):
    owner = _user(server_c, "pls", unique)
    video = published_video(owner)
    playlist = create_playlist(owner, displayName=f"searched {unique}")
    add_video(owner, playlist["uuid"], video["uuid"])
    url = f"{server_c.url}/video-playlists/{playlist['uuid']}"
    assert _remote_playlist(server_a, playlist["uuid"]) is None
    # anonymous callers may not make the instance fetch (search.remote_uri.anonymous: false)
    anonymous = server_a.anonymous.get("/api/v1/search/video-playlists", params={"search": url})
    assert anonymous.status_code == 200 and anonymous.json()["total"] == 0
    searcher = _user(server_a, "seeker", unique)
    found = searcher.get("/api/v1/search/video-playlists", params={"search": url})
    assert found.status_code == 200, found.text
    assert [item["uuid"] for item in found.json()["data"]] == [playlist["uuid"]]
    stored = _remote_playlist(server_a, playlist["uuid"])
    assert stored["isLocal"] is False and stored["videosLength"] == 1
    assert stored["ownerAccount"]["host"] == host_of(server_c)


def _comment_seen_by(client, video: dict, text: str) -> dict | None:
    response = client.get(f"/api/v1/videos/{video['uuid']}/comment-threads", params={"count": 100})
    assert response.status_code == 200, response.text
    return next((c for c in response.json()["data"] if text in c["text"]), None)


def test_a_reply_held_by_the_origin_is_public_once_approved(followers_of_a, unique):
    server_a, server_b, server_c = followers_of_a
    alice, video = _published_on_a(followers_of_a, unique, commentsPolicy=3)
    bob = _user(server_b, "held", unique)
    text = f"needs approval {unique}"
    post_thread(bob, video, text)
    assert _comment_seen_by(bob, video, text)["heldForReview"] is True
    held = wait_until(lambda: _comment_seen_by(alice, video, text), what="held comment on the origin")
    assert held["heldForReview"] is True
    assert _comment_seen_by(server_a.anonymous, video, text) is None
    assert server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["comments"] == 0

    response = alice.post(f"/api/v1/videos/{video['uuid']}/comments/{held['id']}/approve")
    assert response.status_code == 204, response.text
    assert _comment_seen_by(server_a.anonymous, video, text)["heldForReview"] is False
    wait_until(lambda: (c := _comment_seen_by(bob, video, text)) and c["heldForReview"] is False,
               what="approval on the author's server")
    wait_until(lambda: _comment_seen_by(server_b.anonymous, video, text), what="public on B")
    on_c = wait_until(lambda: _comment_seen_by(server_c.anonymous, video, text), what="approved reply on C")
    assert on_c["account"]["host"] == host_of(server_b) and on_c["heldForReview"] is False
