"""Comments and actor changes sent by peers shaped like real Mastodon and PeerTube instances (a
`FakePeer` on loopback, signing as they do), received by a real Vidpub server: stored, threaded,
sanitised, deleted only by who may, and actor profile changes and deletions applied."""

from __future__ import annotations

import uuid

from tests.federation.conftest import wait_until
from tests.support.comments import commentable_video, thread_tree, threads
from vidpub.federation.context import AS_PUBLIC


def _video_url(server, video: dict) -> str:
    return f"{server.url}/videos/watch/{video['uuid']}"


def _mastodon_note(peer, author, in_reply_to: str, html: str, mention: str | None = None) -> dict:
    status_id = uuid.uuid4().int % 10**17
    note_id = f"{author.url}/statuses/{status_id}"
    return {
        "id": note_id, "type": "Note", "summary": None, "inReplyTo": in_reply_to,
        "published": "2024-03-02T08:30:00Z", "url": f"{peer.url}/@{author.name}/{status_id}",
        "attributedTo": author.url, "to": [AS_PUBLIC], "cc": [f"{author.url}/followers"] + ([mention] if mention else []),
        "sensitive": False, "atomUri": note_id, "inReplyToAtomUri": in_reply_to,
        "content": html, "contentMap": {"en": html}, "attachment": [],
        "tag": [{"type": "Mention", "href": mention, "name": "@someone"}] if mention else [],
    }


def _peertube_note(author, comment_url: str, in_reply_to: str, text: str) -> dict:
    return {
        "type": "Note", "id": comment_url, "content": text, "mediaType": "text/markdown", "inReplyTo": in_reply_to,
        "updated": "2024-03-01T10:00:01.000Z", "published": "2024-03-01T10:00:00.000Z", "url": comment_url,
        "attributedTo": author.url, "replyApproval": None, "tag": [], "to": [AS_PUBLIC],
        "cc": [f"{author.url}/followers"],
    }


def _create(note: dict) -> dict:
    return {"@context": ["https://www.w3.org/ns/activitystreams"], "id": f"{note['id']}/activity", "type": "Create",
            "actor": note["attributedTo"], "published": note["published"], "to": note["to"], "cc": note["cc"],
            "object": note}


def _post(peer, server, activity: dict, actor) -> None:
    response = peer.post(f"{server.url}/inbox", activity, actor)
    assert response.status_code in (200, 202, 204), response.text


def test_a_mastodon_reply_becomes_a_sanitised_comment_thread(server_a, fake_peer, unique):
    owner = server_a.create_user(f"mastoown{unique}")
    video = commentable_video(owner)
    carol = fake_peer.add_actor(f"carol{unique}")
    html = ('<p><span class="h-card"><a href="https://x.example/@bob" class="u-url mention">@<span>bob</span></a>'
            '</span> great <script>alert(1)</script><a href="javascript:alert(2)" onclick="x()">work</a></p>')
    _post(fake_peer, server_a, _create(_mastodon_note(fake_peer, carol, _video_url(server_a, video), html)), carol)

    listed = wait_until(lambda: threads(server_a.anonymous, video)["data"], what="Mastodon reply stored")
    comment = listed[0]
    assert comment["account"]["name"] == carol.name and comment["account"]["host"] == fake_peer.host
    assert "great" in comment["text"] and "work" in comment["text"]
    assert "<script" not in comment["text"] and "javascript:" not in comment["text"] and "onclick" not in comment["text"]
    assert comment["inReplyToCommentId"] is None and not comment["isDeleted"]
    assert server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["comments"] == 1


def test_a_peertube_reply_is_threaded_by_walking_in_reply_to(server_a, fake_peer, unique):
    owner = server_a.create_user(f"walkown{unique}")
    video = commentable_video(owner)
    dave = fake_peer.add_actor(f"dave{unique}")
    erin = fake_peer.add_actor(f"erin{unique}")
    # the first comment is only served, never sent: the server must fetch it while threading the reply
    first_url = f"{fake_peer.url}/videos/watch/x/comments/1"
    first = _peertube_note(dave, first_url, _video_url(server_a, video), "first **words**")
    fake_peer.serve("/videos/watch/x/comments/1", first)
    reply = _peertube_note(erin, f"{fake_peer.url}/videos/watch/x/comments/2", first_url, "an answer")
    _post(fake_peer, server_a, _create(reply), erin)

    data = wait_until(lambda: threads(server_a.anonymous, video)["data"], what="thread stored")
    assert [c["account"]["name"] for c in data] == [dave.name]
    tree = thread_tree(server_a.anonymous, video, data[0]["id"])
    assert "<strong>words</strong>" in tree["comment"]["text"]
    assert [child["comment"]["text"] for child in tree["children"]] == ["<p>an answer</p>"]
    assert tree["children"][0]["comment"]["account"]["name"] == erin.name
    assert server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["comments"] == 2

    # only the author (or the video's owner) deletes a comment: erin cannot delete dave's
    forged = {"id": f"{first_url}/delete", "type": "Delete", "actor": erin.url, "object": first_url,
              "to": [AS_PUBLIC]}
    _post(fake_peer, server_a, forged, erin)
    deletion = {"id": f"{reply['id']}/delete", "type": "Delete", "actor": erin.url, "object": reply["id"],
                "to": [AS_PUBLIC]}
    _post(fake_peer, server_a, deletion, erin)
    tree = wait_until(lambda: (lambda t: t if t["children"][0]["comment"]["isDeleted"] else None)(
        thread_tree(server_a.anonymous, video, data[0]["id"])), what="reply deleted")
    assert not tree["comment"]["isDeleted"] and tree["comment"]["account"]["name"] == dave.name
    assert tree["children"][0]["comment"]["account"] is None and tree["children"][0]["comment"]["text"] == ""
    assert server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["comments"] == 1


