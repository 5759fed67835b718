"""The syndication feeds, read back with a real feed parser: the videos feed in its three formats and
its filters, the private subscriptions feed and its token, the comments feed, the podcast feed."""

from __future__ import annotations

import json
import uuid

import feedparser
import pytest
from lxml import etree

from tests.support.comments import post_thread
from tests.support.published_videos import published_video

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
TORRENT_MIME = "application/x-bittorrent"
PRIVATE = 3


def name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def me(client) -> dict:
    return client.get("/api/v1/users/me").json()


@pytest.fixture(scope="module")
def world(server):
    alice = server.create_user(name("feed_alice"))
    bob = server.create_user(name("feed_bob"))
    alice_me, bob_me = me(alice), me(bob)
    channel = alice_me["videoChannels"][0]
    public = published_video(alice, name="Feed video & co", tags=["feedtag"], category=15,
                             description="Some **bold** words <script>alert(1)</script> " + "and more " * 40
                             + "to the very end")
    private = published_video(alice, privacy=PRIVATE)
    nsfw = published_video(alice, nsfw=True)
    response = bob.post("/api/v1/users/me/subscriptions", json={"uri": f"{channel['name']}@{channel['host']}"})
    assert response.status_code == 204, response.text
    comment = post_thread(bob, public, "What a **nice** video")
    return {"alice": alice, "bob": bob, "alice_name": alice_me["username"], "alice_account": alice_me["account"],
            "bob_account": bob_me["account"], "channel": channel, "public": public, "private": private,
            "nsfw": nsfw, "comment": comment}


def parsed(response):
    assert response.status_code == 200, response.text
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return feed


def entry_ids(feed) -> list[str]:
    return [entry.id.rsplit("/", 1)[1] for entry in feed.entries]


def test_the_rss_feed_of_an_account_describes_its_public_videos(server, world):
    response = server.anonymous.get("/feeds/videos.xml", params={"accountName": world["alice_name"]})
    feed = parsed(response)
    assert feed.version == "rss20"
    assert response.headers["content-type"].startswith("application/xml")
    assert response.headers["cache-control"] == "public, max-age=900"
    assert feed.feed.title == world["alice_name"]
    assert feed.feed.link == f"{server.url}/accounts/{world['alice_name']}"
    public = world["public"]
    # neither the private video nor the NSFW one (the instance does not list NSFW by default)
    assert entry_ids(feed) == [public["uuid"]]

    entry = feed.entries[0]
    video = server.anonymous.get(f"/api/v1/videos/{public['uuid']}").json()
    assert entry.title == "Feed video & co"
    assert entry.link == f"{server.url}/w/{public['shortUUID']}"
    assert entry.id == video["url"]
    assert entry.author == video["account"]["displayName"]
    html = entry.content[0].value
    assert "<strong>bold</strong>" in html and "script" not in html and "alert" not in html
    assert "to the very end" in html  # the whole description, where list items have it truncated
    assert "feedtag" in [tag.term for tag in entry.tags]
    assert entry.media_player["url"] == entry.link
    assert entry.media_embed["url"] == video["embedUrl"]
    assert entry.media_thumbnail[0]["url"] == max(video["thumbnails"], key=lambda t: t["width"])["fileUrl"]
    assert entry.media_rating["content"] == "nonadult"
    assert entry.media_statistics["views"] == str(video["views"])

    files = video["streamingPlaylists"][0]["files"] + video["files"]
    assert {content["url"] for content in entry.media_content} == {file["fileUrl"] for file in files}
    assert all(content["type"] == "video/mp4" and int(content["filesize"]) > 0 for content in entry.media_content)
    assert entry.media_peerlink["href"] in {file["torrentUrl"] for file in files}

    # the enclosure is a real, downloadable MP4 of the declared size
    enclosure = entry.enclosures[0]
    assert enclosure["type"] == "video/mp4"
    assert enclosure["href"].startswith(f"{server.url}/download/videos/generate/{public['uuid']}?videoFileIds=")
    download = server.anonymous.get(enclosure["href"].removeprefix(server.url))
    assert download.status_code == 200
    assert len(download.content) == int(enclosure["length"])


