"""One video through the API: its JSON as PeerTube shapes it (checked against the upstream spec with
every documented field required), by id, UUID and short UUID; its description, storyboards and file
metadata; editing it (JSON and multipart, thumbnails, privacy, schedule, channel); deleting it."""

from __future__ import annotations

from pathlib import Path

from tests.api.upstream_spec import schema_errors
from tests.support.media import make_image
from tests.support.published_videos import published_video, video_json
from tests.support.videos import my_channel_id

LONG_DESCRIPTION = "A description long enough to be truncated in lists, " * 10


def _details(client, ref):
    return video_json(client, ref)


def _thumbnail_file(server, video: dict) -> Path:
    return server.data_dir / "storage" / "thumbnails" / video["thumbnailPath"].rsplit("/", 1)[1]


def test_video_details_follow_the_upstream_spec(server, unique):
    owner = server.create_user(f"vd{unique}")
    ref = published_video(owner, name=f"spec video {unique}", description=LONG_DESCRIPTION, category=15,
                          licence=2, language="fr", tags=["flowers", "garden"], support="Support me please",
                          commentsPolicy=3, downloadEnabled=False)
    details = _details(owner, ref["uuid"])
    assert schema_errors("VideoDetails", details) == []
    listed = server.anonymous.get("/api/v1/videos", params={"search": f"spec video {unique}"}).json()
    assert listed["total"] == 1
    assert schema_errors("VideoListResponse", listed) == []

    assert details["id"] == ref["id"] and details["shortUUID"] == ref["shortUUID"]
    assert details["name"] == f"spec video {unique}"
    assert details["category"] == {"id": 15, "label": "Science & Technology"}
    assert details["licence"] == {"id": 2, "label": "Attribution - Share Alike"}
    assert details["language"] == {"id": "fr", "label": "French"}
    assert details["privacy"] == {"id": 1, "label": "Public"}
    assert details["state"] == {"id": 1, "label": "Published"}
    assert details["commentsPolicy"] == {"id": 3, "label": "Requires approval"}
    assert details["commentsEnabled"] is True and details["downloadEnabled"] is False
    assert details["tags"] == ["flowers", "garden"] and details["support"] == "Support me please"
    assert details["description"] == LONG_DESCRIPTION
    assert len(details["truncatedDescription"]) <= 250 and details["truncatedDescription"].endswith("...")
    # lists carry the truncated description only, as PeerTube's (`completeDescription` is for details)
    assert listed["data"][0]["description"] == listed["data"][0]["truncatedDescription"] == details["truncatedDescription"]
    assert details["isLocal"] is True and details["isLive"] is False and details["duration"] == 4
    assert details["embedPath"] == f"/videos/embed/{ref['uuid']}"
    assert details["url"] == f"{server.url}/videos/watch/{ref['uuid']}"
    assert details["account"]["name"] == f"vd{unique}" and details["channel"]["id"] == my_channel_id(owner)
    assert details["channel"]["ownerAccount"]["name"] == f"vd{unique}"
    assert details["trackerUrls"] == [f"ws://127.0.0.1:{server.port}/tracker/socket",
                                      f"{server.url}/tracker/announce"]
    assert {thumb["width"] for thumb in details["thumbnails"]} == {280, 850}
    assert details["thumbnailPath"].startswith("/lazy-static/thumbnails/")
    assert details["previewPath"].startswith("/lazy-static/previews/")

    # default configuration: HLS only, one rendition at the source's resolution
    assert details["files"] == []
    (playlist,) = details["streamingPlaylists"]
    assert playlist["type"] == 1 and playlist["redundancies"] == []
    hls_base = f"{server.url}/static/streaming-playlists/hls/{ref['uuid']}/"
    assert playlist["playlistUrl"].startswith(hls_base) and playlist["playlistUrl"].endswith("-master.m3u8")
    assert playlist["segmentsSha256Url"].endswith("-segments-sha256.json")
    (file,) = playlist["files"]
    assert file["resolution"] == {"id": 90, "label": "90p"}
    assert (file["width"], file["height"], file["fps"]) == (160, 90, 10)
    assert file["hasAudio"] is True and file["hasVideo"] is True and file["storage"] == 0
    assert file["fileUrl"].startswith(hls_base) and file["fileUrl"].endswith("-90-fragmented.mp4")
    assert file["playlistUrl"] == file["fileUrl"].replace("-fragmented.mp4", ".m3u8")
    assert file["fileDownloadUrl"].startswith(f"{server.url}/download/streaming-playlists/hls/videos/")
    assert file["torrentUrl"].startswith(f"{server.url}/lazy-static/torrents/")
    assert file["torrentDownloadUrl"].startswith(f"{server.url}/download/torrents/")
    assert file["magnetUri"].startswith("magnet:?xs=") and "xt=urn:btih:" in file["magnetUri"]
    assert file["metadataUrl"] == f"{server.url}/api/v1/videos/{ref['uuid']}/metadata/{file['id']}"


