"""Video imports from a URL, end to end: a web server on loopback serves real media, the instance
(allowed to reach loopback) downloads it with yt-dlp, and the video goes through transcoding."""

from __future__ import annotations

import av
import pytest

from tests.support.imports import (IMPORT_CANCELLED, IMPORT_CONFIG, IMPORT_FAILED, IMPORT_PENDING,
                                   IMPORT_SUCCESS, VIDEO_PUBLISHED, VIDEO_TO_IMPORT, VIDEO_TO_IMPORT_FAILED,
                                   channel_id, find_import, video_page, wait_for_import)
from tests.support.media import make_image

IMPORTS = "/api/v1/videos/imports"
MINE = "/api/v1/users/me/videos/imports"

pytestmark = pytest.mark.timeout(600)


def test_import_from_a_url_publishes_the_video(import_server, media_host, unique, tmp_path):
    client = import_server.create_user(f"importer{unique}")
    url = media_host.base_url + "/clip.mp4"
    response = client.post(IMPORTS, json={
        "channelId": channel_id(client), "targetUrl": url, "name": f"Imported {unique}", "privacy": 1,
        "tags": ["imported", "clip"], "description": "mine"})
    assert response.status_code == 200, response.text
    created = response.json()
    assert created["targetUrl"] == url
    assert created["state"]["id"] in (IMPORT_PENDING, IMPORT_SUCCESS)  # the job may already have run
    video = created["video"]
    assert {"id", "uuid", "shortUUID"} <= set(video)  # what PeerTube clients read (VideoUploadResponse)
    assert video["name"] == f"Imported {unique}"

    done = wait_for_import(client, created["id"], video_states=(VIDEO_PUBLISHED,))
    assert done["state"] == {"id": IMPORT_SUCCESS, "label": "Success"}
    assert done["error"] is None and done["attempts"] == 1
    assert done["video"]["tags"] == ["clip", "imported"]
    assert done["video"]["description"] == "mine"
    assert done["video"]["duration"] == 3
    # the user's metadata wins; the remote's Last-Modified date becomes the original publication date
    assert done["video"]["originallyPublishedAt"].startswith("2021-03-04")

    details = client.get(f"/api/v1/videos/{video['uuid']}")
    assert details.status_code == 200, details.text
    files = details.json()["files"] + [f for p in details.json()["streamingPlaylists"] for f in p["files"]]
    assert files, details.json()
    thumbnail = client.get(details.json()["thumbnailPath"])
    assert thumbnail.status_code == 200 and thumbnail.content[:2] == b"\xff\xd8"
    # the imported media really is the clip: the rendition decodes at its resolution
    playable = client.get(files[0]["fileUrl"].removeprefix(import_server.url))
    assert playable.status_code == 200
    rendition = tmp_path / "rendition.mp4"
    rendition.write_bytes(playable.content)
    with av.open(str(rendition)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (320, 240)


def test_metadata_comes_from_the_page_when_not_given(import_server, media_host, unique, tmp_path):
    client = import_server.create_user(f"pager{unique}")
    thumbnail = make_image(tmp_path / "poster.jpg", 800, 450, "green").read_bytes()
    thumbnail_url = media_host.add(f"/poster-{unique}.jpg", thumbnail, "image/jpeg")
    page_url = media_host.add(f"/watch-{unique}.html", video_page(
        media_host.base_url + "/clip.mp4", title=f"A remote concert {unique}",
        description="Recorded live, with friends.", keywords="music, live, x, concert",
        thumbnail_url=thumbnail_url), "text/html; charset=utf-8")

    body = {"channelId": channel_id(client), "targetUrl": page_url, "privacy": 1}
    response = client.post(IMPORTS, json=body)
    assert response.status_code == 200, response.text
    video = response.json()["video"]
    assert video["name"] == f"A remote concert {unique}"
    assert video["description"] == "Recorded live, with friends."
    assert video["originallyPublishedAt"].startswith("2021-03-04")
    # tags of the page, those PeerTube accepts (2 to 30 characters)
    assert sorted(response.json()["video"]["tags"]) == ["concert", "live", "music"]

    done = wait_for_import(client, response.json()["id"], video_states=(VIDEO_PUBLISHED,))
    assert done["video"]["waitTranscoding"] is True  # PeerTube's default for imports
    details = client.get(f"/api/v1/videos/{video['uuid']}").json()
    # the page's image became the thumbnail (green, not a frame of the test pattern)
    image = client.get(details["previewPath"])
    assert image.status_code == 200
    path = tmp_path / "preview.jpg"
    path.write_bytes(image.content)
    from PIL import Image

    with Image.open(path) as preview:
        red, green, blue = preview.convert("RGB").getpixel((preview.width // 2, preview.height // 2))
    assert green > 100 and red < 60 and blue < 60


def test_a_download_that_fails_marks_the_import_failed(import_server, media_host, unique):
    client = import_server.create_user(f"failer{unique}")
    # the page is read once while the import is requested, then it is gone when the job downloads
    url = media_host.add(f"/vanishing-{unique}.mp4", media_host.routes["/clip.mp4"].body, times=1)
    response = client.post(IMPORTS, json={"channelId": channel_id(client), "targetUrl": url,
                                                           "name": "Soon gone"})
    assert response.status_code == 200, response.text
    import_id, video_id = response.json()["id"], response.json()["video"]["id"]

    failed = wait_for_import(client, import_id, states=(IMPORT_FAILED,),
                             video_states=(VIDEO_TO_IMPORT_FAILED,))
    assert failed["state"] == {"id": IMPORT_FAILED, "label": "Failed"}
    assert "404" in failed["error"]

    # an ended import can be deleted; its video stays (PeerTube 8 lets the user retry or delete it)
    assert client.delete(f"{IMPORTS}/{import_id}").status_code == 204
    assert find_import(client, import_id) is None
    assert client.get(f"/api/v1/videos/{video_id}").status_code == 200


def test_an_unreadable_file_fails_the_import(import_server, media_host, unique):
    client = import_server.create_user(f"texter{unique}")
    url = media_host.add(f"/notes-{unique}.mp4", b"this is not a video at all\n" * 200)
    response = client.post(IMPORTS, json={"channelId": channel_id(client), "targetUrl": url,
                                                           "name": "Not a video"})
    assert response.status_code == 200, response.text
    failed = wait_for_import(client, response.json()["id"], states=(IMPORT_FAILED,),
                             video_states=(VIDEO_TO_IMPORT_FAILED,))
    assert failed["error"] == "Video file unreadable."


def test_the_download_stops_at_the_user_quota(import_server, media_host, unique):
    clip_size = len(media_host.routes["/clip.mp4"].body)
    client = import_server.create_user(f"quota{unique}", videoQuota=clip_size // 2, videoQuotaDaily=-1)
    response = client.post(IMPORTS, json={
        "channelId": channel_id(client), "targetUrl": media_host.base_url + "/clip.mp4", "name": "Too big"})
    # the remote announces no size before the download: the import starts, the download stops
    assert response.status_code == 200, response.text
    failed = wait_for_import(client, response.json()["id"], states=(IMPORT_FAILED,))
    assert "quota" in failed["error"]


def test_an_unreachable_url_is_refused_at_once(import_server, media_host, unique):
    client = import_server.create_user(f"missing{unique}")
    response = client.post(IMPORTS, json={
        "channelId": channel_id(client), "targetUrl": media_host.base_url + f"/nothing-here-{unique}.mp4"})
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == "Cannot fetch remote information of this URL."
    listed = client.get(MINE).json()
    assert listed == {"total": 0, "data": []}  # nothing half-created


def test_cancel_a_pending_import(import_server, media_host, unique):
    client = import_server.create_user(f"canceller{unique}")
    root = import_server.root
    assert root.post("/api/v1/jobs/pause").status_code == 204
    try:
        response = client.post(IMPORTS, json={
            "channelId": channel_id(client), "targetUrl": media_host.base_url + "/clip.mp4",
            "name": "Cancelled"})
        assert response.status_code == 200, response.text
        import_id = response.json()["id"]
        assert response.json()["state"]["id"] == IMPORT_PENDING

        # a pending import cannot be deleted, only cancelled
        assert client.delete(f"{IMPORTS}/{import_id}").status_code == 409
        assert client.post(f"{IMPORTS}/{import_id}/cancel").status_code == 204
        assert client.post(f"{IMPORTS}/{import_id}/cancel").status_code == 409
    finally:
        assert root.post("/api/v1/jobs/resume").status_code == 204

    # the job runs and leaves the cancelled import alone
    def job_done():
        jobs = root.get("/api/v1/jobs/completed", params={"jobType": "video-import", "count": 100})
        jobs = jobs.json()["data"]
        return any(job["data"].get("videoImportId") == import_id for job in jobs)

    import_server.wait_for(job_done, timeout=60)
    item = find_import(client, import_id)
    assert item["state"] == {"id": IMPORT_CANCELLED, "label": "Cancelled"}
    assert item["video"]["state"]["id"] == VIDEO_TO_IMPORT
    assert item["attempts"] == 0
    assert client.delete(f"{IMPORTS}/{import_id}").status_code == 204


def test_list_my_imports_filters_and_sorts(import_server, media_host, unique):
    client = import_server.create_user(f"lister{unique}")
    ids = []
    for name in (f"First {unique}", f"Second {unique}"):
        response = client.post(IMPORTS, json={
            "channelId": channel_id(client), "targetUrl": media_host.base_url + "/clip.mp4", "name": name})
        assert response.status_code == 200, response.text
        ids.append(response.json()["id"])
    for import_id in ids:
        wait_for_import(client, import_id)

    listed = client.get(MINE).json()
    assert listed["total"] == 2
    assert [item["id"] for item in listed["data"]] == ids[::-1]  # newest first by default
    oldest_first = client.get(MINE, params={"sort": "createdAt", "count": 1}).json()
    assert oldest_first["total"] == 2 and [item["id"] for item in oldest_first["data"]] == ids[:1]
    searched = client.get(MINE, params={"search": "second"}).json()
    assert [item["id"] for item in searched["data"]] == ids[1:]
    by_url = client.get(MINE, params={"targetUrl": media_host.base_url + "/other"})
    assert by_url.json()["total"] == 0
    # another user sees none of them, and cannot manage them
    other = import_server.create_user(f"other{unique}")
    assert other.get(MINE).json()["total"] == 0
    refused = other.delete(f"{IMPORTS}/{ids[0]}")
    assert refused.status_code == 403, refused.text
    assert refused.json()["detail"] == "Cannot manage video import of another user"
    # the administrator holds MANAGE_VIDEO_IMPORTS
    assert import_server.root.delete(f"{IMPORTS}/{ids[0]}").status_code == 204


def test_a_form_with_images_sets_the_thumbnails(import_server, media_host, unique, tmp_path):
    client = import_server.create_user(f"former{unique}")
    red = make_image(tmp_path / "red.png", 640, 360, "red").read_bytes()
    response = client.post(IMPORTS, data={
        "channelId": str(channel_id(client)), "targetUrl": media_host.base_url + "/clip.mp4",
        "name": f"Form import {unique}", "privacy": "1", "tags[]": ["first", "second"]},
        files={"thumbnailfile": ("red.png", red, "image/png")})
    assert response.status_code == 200, response.text
    assert sorted(response.json()["video"]["tags"]) == ["first", "second"]
    done = wait_for_import(client, response.json()["id"], video_states=(VIDEO_PUBLISHED,))

    details = client.get(f"/api/v1/videos/{done['video']['uuid']}").json()
    from PIL import Image

    thumbnail = tmp_path / "thumbnail.jpg"
    thumbnail.write_bytes(client.get(details["thumbnailPath"]).content)
    with Image.open(thumbnail) as image:
        red_level, green, blue = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
    assert red_level > 200 and green < 60 and blue < 60
    # the image waiting for the job is gone once used
    pending = import_server.data_dir / "storage" / "tmp-persistent" / "video-imports"
    assert pending.is_dir() and not any(pending.glob(f"{response.json()['id']}-*"))


def test_an_import_past_its_timeout_fails_and_leaves_no_files(server_factory, media_host, unique):
    server = server_factory(config={**IMPORT_CONFIG, "import": {"videos": {"http": {"enabled": True},
                                                                           "timeout": "2 seconds"}}})
    client = server.create_user(f"slow{unique}")
    # a remote sending a block every 2 s: the import cannot finish in time
    url = media_host.add(f"/slow-{unique}.mp4", media_host.routes["/clip.mp4"].body, trickle=2)
    response = client.post(IMPORTS, json={"channelId": channel_id(client), "targetUrl": url,
                                          "name": "Slow one"})
    assert response.status_code == 200, response.text
    failed = wait_for_import(client, response.json()["id"], states=(IMPORT_FAILED,),
                             video_states=(VIDEO_TO_IMPORT_FAILED,))
    assert "import.videos.timeout" in failed["error"]
    # the download thread stops at its next block and removes what it wrote
    downloads = server.data_dir / "storage" / "tmp" / "video-imports"
    server.wait_for(lambda: downloads.is_dir() and not any(downloads.iterdir()), timeout=30)