def test_the_videos_feed_filters(server, world):
    public, nsfw = world["public"]["uuid"], world["nsfw"]["uuid"]
    channel = world["channel"]
    for params in ({"accountId": world["alice_account"]["id"]}, {"videoChannelId": channel["id"]},
                   {"videoChannelName": channel["name"]}, {"accountName": world["alice_name"]}):
        assert entry_ids(parsed(server.anonymous.get("/feeds/videos.rss", params=params))) == [public], params
    by_account = {"accountName": world["alice_name"]}
    assert entry_ids(parsed(server.anonymous.get("/feeds/videos.rss", params={**by_account, "nsfw": "true"}))) \
        == [nsfw]
    newest_first = entry_ids(parsed(server.anonymous.get("/feeds/videos.rss", params={**by_account, "nsfw": "both"})))
    assert newest_first == [nsfw, public]
    oldest_first = entry_ids(parsed(server.anonymous.get(
        "/feeds/videos.rss", params={**by_account, "nsfw": "both", "sort": "publishedAt"})))
    assert oldest_first == [public, nsfw]
    assert entry_ids(parsed(server.anonymous.get("/feeds/videos.rss", params={**by_account, "isLocal": "false"}))) \
        == []
    assert server.anonymous.get("/feeds/videos.rss", params={"accountName": name("nobody")}).status_code == 404
    assert server.anonymous.get("/feeds/videos.rss", params={"videoChannelId": 2**31 - 1}).status_code == 404


def test_the_videos_feed_as_atom_and_json_feed(server, world):
    params = {"accountName": world["alice_name"]}
    atom = server.anonymous.get("/feeds/videos.atom", params=params)
    assert atom.headers["content-type"].startswith("application/atom+xml")
    feed = parsed(atom)
    assert feed.version == "atom10"
    entry = feed.entries[0]
    links = {link["rel"]: link for link in entry.links}
    assert links["alternate"]["href"] == f"{server.url}/w/{world['public']['shortUUID']}"
    assert links["enclosure"]["type"] == "video/mp4" and int(links["enclosure"]["length"]) > 0
    assert "<strong>bold</strong>" in entry.content[0].value

    for path, query in (("/feeds/videos.json", {}), ("/feeds/videos.xml", {"format": "json1"})):
        response = server.anonymous.get(path, params={**params, **query})
        assert response.headers["content-type"].startswith("application/json")
        document = json.loads(response.content)
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["feed_url"].startswith(f"{server.url}{path}")
        [item] = document["items"]
        assert item["url"] == f"{server.url}/w/{world['public']['shortUUID']}"
        assert item["title"] == "Feed video & co"
        assert "<strong>bold</strong>" in item["content_html"] and "script" not in item["content_html"]
        mimes = [attachment["mime_type"] for attachment in item["attachments"]]
        assert mimes[0] == "video/mp4" and TORRENT_MIME in mimes
        assert item["attachments"][0]["url"].startswith(f"{server.url}/download/videos/generate/")


