"""Video channels through the API: creation, reading by handle, lists (with statistics), edition,
avatar and banner, followers, and deletion with everything the channel holds."""

from __future__ import annotations

import io
import uuid

import httpx
from PIL import Image

from tests.api.upstream_spec import schema_errors
from tests.support.published_videos import clip
from tests.support.videos import upload_video, wait_for_state

CHANNELS = "/api/v1/video-channels"


def create_channel(client, name: str, **fields) -> int:
    response = client.post(CHANNELS, json={"name": name, "displayName": f"Display {name}", **fields})
    assert response.status_code == 200, response.text
    return response.json()["videoChannel"]["id"]


def channel_video(client, channel_id: int, **fields) -> dict:
    video = upload_video(client, channel_id, clip(4), name=f"video {uuid.uuid4().hex[:8]}", privacy=1, **fields)
    wait_for_state(client, video["uuid"])
    return video


def image_bytes(size=(800, 600), color=(200, 40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_created_channel_is_read_by_handle(server, unique):
    owner = server.create_user(f"chowner{unique}")
    name = f"cooking_{unique}"
    channel_id = create_channel(owner, name, description="Recipes, slowly", support="Buy me flour")

    channel = server.anonymous.get(f"{CHANNELS}/{name}")
    assert channel.status_code == 200, channel.text
    body = channel.json()
    assert schema_errors("VideoChannel", body) == []
    assert body["id"] == channel_id
    assert body["displayName"] == f"Display {name}"
    assert (body["description"], body["support"]) == ("Recipes, slowly", "Buy me flour")
    assert body["url"] == f"{server.url}/video-channels/{name}"
    assert body["isLocal"] is True and body["followersCount"] == 0
    assert body["ownerAccount"]["name"] == f"chowner{unique}"
    host = body["host"]
    # name@host names the same channel; the name is not case-sensitive
    assert server.anonymous.get(f"{CHANNELS}/{name}@{host}").json()["id"] == channel_id
    assert server.anonymous.get(f"{CHANNELS}/{name.upper()}").json()["id"] == channel_id
    assert server.anonymous.get(f"{CHANNELS}/{name}@elsewhere.example").status_code == 404

    mine = owner.get("/api/v1/users/me").json()["videoChannels"]
    assert channel_id in [item["id"] for item in mine]


def test_account_channels_list_sorts_and_searches(server, unique):
    owner = server.create_user(f"chlist{unique}")
    create_channel(owner, f"zeta_{unique}")
    create_channel(owner, f"alpha_{unique}")
    account_channels = f"/api/v1/accounts/chlist{unique}/video-channels"

    listed = server.anonymous.get(account_channels, params={"sort": "createdAt"})
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == 3  # with the default channel made with the user
    assert [c["name"] for c in body["data"]][1:] == [f"zeta_{unique}", f"alpha_{unique}"]
    for item in body["data"]:
        assert schema_errors("VideoChannel", item) == []
        assert "videosCount" not in item and "viewsPerDay" not in item

    newest_first = server.anonymous.get(account_channels, params={"sort": "-createdAt"}).json()["data"]
    assert newest_first[0]["name"] == f"alpha_{unique}"
    found = server.anonymous.get(account_channels, params={"search": f"ALPHA_{unique}"}).json()
    assert found["total"] == 1 and found["data"][0]["name"] == f"alpha_{unique}"
    page = server.anonymous.get(account_channels, params={"start": 1, "count": 1, "sort": "createdAt"}).json()
    assert page["total"] == 3 and [c["name"] for c in page["data"]] == [f"zeta_{unique}"]

    everyone = server.anonymous.get(CHANNELS, params={"count": 100, "sort": "-createdAt"}).json()
    assert f"alpha_{unique}" in [c["name"] for c in everyone["data"]]


def test_statistics_count_videos_and_views_per_day(server, unique):
    owner = server.create_user(f"chstats{unique}")
    name = f"stats_{unique}"
    channel_id = create_channel(owner, name)
    video = channel_video(owner, channel_id)
    viewer = f"s{uuid.uuid4().hex}"
    for current_time in (0, 3):  # more than half of the 4 s clip: one view
        response = server.anonymous.post(f"/api/v1/videos/{video['uuid']}/views",
                                         json={"currentTime": current_time, "sessionId": viewer})
        assert response.status_code == 204, response.text

    listed = server.anonymous.get(f"/api/v1/accounts/chstats{unique}/video-channels", params={"withStats": "true"})
    assert listed.status_code == 200, listed.text
    stats = {item["name"]: item for item in listed.json()["data"]}
    assert stats[name]["videosCount"] == 1 and stats[name]["totalViews"] == 1
    days = stats[name]["viewsPerDay"]
    assert len(days) == 31 and sum(day["views"] for day in days) == 1
    assert [day["date"] for day in days] == sorted(day["date"] for day in days)
    assert days[-1]["date"].endswith("T00:00:00.000Z")
    default = stats[f"chstats{unique}_channel"]
    assert default["videosCount"] == 0 and default["totalViews"] == 0
    assert sum(day["views"] for day in default["viewsPerDay"]) == 0


def test_update_changes_the_fields_given(server, unique):
    owner = server.create_user(f"chedit{unique}")
    name = f"edited_{unique}"
    channel_id = create_channel(owner, name, description="first description", support="first support")
    video = channel_video(owner, channel_id, support="the video's own")
    before = owner.get(f"{CHANNELS}/{name}").json()

    assert owner.put(f"{CHANNELS}/{name}", json={"displayName": "New name"}).status_code == 204
    after = owner.get(f"{CHANNELS}/{name}").json()
    assert after["displayName"] == "New name"
    assert (after["description"], after["support"]) == ("first description", "first support")
    assert after["updatedAt"] > before["updatedAt"]

    assert owner.put(f"{CHANNELS}/{name}", json={"description": None, "support": "second support"}).status_code == 204
    after = owner.get(f"{CHANNELS}/{name}").json()
    assert (after["description"], after["support"]) == (None, "second support")
    # without bulkVideosSupportUpdate, the videos keep their own support text
    assert owner.get(f"/api/v1/videos/{video['uuid']}").json()["support"] == "the video's own"

    response = owner.put(f"{CHANNELS}/{name}", json={"support": "third support", "bulkVideosSupportUpdate": True})
    assert response.status_code == 204, response.text
    assert owner.get(f"/api/v1/videos/{video['uuid']}").json()["support"] == "third support"


def test_moderators_manage_any_channel(server, unique):
    owner = server.create_user(f"chmodowner{unique}")
    moderator = server.create_user(f"chmod{unique}", role=1)
    name = f"moderated_{unique}"
    create_channel(owner, name)
    assert moderator.put(f"{CHANNELS}/{name}", json={"displayName": "Moderated"}).status_code == 204
    assert owner.get(f"{CHANNELS}/{name}").json()["displayName"] == "Moderated"
    assert moderator.delete(f"{CHANNELS}/{name}").status_code == 204
    assert owner.get(f"{CHANNELS}/{name}").status_code == 404


def test_avatar_and_banner_are_cut_served_and_removed(server, unique):
    owner = server.create_user(f"chimg{unique}")
    name = f"pictures_{unique}"
    create_channel(owner, name)

    avatar = owner.post(f"{CHANNELS}/{name}/avatar/pick", files={"avatarfile": ("a.png", image_bytes(), "image/png")})
    assert avatar.status_code == 200, avatar.text
    avatars = avatar.json()["avatars"]
    assert sorted((a["width"], a["height"]) for a in avatars) == [(48, 48), (120, 120), (600, 600), (1500, 1500)]
    banner = owner.post(f"{CHANNELS}/{name}/banner/pick",
                        files={"bannerfile": ("b.png", image_bytes((2000, 400)), "image/png")})
    assert banner.status_code == 200, banner.text
    banners = banner.json()["banners"]
    assert sorted((b["width"], b["height"]) for b in banners) == [(600, 100), (1920, 317)]
    for image in avatars + banners:
        assert schema_errors("ActorImage", image) == []
        served = httpx.get(server.url + image["path"])
        assert served.status_code == 200 and served.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(served.content)).size == (image["width"], image["height"])

    channel = server.anonymous.get(f"{CHANNELS}/{name}").json()
    assert sorted(a["path"] for a in channel["avatars"]) == sorted(a["path"] for a in avatars)
    assert sorted(b["path"] for b in channel["banners"]) == sorted(b["path"] for b in banners)

    assert owner.delete(f"{CHANNELS}/{name}/banner").status_code == 204
    channel = server.anonymous.get(f"{CHANNELS}/{name}").json()
    assert channel["banners"] == [] and len(channel["avatars"]) == 4
    assert httpx.get(server.url + banners[0]["path"]).status_code == 404
    assert owner.delete(f"{CHANNELS}/{name}/avatar").status_code == 204
    assert server.anonymous.get(f"{CHANNELS}/{name}").json()["avatars"] == []
    assert httpx.get(server.url + avatars[0]["path"]).status_code == 404


def test_followers_of_a_channel(server, unique):
    owner = server.create_user(f"chfol{unique}")
    name = f"followed_{unique}"
    create_channel(owner, name)
    host = server.anonymous.get(f"{CHANNELS}/{name}").json()["host"]
    fans = [server.create_user(f"fan{suffix}{unique}") for suffix in ("a", "b")]
    for fan in fans:
        response = fan.post("/api/v1/users/me/subscriptions", json={"uri": f"{name}@{host}"})
        assert response.status_code == 204, response.text

    listed = owner.get(f"{CHANNELS}/{name}/followers", params={"sort": "createdAt"})
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert body["total"] == 2
    assert [f["follower"]["name"] for f in body["data"]] == [f"fana{unique}", f"fanb{unique}"]
    for follow in body["data"]:
        assert schema_errors("Follow", follow) == []
        assert follow["state"] == "accepted" and follow["following"]["name"] == name
    assert server.anonymous.get(f"{CHANNELS}/{name}").json()["followersCount"] == 2

    found = owner.get(f"{CHANNELS}/{name}/followers", params={"search": f"fanb{unique}"}).json()
    assert [f["follower"]["name"] for f in found["data"]] == [f"fanb{unique}"]
    assert owner.get(f"{CHANNELS}/{name}/followers", params={"search": "nobody-like-this"}).json()["total"] == 0


def test_deleting_a_channel_removes_its_videos_and_files(server, unique):
    owner = server.create_user(f"chdel{unique}")
    fan = server.create_user(f"chdelfan{unique}")
    name = f"doomed_{unique}"
    channel_id = create_channel(owner, name)
    video = channel_video(owner, channel_id)
    host = server.anonymous.get(f"{CHANNELS}/{name}").json()["host"]
    assert fan.post("/api/v1/users/me/subscriptions", json={"uri": f"{name}@{host}"}).status_code == 204
    assert owner.post(f"{CHANNELS}/{name}/avatar/pick",
                      files={"avatarfile": ("a.png", image_bytes(), "image/png")}).status_code == 200
    avatar_path = server.anonymous.get(f"{CHANNELS}/{name}").json()["avatars"][0]["path"]
    hls = server.data_dir / "storage" / "streaming-playlists" / "hls" / video["uuid"]
    assert hls.is_dir()

    assert owner.delete(f"{CHANNELS}/{name}").status_code == 204
    assert server.anonymous.get(f"{CHANNELS}/{name}").status_code == 404
    assert owner.get(f"/api/v1/videos/{video['uuid']}").status_code == 404
    assert not hls.exists()
    assert httpx.get(server.url + avatar_path).status_code == 404
    channels = owner.get("/api/v1/users/me").json()["videoChannels"]
    assert [c["name"] for c in channels] == [f"chdel{unique}_channel"]
    # the follower no longer follows anything
    assert fan.get("/api/v1/users/me/subscriptions").json()["total"] == 0
    assert server.anonymous.get(f"/api/v1/accounts/chdelfan{unique}").json()["followingCount"] == 0
    # the last channel stays
    last = owner.delete(f"{CHANNELS}/chdel{unique}_channel")
    assert last.status_code == 409, last.text
    assert last.json()["detail"] == "Cannot remove the last channel of this user"
