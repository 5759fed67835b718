"""Videos between three real servers: B and C follow A (instance follows). A new video of A appears
on B and C with files that play from A; its update and its deletion reach them; likes from B are
counted on A and forwarded to C, and undone; views watched on B reach A and, aggregated, C."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.federation.conftest import follow_instance, host_of, wait_until
from tests.support.published_videos import clip, published_video
from tests.support.database import enqueue_job, run_sql
from tests.support.media import make_image
from tests.support.server import ServerProcess
from tests.support.videos import upload_video, wait_for_state


@pytest.fixture(scope="module")
def followers_of_a(server_a, server_b, server_c):
    follow_instance(server_b, server_a)
    follow_instance(server_c, server_a)
    return server_a, server_b, server_c


def _remote_copy(server: ServerProcess, video_uuid: str) -> dict | None:
    response = server.anonymous.get(f"/api/v1/videos/{video_uuid}")
    return response.json() if response.status_code == 200 else None


def _wait_for_copy(server: ServerProcess, video_uuid: str, predicate=lambda video: True, what: str = "copy") -> dict:
    return wait_until(lambda: (copy := _remote_copy(server, video_uuid)) is not None and predicate(copy) and copy,
                      what=f"{what} of {video_uuid} on {host_of(server)}")


def _file_urls(video: dict) -> set[str]:
    files = video["files"] + [f for playlist in video["streamingPlaylists"] for f in playlist["files"]]
    return {file["fileUrl"] for file in files}


def _publish(server: ServerProcess, unique: str, **fields) -> tuple[object, dict]:
    user = server.create_user(f"pub{unique}{uuid.uuid4().hex[:4]}")
    return user, published_video(user, **fields)


def test_a_new_video_appears_on_followers_with_files_playing_from_the_origin(followers_of_a, unique):
    server_a, server_b, server_c = followers_of_a
    user, video = _publish(server_a, unique, name=f"federated {unique}", tags=["fedtag"], category=15)
    def origin() -> dict:
        return user.get(f"/api/v1/videos/{video['uuid']}").json()

    for follower in (server_b, server_c):
        # a video is published before its whole ladder is transcoded: it reaches peers first with some
        # files, then with the others; wait for the copy to name the same files as the origin does now
        copy = _wait_for_copy(follower, video["uuid"], lambda v: _file_urls(v) == _file_urls(origin()), "files")
        original = origin()
        assert copy["isLocal"] is False and copy["name"] == f"federated {unique}"
        assert copy["category"]["id"] == 15 and copy["tags"] == ["fedtag"]
        assert copy["account"]["host"] == host_of(server_a) and copy["channel"]["host"] == host_of(server_a)
        assert copy["duration"] == original["duration"]
        # in the follower's lists too
        listed = follower.anonymous.get("/api/v1/videos", params={"isLocal": "false", "count": 100}).json()
        assert video["uuid"] in [item["uuid"] for item in listed["data"]]
        # the files are the origin's: fetch one from the URL the follower gives
        files = copy["files"] + [f for playlist in copy["streamingPlaylists"] for f in playlist["files"]]
        assert files, copy
        for file in files:
            assert file["fileUrl"].startswith(server_a.url), file["fileUrl"]
        first = files[0]
        played = httpx.get(first["fileUrl"], timeout=30)
        assert played.status_code == 200 and len(played.content) == first["size"] > 0
        # the thumbnail is the origin's, fetched on first request and then served by the follower
        assert copy["thumbnailPath"] and copy["thumbnailPath"] != original["thumbnailPath"]
        image = httpx.get(follower.url + copy["thumbnailPath"], timeout=30)
        assert image.status_code == 200
        assert image.content == httpx.get(server_a.url + original["thumbnailPath"], timeout=30).content
        if copy["streamingPlaylists"]:
            playlist = copy["streamingPlaylists"][0]
            assert playlist["playlistUrl"].startswith(server_a.url)
            master = httpx.get(playlist["playlistUrl"], timeout=30)
            assert master.status_code == 200 and master.text.startswith("#EXTM3U")
            rendition = httpx.get(playlist["files"][0]["playlistUrl"], timeout=30)
            assert rendition.status_code == 200 and "#EXTINF" in rendition.text


def test_updates_and_deletion_reach_the_followers(followers_of_a, unique, tmp_path):
    server_a, server_b, server_c = followers_of_a
    user, video = _publish(server_a, unique)
    first_copy = _wait_for_copy(server_b, video["uuid"])
    assert server_b.anonymous.get(first_copy["thumbnailPath"]).status_code == 200  # B fetches A's image
    cover = make_image(tmp_path / "cover.png", 640, 360, color="blue")
    with cover.open("rb") as thumbnail:
        response = user.put(f"/api/v1/videos/{video['uuid']}", data={"name": f"renamed {unique}",
                                                                      "description": "new words"},
                            files={"thumbnailfile": ("cover.png", thumbnail, "image/png")})
    assert response.status_code == 204, response.text
    copy = _wait_for_copy(server_b, video["uuid"], lambda v: v["name"] == f"renamed {unique}", "update")
    assert copy["description"] == "new words"
    # the new miniature is served from a new path; the former file is gone from B's disk
    assert copy["thumbnailPath"] != first_copy["thumbnailPath"]
    new_miniature = server_a.anonymous.get(_remote_copy(server_a, video["uuid"])["thumbnailPath"]).content
    assert server_b.anonymous.get(copy["thumbnailPath"]).content == new_miniature
    assert server_b.anonymous.get(first_copy["thumbnailPath"]).status_code == 404
    _wait_for_copy(server_c, video["uuid"], lambda v: v["name"] == f"renamed {unique}", "update")

    assert user.delete(f"/api/v1/videos/{video['uuid']}").status_code == 204
    for follower in (server_b, server_c):
        wait_until(lambda f=follower: _remote_copy(f, video["uuid"]) is None,
                   what=f"deletion on {host_of(follower)}")


def test_a_video_made_private_is_deleted_on_followers(followers_of_a, unique):
    server_a, server_b, _ = followers_of_a
    user, video = _publish(server_a, unique)
    _wait_for_copy(server_b, video["uuid"])
    assert user.put(f"/api/v1/videos/{video['uuid']}", json={"privacy": 3}).status_code == 204
    wait_until(lambda: _remote_copy(server_b, video["uuid"]) is None, what="private video gone from B")


def _counts(server: ServerProcess, video_uuid: str) -> tuple[int, int]:
    video = server.anonymous.get(f"/api/v1/videos/{video_uuid}").json()
    return video["likes"], video["dislikes"]


def test_likes_are_counted_at_the_origin_and_forwarded_then_undone(followers_of_a, unique):
    server_a, server_b, server_c = followers_of_a
    _, video = _publish(server_a, unique)
    _wait_for_copy(server_b, video["uuid"])
    _wait_for_copy(server_c, video["uuid"])
    fan = server_b.create_user(f"fan{unique}")
    assert fan.put(f"/api/v1/videos/{video['uuid']}/rate", json={"rating": "like"}).status_code == 204
    assert _counts(server_b, video["uuid"]) == (1, 0)
    wait_until(lambda: _counts(server_a, video["uuid"]) == (1, 0), what="like counted on the origin")
    wait_until(lambda: _counts(server_c, video["uuid"]) == (1, 0), what="like forwarded to C")

    assert fan.put(f"/api/v1/videos/{video['uuid']}/rate", json={"rating": "dislike"}).status_code == 204
    wait_until(lambda: _counts(server_a, video["uuid"]) == (0, 1), what="dislike on the origin")
    wait_until(lambda: _counts(server_c, video["uuid"]) == (0, 1), what="dislike forwarded to C")

    assert fan.put(f"/api/v1/videos/{video['uuid']}/rate", json={"rating": "none"}).status_code == 204
    wait_until(lambda: _counts(server_a, video["uuid"]) == (0, 0), what="undo on the origin")
    wait_until(lambda: _counts(server_c, video["uuid"]) == (0, 0), what="undo forwarded to C")

    # the origin's likes collection names the remote rate
    likes = httpx.get(f"{server_a.url}/videos/watch/{video['uuid']}/dislikes",
                      headers={"Accept": "application/activity+json"}, timeout=30).json()
    assert likes["type"] == "OrderedCollection" and likes["totalItems"] == 0


def test_a_local_like_reaches_the_followers_copies(followers_of_a, unique):
    server_a, server_b, _ = followers_of_a
    user, video = _publish(server_a, unique)
    _wait_for_copy(server_b, video["uuid"])
    assert user.put(f"/api/v1/videos/{video['uuid']}/rate", json={"rating": "like"}).status_code == 204
    wait_until(lambda: _counts(server_b, video["uuid"]) == (1, 0), what="origin's like on B")


def test_views_on_a_copy_reach_the_origin_and_in_aggregate_the_other_followers(followers_of_a, unique):
    server_a, server_b, server_c = followers_of_a
    _, video = _publish(server_a, unique)
    _wait_for_copy(server_b, video["uuid"])
    _wait_for_copy(server_c, video["uuid"])
    for viewer in ("viewer-one", "viewer-two"):
        for current_time in (0, 4):
            response = server_b.anonymous.post(f"/api/v1/videos/{video['uuid']}/views",
                                               json={"currentTime": current_time, "sessionId": viewer})
            assert response.status_code == 204, response.text
    # B counts at once, but the origin's aggregated Update (sent after the first View reached it) may
    # briefly set B's copy back to the origin's count: B converges once the origin has both views.
    wait_until(lambda: server_b.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["views"] == 2,
               what="views counted on the copy")
    wait_until(lambda: server_a.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["views"] == 2,
               what="views counted on the origin")
    wait_until(lambda: server_c.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["views"] == 2,
               what="aggregated views on C")


def test_viewers_and_sessions_on_a_copy_reach_the_origin(followers_of_a, unique):
    """PeerTube's viewer counters (protocol v2): B's viewer is sent to A, the origin, as a `View` with
    `expires`; A counts it with its own viewers and sends the total to its followers, which show it
    (B's own viewer included, not counted twice). B keeps its viewer's session until it ends (an hour
    without reports, moved back here), then sends it to A as a `Create WatchAction`: A's statistics
    of its video count it."""
    server_a, server_b, server_c = followers_of_a
    owner, video = _publish(server_a, unique)
    _wait_for_copy(server_b, video["uuid"])
    _wait_for_copy(server_c, video["uuid"])

    def viewers(server: ServerProcess) -> int:
        return server.anonymous.get(f"/api/v1/videos/{video['uuid']}").json()["viewers"]

    session_id = f"watcher-{unique}"
    for current_time in (0, 2, 4):
        response = server_b.anonymous.post(f"/api/v1/videos/{video['uuid']}/views",
                                           json={"currentTime": current_time, "sessionId": session_id})
        assert response.status_code == 204, response.text
    assert viewers(server_b) == 1
    wait_until(lambda: viewers(server_a) == 1, what="B's viewer counted on the origin")
    watching = {"currentTime": 1, "sessionId": session_id}
    assert server_a.anonymous.post(f"/api/v1/videos/{video['uuid']}/views", json=watching).status_code == 204
    assert viewers(server_a) == 2  # a viewer of A's own, under the same session id: another viewer
    wait_until(lambda: viewers(server_c) == 2, what="the origin's count on C")
    wait_until(lambda: viewers(server_b) == 2, what="the origin's count on B")

    sessions_on_b = ("SELECT count(*) FROM local_video_viewer JOIN video ON video.id = local_video_viewer.video_id "
                     "WHERE video.uuid = :uuid")
    assert run_sql(server_b, sessions_on_b, {"uuid": video["uuid"]})[0][0] == 1
    run_sql(server_b, "UPDATE local_video_viewer SET start_date = :started, end_date = :ended WHERE video_id = "
                      "(SELECT id FROM video WHERE uuid = :uuid)",
            {"started": datetime.now(UTC) - timedelta(hours=2, seconds=4),
             "ended": datetime.now(UTC) - timedelta(hours=2), "uuid": video["uuid"]})

    def overall() -> dict:
        response = owner.get(f"/api/v1/videos/{video['uuid']}/stats/overall")
        assert response.status_code == 200, response.text
        return response.json()

    before = overall()  # A's own viewer's session
    enqueue_job(server_b, "remove-expired-viewers")
    stats = wait_until(lambda: (found := overall())["totalViewers"] == before["totalViewers"] + 1 and found,
                       what="B's session on A")
    assert stats["totalWatchTime"] == before["totalWatchTime"] + 4
    wait_until(lambda: run_sql(server_b, sessions_on_b, {"uuid": video["uuid"]})[0][0] == 0,
               what="the session forgotten on B once sent")


def test_the_video_document_is_served_to_activitypub_clients(followers_of_a, unique):
    server_a, _, _ = followers_of_a
    _, video = _publish(server_a, unique)
    url = f"{server_a.url}/videos/watch/{video['uuid']}"
    response = httpx.get(url, headers={"Accept": "application/activity+json"}, timeout=30)
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/activity+json")
    document = response.json()
    assert document["@context"][0] == "https://www.w3.org/ns/activitystreams"
    assert document["type"] == "Video" and document["id"] == url and document["uuid"] == video["uuid"]
    activity = httpx.get(f"{url}/activity", headers={"Accept": "application/activity+json"}, timeout=30).json()
    assert activity["type"] == "Create" and activity["object"]["id"] == url
    private_user, private = _publish(server_a, unique + "p", privacy=3)
    hidden = httpx.get(f"{server_a.url}/videos/watch/{private['uuid']}",
                       headers={"Accept": "application/activity+json"}, timeout=30)
    assert hidden.status_code == 404


def test_unlisted_and_private_videos_are_not_federated_by_default(followers_of_a, unique):
    server_a, server_b, _ = followers_of_a
    user = server_a.create_user(f"quiet{unique}")
    unlisted = published_video(user, privacy=2)
    private = published_video(user, privacy=3)
    marker = published_video(user)  # federated after the two others: once it is there, they would be too
    _wait_for_copy(server_b, marker["uuid"])
    assert _remote_copy(server_b, unlisted["uuid"]) is None and _remote_copy(server_b, private["uuid"]) is None


def test_outboxes_list_the_create_of_the_accounts_videos_and_the_announce_of_the_channels(followers_of_a, unique):
    server_a, server_b, _ = followers_of_a
    user, video = _publish(server_a, unique)
    _wait_for_copy(server_b, video["uuid"])  # federated: the channel's Announce is recorded by then
    name = user.get("/api/v1/users/me").json()["username"]
    headers = {"Accept": "application/activity+json"}
    outbox = httpx.get(f"{server_a.url}/accounts/{name}/outbox", headers=headers, timeout=30).json()
    assert outbox["type"] == "OrderedCollection" and outbox["totalItems"] == 1
    page = httpx.get(outbox["first"], headers=headers, timeout=30).json()
    [item] = page["orderedItems"]
    assert item["type"] == "Create" and item["object"]["uuid"] == video["uuid"]
    details = user.get(f"/api/v1/videos/{video['uuid']}").json()
    channel = details["channel"]["name"]
    page = httpx.get(f"{server_a.url}/video-channels/{channel}/outbox?page=1", headers=headers, timeout=30).json()
    [item] = page["orderedItems"]
    assert item["type"] == "Announce" and item["object"] == details["url"]
    assert item["actor"] == f"{server_a.url}/video-channels/{channel}"


def test_deleting_a_channel_deletes_its_videos_on_followers(followers_of_a, unique):
    server_a, server_b, _ = followers_of_a
    user = server_a.create_user(f"chdel{unique}")
    channel_name = f"doomed_{unique}"
    response = user.post("/api/v1/video-channels", json={"name": channel_name, "displayName": "Doomed"})
    assert response.status_code == 200, response.text
    video = upload_video(user, response.json()["videoChannel"]["id"], clip(), name=f"doomed {unique}", privacy=1)
    wait_for_state(user, video["uuid"])
    _wait_for_copy(server_b, video["uuid"])
    assert user.delete(f"/api/v1/video-channels/{channel_name}").status_code == 204
    wait_until(lambda: _remote_copy(server_b, video["uuid"]) is None, what="channel's video gone from B")


def test_the_origin_shares_a_new_video_and_followers_record_the_share(followers_of_a, unique):
    server_a, server_b, _ = followers_of_a
    _, video = _publish(server_a, unique)
    _wait_for_copy(server_b, video["uuid"])
    headers = {"Accept": "application/activity+json"}
    url = f"{server_a.url}/videos/watch/{video['uuid']}/announces"
    announces = wait_until(lambda: (c := httpx.get(url, headers=headers, timeout=30).json())["totalItems"] == 2 and c,
                           what="the origin's channel and instance shares")
    page = httpx.get(announces["first"], headers=headers, timeout=30).json()
    for share_url in page["orderedItems"]:
        announce = httpx.get(share_url, headers=headers, timeout=30).json()
        assert announce["type"] == "Announce" and announce["object"] == f"{server_a.url}/videos/watch/{video['uuid']}"
    # B follows A's instance actor: it heard (and recorded) that actor's share
    query = ("SELECT count(*) FROM video_share JOIN video ON video.id = video_share.video_id "
             "WHERE video.uuid = :uuid")
    wait_until(lambda: run_sql(server_b, query, {"uuid": video["uuid"]})[0][0] == 1, what="share recorded on B")
