"""Channel imports and synchronisations, end to end: a web server on loopback publishes a "channel" (an
RSS feed of video pages, which yt-dlp lists like a site's channel), the instance imports each video
into a local channel, once, and a sync settles to Synchronized (or Failed)."""

from __future__ import annotations

import time
import uuid

import pytest

from tests.api.upstream_spec import schema_errors
from tests.support.imports import IMPORT_SUCCESS, VIDEO_PUBLISHED, channel_id, wait_for_import

pytestmark = pytest.mark.timeout(600)

SYNC_CONFIG = {"import": {"videos": {"http": {"enabled": True}}, "video_channel_synchronization": {"enabled": True}},
               "federation": {"prevent_ssrf": False}}
SYNCS = "/api/v1/video-channel-syncs"
WAITING_FIRST_RUN, SYNCED, FAILED = 1, 3, 4


@pytest.fixture(scope="module")
def sync_server(server_factory):
    return server_factory(config=SYNC_CONFIG)


def external_channel(media_host, videos: int = 2) -> tuple[str, list[str]]:
    """A new external channel of `videos` videos (the same clip under other names): its URL and theirs."""
    key = uuid.uuid4().hex[:8]
    clip = media_host.routes["/clip.mp4"].body
    urls = [media_host.add(f"/{key}/video-{n}.mp4", clip) for n in range(videos)]
    items = "".join(f"<item><title>Video {n}</title><link>{url}</link><guid>{key}-{n}</guid></item>"
                    for n, url in enumerate(urls))
    feed = (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Channel {key}</title>'
            f"<link>{media_host.base_url}/{key}/</link><description>Videos</description>{items}</channel></rss>")
    return media_host.add(f"/{key}/feed.xml", feed.encode(), "application/rss+xml"), urls


def my_imports(client) -> list[dict]:
    response = client.get("/api/v1/users/me/videos/imports", params={"count": 100})
    assert response.status_code == 200, response.text
    return response.json()["data"]