def test_a_video_is_named_by_id_uuid_or_short_uuid(server, unique):
    owner = server.create_user(f"vref{unique}")
    ref = published_video(owner)
    for name in (ref["id"], ref["uuid"], ref["shortUUID"], ref["uuid"].upper()):
        response = server.anonymous.get(f"/api/v1/videos/{name}")
        assert response.status_code == 200, (name, response.text)
        assert response.json()["uuid"] == ref["uuid"]


def test_description_storyboards_and_file_metadata(server, unique):
    owner = server.create_user(f"vdesc{unique}")
    ref = published_video(owner, description="Full **markdown** description")
    other = published_video(owner)
    description = server.anonymous.get(f"/api/v1/videos/{ref['uuid']}/description")
    assert description.status_code == 200 and description.json() == {"description": "Full **markdown** description"}

    storyboards = server.anonymous.get(f"/api/v1/videos/{ref['uuid']}/storyboards")
    assert storyboards.status_code == 200
    for board in storyboards.json()["storyboards"]:
        assert board["storyboardPath"].startswith("/lazy-static/storyboards/")
        assert board["fileUrl"] == server.url + board["storyboardPath"]
        assert board["spriteDuration"] >= 1 and board["totalWidth"] >= board["spriteWidth"] > 0

    file = _details(owner, ref["uuid"])["streamingPlaylists"][0]["files"][0]
    metadata = server.anonymous.get(file["metadataUrl"])
    assert metadata.status_code == 200, metadata.text
    body = metadata.json()
    assert {stream["codec_type"] for stream in body["streams"]} == {"video", "audio"}
    assert "format" in body and "chapters" in body
    assert server.anonymous.get(f"/api/v1/videos/{other['uuid']}/metadata/{file['id']}").status_code == 404


def test_update_metadata_with_json_keeps_what_is_not_sent(server, unique):
    owner = server.create_user(f"vup{unique}")
    ref = published_video(owner, description="before", tags=["one", "two"], support="help")
    before = _details(owner, ref["uuid"])
    changes = {"name": f"renamed {unique}", "category": 3, "licence": 7, "language": "en", "nsfw": True,
               "nsfwFlags": 1, "nsfwSummary": "some violence", "commentsPolicy": 2, "downloadEnabled": False,
               "tags": ["three"], "originallyPublishedAt": "2001-02-03T04:05:06.000Z", "waitTranscoding": True}
    response = owner.put(f"/api/v1/videos/{ref['uuid']}", json=changes)
    assert response.status_code == 204, response.text

    after = _details(owner, ref["uuid"])
    assert after["name"] == f"renamed {unique}" and after["category"]["id"] == 3 and after["licence"]["id"] == 7
    assert after["language"] == {"id": "en", "label": "English"}
    assert (after["nsfw"], after["nsfwFlags"], after["nsfwSummary"]) == (True, 1, "some violence")
    assert after["commentsPolicy"]["id"] == 2 and after["commentsEnabled"] is False
    assert after["downloadEnabled"] is False and after["tags"] == ["three"] and after["waitTranscoding"] is True
    assert after["originallyPublishedAt"] == "2001-02-03T04:05:06.000Z"
    assert after["description"] == "before" and after["support"] == "help"  # not sent: unchanged
    assert after["updatedAt"] > before["updatedAt"]

    # a urlencoded form works too (PeerTube parses both body kinds)
    response = owner.put(f"/api/v1/videos/{ref['uuid']}", data={"support": "form support", "tags[]": ["x1", "x2"]})
    assert response.status_code == 204, response.text
    after = _details(owner, ref["uuid"])
    assert after["support"] == "form support" and after["tags"] == ["x1", "x2"]

    # explicit nulls clear what may be empty; the deprecated commentsEnabled still works
    response = owner.put(f"/api/v1/videos/{ref['uuid']}",
                         json={"description": None, "tags": [], "language": None, "commentsEnabled": True})
    assert response.status_code == 204, response.text
    after = _details(owner, ref["uuid"])
    assert (after["description"], after["tags"], after["language"]["id"]) == (None, [], None)
    assert after["commentsPolicy"]["id"] == 1