def test_the_content_type_is_negotiated(server, world):
    response = server.anonymous.get("/feeds/videos.atom", headers={"Accept": "application/json"})
    assert response.status_code == 406
    assert response.headers["content-type"].startswith("application/problem+json")
    response = server.anonymous.get("/feeds/videos.rss", headers={"Accept": "text/html, text/xml;q=0.5"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/xml")
    response = server.anonymous.get("/feeds/videos.rss", headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("application/rss+xml")


def test_the_subscriptions_feed_opens_with_the_feed_token(server, world):
    bob = world["bob"]
    token = bob.get("/api/v1/users/scoped-tokens").json()["feedToken"]
    account_id = world["bob_account"]["id"]
    response = server.anonymous.get("/feeds/subscriptions.json", params={"accountId": account_id, "token": token})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"].startswith("private")
    items = json.loads(response.content)["items"]
    assert [item["url"] for item in items] == [f"{server.url}/w/{world['public']['shortUUID']}"]
    rss = parsed(server.anonymous.get("/feeds/subscriptions.xml", params={"accountId": account_id, "token": token}))
    assert entry_ids(rss) == [world["public"]["uuid"]]

    alice_token = world["alice"].get("/api/v1/users/scoped-tokens").json()["feedToken"]
    for wrong in ("not-the-token", alice_token):
        response = server.anonymous.get("/feeds/subscriptions.json", params={"accountId": account_id, "token": wrong})
        assert response.status_code == 403
    assert server.anonymous.get("/feeds/subscriptions.json", params={"accountId": account_id}).status_code == 400

    renewed = bob.post("/api/v1/users/scoped-tokens").json()["feedToken"]
    old = server.anonymous.get("/feeds/subscriptions.json", params={"accountId": account_id, "token": token})
    assert old.status_code == 403
    new = server.anonymous.get("/feeds/subscriptions.json", params={"accountId": account_id, "token": renewed})
    assert new.status_code == 200


def test_the_comments_feed(server, world):
    public, comment = world["public"], world["comment"]
    feed = parsed(server.anonymous.get("/feeds/video-comments.xml", params={"videoId": public["uuid"]}))
    assert [entry.id for entry in feed.entries] == [comment["url"]]
    entry = feed.entries[0]
    assert entry.link == f"{server.url}/w/{public['shortUUID']};threadId={comment['id']}"
    assert "<strong>nice</strong>" in entry.content[0].value
    assert entry.author == world["bob_account"]["displayName"]
    by_channel = parsed(server.anonymous.get("/feeds/video-comments.atom",
                                             params={"videoChannelName": world["channel"]["name"]}))
    assert [entry.id for entry in by_channel.entries] == [comment["url"]]
    mixed = server.anonymous.get("/feeds/video-comments.xml",
                                 params={"videoId": public["uuid"], "videoChannelId": world["channel"]["id"]})
    assert mixed.status_code == 400
    hidden = server.anonymous.get("/feeds/video-comments.xml", params={"videoId": world["private"]["uuid"]})
    assert hidden.status_code == 404


def test_the_podcast_feed_of_a_channel(server, world):
    channel = world["channel"]
    response = server.anonymous.get("/feeds/podcast/videos.xml", params={"videoChannelId": channel["id"]})
    feed = parsed(response)
    assert response.headers["content-type"].startswith("application/rss+xml")
    assert feed.feed.title == channel["displayName"]
    assert entry_ids(feed) == [world["public"]["uuid"]]
    entry = feed.entries[0]
    assert entry.enclosures[0]["type"] == "video/mp4"
    assert entry.itunes_duration == "4"

    root = etree.fromstring(response.content)
    ns = {"podcast": PODCAST_NS}
    feed_url = f"{server.url}/feeds/podcast/videos.xml?videoChannelId={channel['id']}"
    expected_guid = str(uuid.uuid5(PODCAST_GUID_NAMESPACE, feed_url.split("://", 1)[1]))
    assert root.findtext("channel/podcast:guid", namespaces=ns) == expected_guid
    assert root.findtext("channel/podcast:medium", namespaces=ns) == "video"
    item = root.find("channel/item")
    alternates = item.findall("podcast:alternateEnclosure", ns)
    assert alternates and alternates[0].get("type") == "video/mp4"
    sources = alternates[0].findall("podcast:source", ns)
    assert {source.get("contentType") for source in sources} == {None, TORRENT_MIME}
    interact = item.find("podcast:socialInteract", ns)
    assert interact.get("protocol") == "activitypub" and interact.get("uri") == entry.id

    assert server.anonymous.get("/feeds/podcast/videos.xml").status_code == 400
    missing = server.anonymous.get("/feeds/podcast/videos.xml", params={"videoChannelId": 2**31 - 1})
    assert missing.status_code == 404


def test_the_instance_blocklist_applies_to_feeds(server, world):
    params = {"accountName": world["alice_name"]}
    response = server.root.post("/api/v1/server/blocklist/accounts", json={"accountName": world["alice_name"]})
    assert response.status_code == 204
    try:
        assert entry_ids(parsed(server.anonymous.get("/feeds/videos.xml", params=params))) == []
        comments = parsed(server.anonymous.get("/feeds/video-comments.xml", params={"videoId": world["public"]["uuid"]}))
        assert comments.entries == []
    finally:
        assert server.root.delete(f"/api/v1/server/blocklist/accounts/{world['alice_name']}").status_code == 204
    assert entry_ids(parsed(server.anonymous.get("/feeds/videos.xml", params=params))) == [world["public"]["uuid"]]