def wait_for(predicate, timeout: float = 240, interval: float = 0.5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def channel_import_jobs(server, state: str) -> int:
    response = server.root.get(f"/api/v1/jobs/{state}", params={"jobType": "video-channel-import", "count": 1})
    assert response.status_code == 200, response.text
    return response.json()["total"]


def test_importing_an_external_channel_imports_each_video_once(sync_server, media_host, unique):
    client = sync_server.create_user(f"chimport{unique}")
    name = f"chimport{unique}_channel"
    assert client.put(f"/api/v1/video-channels/{name}", json={"support": "Support the original"}).status_code == 204
    feed, urls = external_channel(media_host)
    done_before = channel_import_jobs(sync_server, "completed")

    response = client.post(f"/api/v1/video-channels/{name}/import-videos", json={"externalChannelUrl": feed})
    assert response.status_code == 204, response.text
    imports = wait_for(lambda: len(found := my_imports(client)) == 2 and found)
    assert sorted(item["targetUrl"] for item in imports) == sorted(urls)
    for item in imports:
        done = wait_for_import(client, item["id"], video_states=(VIDEO_PUBLISHED,), timeout=240)
        assert done["state"]["id"] == IMPORT_SUCCESS
        video = client.get(f"/api/v1/videos/{done['video']['uuid']}").json()
        assert video["channel"]["id"] == channel_id(client)
        assert video["privacy"]["id"] == 1 and video["support"] == "Support the original"
    listed = sync_server.anonymous.get(f"/api/v1/video-channels/{name}/videos").json()
    assert listed["total"] == 2

    # the same channel again: nothing new to import
    response = client.post(f"/api/v1/video-channels/{name}/import-videos", json={"externalChannelUrl": feed})
    assert response.status_code == 204, response.text
    wait_for(lambda: channel_import_jobs(sync_server, "completed") >= done_before + 2)
    assert len(my_imports(client)) == 2


def test_a_sync_is_created_listed_run_and_deleted(sync_server, media_host, unique):
    client = sync_server.create_user(f"chsync{unique}")
    feed, urls = external_channel(media_host, videos=1)
    created = client.post(SYNCS, json={"externalChannelUrl": feed, "videoChannelId": channel_id(client)})
    assert created.status_code == 200, created.text
    sync = created.json()["videoChannelSync"]
    assert schema_errors("VideoChannelSync", sync) == []
    assert sync["state"] == {"id": WAITING_FIRST_RUN, "label": "Waiting first run"}
    assert sync["externalChannelUrl"] == feed and sync["lastSyncAt"] is None
    assert sync["channel"]["name"] == f"chsync{unique}_channel"

    listed = client.get(f"/api/v1/accounts/chsync{unique}/video-channel-syncs")
    assert listed.status_code == 200, listed.text
    assert listed.json()["total"] == 1 and listed.json()["data"][0]["id"] == sync["id"]
    assert schema_errors("VideoChannelSync", listed.json()["data"][0]) == []

    assert client.post(f"{SYNCS}/{sync['id']}/sync").status_code == 204

    def settled():
        item = client.get(f"/api/v1/accounts/chsync{unique}/video-channel-syncs").json()["data"][0]
        return item if item["state"]["id"] in (SYNCED, FAILED) else None

    synced = wait_for(settled)
    assert synced["state"] == {"id": SYNCED, "label": "Synchronized"}
    assert synced["lastSyncAt"] is not None
    assert [item["targetUrl"] for item in my_imports(client)] == urls

    assert client.delete(f"{SYNCS}/{sync['id']}").status_code == 204
    assert client.get(f"/api/v1/accounts/chsync{unique}/video-channel-syncs").json()["total"] == 0
    assert client.delete(f"{SYNCS}/{sync['id']}").status_code == 404
    # the imported video stays
    assert sync_server.anonymous.get(f"/api/v1/video-channels/chsync{unique}_channel/videos").json()["total"] == 1


def test_a_full_import_recorded_on_a_sync(sync_server, media_host, unique):
    client = sync_server.create_user(f"chfull{unique}")
    feed, _ = external_channel(media_host, videos=1)
    sync = client.post(SYNCS, json={"externalChannelUrl": feed, "videoChannelId": channel_id(client)}).json()
    sync_id = sync["videoChannelSync"]["id"]
    response = client.post(f"/api/v1/video-channels/chfull{unique}_channel/import-videos",
                           json={"externalChannelUrl": feed, "videoChannelSyncId": sync_id})
    assert response.status_code == 204, response.text

    def state():
        return client.get(f"/api/v1/accounts/chfull{unique}/video-channel-syncs").json()["data"][0]["state"]["id"]

    assert wait_for(lambda: state() in (SYNCED, FAILED) and state()) == SYNCED


def test_a_channel_that_cannot_be_read_fails_the_sync(sync_server, media_host, unique):
    client = sync_server.create_user(f"chbroken{unique}")
    missing = f"{media_host.base_url}/nowhere-{unique}/feed.xml"
    sync = client.post(SYNCS, json={"externalChannelUrl": missing, "videoChannelId": channel_id(client)}).json()
    assert client.post(f"{SYNCS}/{sync['videoChannelSync']['id']}/sync").status_code == 204

    def state():
        return client.get(f"/api/v1/accounts/chbroken{unique}/video-channel-syncs").json()["data"][0]["state"]

    assert wait_for(lambda: state()["id"] in (SYNCED, FAILED) and state()) == {"id": FAILED, "label": "Failed"}
    assert my_imports(client) == []


def test_imports_are_refused_while_synchronisation_is_off(import_server, unique):
    """`import_server` imports over HTTP but has channel synchronisation off (the default)."""
    client = import_server.create_user(f"chnosync{unique}")
    response = client.post(f"/api/v1/video-channels/chnosync{unique}_channel/import-videos",
                           json={"externalChannelUrl": "https://videos.invalid/c/x"})
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == ("Synchronization is impossible as video channel synchronization is not "
                                         "enabled on the server")
    response = client.post(SYNCS, json={"externalChannelUrl": "https://videos.invalid/c/x",
                                        "videoChannelId": channel_id(client)})
    assert response.status_code == 403, response.text


def test_imports_are_refused_while_http_import_is_off(server, unique):
    client = server.create_user(f"chnohttp{unique}")
    response = client.post(f"/api/v1/video-channels/chnohttp{unique}_channel/import-videos",
                           json={"externalChannelUrl": "https://videos.invalid/c/x"})
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == ("Channel import is impossible as video upload via HTTP is not enabled "
                                         "on the server")