def test_update_with_a_form_and_new_images(server, unique, tmp_path):
    owner = server.create_user(f"vform{unique}")
    ref = published_video(owner)
    before = _details(owner, ref["uuid"])
    old_thumbnail = _thumbnail_file(server, before)
    assert old_thumbnail.is_file()
    image = make_image(tmp_path / "cover.png", 640, 360, "blue")
    with image.open("rb") as thumbnail, image.open("rb") as preview:
        response = owner.put(f"/api/v1/videos/{ref['uuid']}",
                             data={"name": f"form {unique}", "tags[]": ["alpha", "beta"], "privacy": "2"},
                             files={"thumbnailfile": ("cover.png", thumbnail, "image/png"),
                                    "previewfile": ("cover.png", preview, "image/png")})
    assert response.status_code == 204, response.text
    after = _details(owner, ref["uuid"])
    assert after["name"] == f"form {unique}" and after["tags"] == ["alpha", "beta"]
    assert after["privacy"]["id"] == 2
    assert after["thumbnailPath"] != before["thumbnailPath"] and after["previewPath"] != before["previewPath"]
    assert _thumbnail_file(server, after).is_file() and not old_thumbnail.exists()
    assert {(t["width"], t["height"]) for t in after["thumbnails"]} == {(280, 157), (850, 480)}


def test_privacy_changes_move_the_files(server, unique):
    owner = server.create_user(f"vpriv{unique}")
    ref = published_video(owner)
    hls = server.data_dir / "storage" / "streaming-playlists" / "hls"
    assert (hls / ref["uuid"]).is_dir()

    assert owner.put(f"/api/v1/videos/{ref['uuid']}", json={"privacy": 3}).status_code == 204
    private = _details(owner, ref["uuid"])
    assert "/hls/private/" in private["streamingPlaylists"][0]["playlistUrl"]
    assert (hls / "private" / ref["uuid"]).is_dir() and not (hls / ref["uuid"]).exists()

    published_before = private["publishedAt"]
    assert owner.put(f"/api/v1/videos/{ref['uuid']}", json={"privacy": 1}).status_code == 204
    public = _details(owner, ref["uuid"])
    assert f"/hls/{ref['uuid']}/" in public["streamingPlaylists"][0]["playlistUrl"]
    assert (hls / ref["uuid"]).is_dir() and not (hls / "private" / ref["uuid"]).exists()
    # a private video made visible is published anew
    assert public["publishedAt"] > published_before


def test_password_protection_through_update(server, unique):
    owner = server.create_user(f"vpw{unique}")
    ref = published_video(owner)
    refused = owner.put(f"/api/v1/videos/{ref['uuid']}", json={"privacy": 5})
    assert refused.status_code == 400 and "videoPasswords" in refused.json()["invalid-params"]
    assert owner.put(f"/api/v1/videos/{ref['uuid']}",
                     json={"privacy": 5, "videoPasswords": ["secret-1", "secret-2"]}).status_code == 204
    assert server.anonymous.get(f"/api/v1/videos/{ref['uuid']}").json()["code"] == "video_requires_password"
    ok = server.anonymous.get(f"/api/v1/videos/{ref['uuid']}", headers={"x-peertube-video-password": "secret-2"})
    assert ok.status_code == 200
    # other changes keep the passwords; leaving privacy 5 drops them
    assert owner.put(f"/api/v1/videos/{ref['uuid']}", json={"name": "still protected"}).status_code == 204
    assert server.anonymous.get(f"/api/v1/videos/{ref['uuid']}",
                                headers={"x-peertube-video-password": "secret-1"}).status_code == 200
    assert owner.put(f"/api/v1/videos/{ref['uuid']}", json={"privacy": 1}).status_code == 204
    assert owner.put(f"/api/v1/videos/{ref['uuid']}", json={"privacy": 5}).status_code == 400