def test_unusable_comments_are_not_stored(server_a, fake_peer, unique):
    owner = server_a.create_user(f"badown{unique}")
    video = commentable_video(owner)
    closed = commentable_video(owner, commentsPolicy=2)
    frank = fake_peer.add_actor(f"frank{unique}")
    grace = fake_peer.add_actor(f"grace{unique}")
    # followers-only, on a video whose comments are closed, attributed to someone else than the sender
    private = _mastodon_note(fake_peer, frank, _video_url(server_a, video), "<p>psst</p>")
    private["to"], private["cc"] = [f"{frank.url}/followers"], []
    _post(fake_peer, server_a, _create(private), frank)
    _post(fake_peer, server_a, _create(_mastodon_note(fake_peer, frank, _video_url(server_a, closed), "<p>x</p>")),
          frank)
    impostor = _create(_mastodon_note(fake_peer, frank, _video_url(server_a, video), "<p>not mine</p>"))
    impostor["actor"] = grace.url
    _post(fake_peer, server_a, impostor, grace)
    # a good one last: once it is there, the others had their turn (activities run in arrival order)
    _post(fake_peer, server_a, _create(_mastodon_note(fake_peer, grace, _video_url(server_a, video), "<p>ok</p>")),
          grace)
    data = wait_until(lambda: threads(server_a.anonymous, video)["data"], what="the good comment")
    assert [c["text"] for c in data] == ["<p>ok</p>"]
    owner_view = owner.get(f"/api/v1/videos/{closed['uuid']}").json()
    assert owner_view["comments"] == 0


def test_actor_update_and_deletion(server_a, fake_peer, unique):
    owner = server_a.create_user(f"actown{unique}")
    video = commentable_video(owner)
    heidi = fake_peer.add_actor(f"heidi{unique}")
    _post(fake_peer, server_a, _create(_mastodon_note(fake_peer, heidi, _video_url(server_a, video), "<p>hi</p>")),
          heidi)
    wait_until(lambda: threads(server_a.anonymous, video)["data"], what="comment stored")
    handle = f"{heidi.name}@{fake_peer.host}"
    assert server_a.anonymous.get(f"/api/v1/accounts/{handle}").json()["displayName"] == heidi.name.title()

    updated = {**heidi.document, "name": "Heidi Renamed", "summary": "new bio"}
    fake_peer.serve(f"/accounts/{heidi.name}", updated)
    _post(fake_peer, server_a, {"id": f"{heidi.url}/updates/1", "type": "Update", "actor": heidi.url,
                                "object": updated, "to": [AS_PUBLIC]}, heidi)
    account = wait_until(lambda: (lambda a: a if a.get("displayName") == "Heidi Renamed" else None)(
        server_a.anonymous.get(f"/api/v1/accounts/{handle}").json()), what="profile updated")
    assert account["description"] == "new bio"

    # someone else cannot update heidi; heidi's next update (processed after it) shows it was ignored
    ivan = fake_peer.add_actor(f"ivan{unique}")
    _post(fake_peer, server_a, {"id": f"{ivan.url}/updates/1", "type": "Update", "actor": ivan.url,
                                "object": {**updated, "name": "Hijacked"}, "to": [AS_PUBLIC]}, ivan)
    _post(fake_peer, server_a, {"id": f"{heidi.url}/updates/2", "type": "Update", "actor": heidi.url,
                                "object": {**updated, "summary": "second bio"}, "to": [AS_PUBLIC]}, heidi)
    account = wait_until(lambda: (lambda a: a if a.get("description") == "second bio" else None)(
        server_a.anonymous.get(f"/api/v1/accounts/{handle}").json()), what="second update")
    assert account["displayName"] == "Heidi Renamed"

    _post(fake_peer, server_a, {"id": f"{heidi.url}/delete", "type": "Delete", "actor": heidi.url,
                                "object": heidi.url, "to": [AS_PUBLIC]}, heidi)
    wait_until(lambda: server_a.anonymous.get(f"/api/v1/accounts/{handle}").status_code == 404,
               what="actor deleted")
    assert threads(server_a.anonymous, video)["total"] == 0
    assert server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["comments"] == 0