def test_scheduled_update(server, unique):
    owner = server.create_user(f"vsch{unique}")
    ref = published_video(owner, privacy=3)
    schedule = {"updateAt": "2099-01-02T03:04:05.000Z", "privacy": 1}
    assert owner.put(f"/api/v1/videos/{ref['uuid']}", json={"scheduleUpdate": schedule}).status_code == 204
    assert _details(owner, ref["uuid"])["scheduledUpdate"] == schedule
    assert owner.put(f"/api/v1/videos/{ref['uuid']}", json={"name": "not the schedule"}).status_code == 204
    assert _details(owner, ref["uuid"])["scheduledUpdate"] == schedule
    assert owner.put(f"/api/v1/videos/{ref['uuid']}", json={"scheduleUpdate": None}).status_code == 204
    assert _details(owner, ref["uuid"])["scheduledUpdate"] is None


def test_moving_a_video_to_another_channel_of_its_account(server, unique):
    owner = server.create_user(f"vchan{unique}")
    ref = published_video(owner)
    second = owner.post("/api/v1/video-channels", json={"name": f"second_{unique}", "displayName": "Second"})
    assert second.status_code == 200, second.text
    channel_id = second.json()["videoChannel"]["id"]
    assert owner.put(f"/api/v1/videos/{ref['uuid']}", json={"channelId": channel_id}).status_code == 204
    assert _details(owner, ref["uuid"])["channel"]["id"] == channel_id


def test_moderators_may_edit_and_delete_any_video(server, unique):
    owner = server.create_user(f"vown{unique}")
    moderator = server.create_user(f"vmod{unique}", role=1)
    ref = published_video(owner)
    assert moderator.put(f"/api/v1/videos/{ref['uuid']}", json={"name": "moderated name"}).status_code == 204
    assert _details(owner, ref["uuid"])["name"] == "moderated name"
    assert moderator.delete(f"/api/v1/videos/{ref['uuid']}").status_code == 204
    assert server.anonymous.get(f"/api/v1/videos/{ref['uuid']}").status_code == 404


def test_delete_removes_rows_and_files(server, unique):
    owner = server.create_user(f"vdel{unique}")
    ref = published_video(owner, tags=[f"gone{unique}"])
    details = _details(owner, ref["uuid"])
    storage = server.data_dir / "storage"
    hls = storage / "streaming-playlists" / "hls" / ref["uuid"]
    torrent = storage / "torrents" / details["streamingPlaylists"][0]["files"][0]["torrentUrl"].rsplit("/", 1)[1]
    preview = storage / "previews" / details["previewPath"].rsplit("/", 1)[1]
    thumbnail = _thumbnail_file(server, details)
    assert hls.is_dir() and torrent.is_file() and preview.is_file() and thumbnail.is_file()

    assert owner.delete(f"/api/v1/videos/{ref['uuid']}").status_code == 204
    assert owner.get(f"/api/v1/videos/{ref['uuid']}").status_code == 404
    assert owner.get("/api/v1/videos", params={"tagsOneOf": f"gone{unique}"}).json()["total"] == 0
    assert not hls.exists() and not torrent.exists() and not preview.exists() and not thumbnail.exists()
    assert owner.delete(f"/api/v1/videos/{ref['uuid']}").status_code == 404


def test_viewers_are_the_players_reporting_now(server, unique):
    owner = server.create_user(f"vview{unique}")
    ref = published_video(owner, tags=[f"watched{unique}"])
    assert _details(owner, ref["uuid"])["viewers"] == 0
    for session_id in ("first", "second"):
        response = server.anonymous.post(f"/api/v1/videos/{ref['uuid']}/views",
                                         json={"currentTime": 1, "sessionId": f"{session_id}{unique}"})
        assert response.status_code == 204, response.text
    assert _details(owner, ref["uuid"])["viewers"] == 2
    listed = owner.get("/api/v1/videos", params={"tagsOneOf": f"watched{unique}"}).json()["data"]
    assert [item["viewers"] for item in listed] == [2]
