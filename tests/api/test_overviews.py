"""`/overviews/videos` ("Discover"): on an instance of its own, one channel publishes enough videos
sharing a category and a tag to be sampled (PeerTube's threshold: 6), and the overview shows them
grouped by category, channel and tag, newest first, as the caller may see them."""

from __future__ import annotations

import pytest

from tests.support.published_videos import published_video

THRESHOLD = 6
OVERVIEW = "/api/v1/overviews/videos"


@pytest.fixture(scope="module")
def instance(server_factory):
    server = server_factory()
    owner = server.create_user("discoverer")
    videos = [published_video(owner, duration=1, name=f"overview {index}", category=13, tags=["sampled", f"t{index}"])
              for index in range(THRESHOLD)]
    # not public: never in an overview
    hidden = published_video(owner, duration=1, name="unlisted one", category=13, tags=["sampled"], privacy=2)
    return server, owner, videos, hidden


def test_sections_of_the_first_page(instance):
    server, _owner, videos, hidden = instance
    response = server.anonymous.get(OVERVIEW)
    assert response.status_code == 200, response.text
    body = response.json()
    newest_first = [video["uuid"] for video in reversed(videos)]

    [category] = body["categories"]
    assert category["category"] == {"id": 13, "label": "Education"}
    assert [video["uuid"] for video in category["videos"]] == newest_first

    [channel] = body["channels"]
    assert channel["channel"]["name"] == "discoverer_channel"
    assert set(channel["channel"]) >= {"id", "name", "displayName", "url", "host", "avatars"}
    assert [video["uuid"] for video in channel["videos"]] == newest_first

    [tag] = body["tags"]
    assert tag["tag"] == "sampled"
    assert [video["uuid"] for video in tag["videos"]] == newest_first
    assert hidden["uuid"] not in {video["uuid"] for section in body.values() for item in section
                                  for video in item["videos"]}


def test_pages_past_the_samples_are_empty(instance):
    server = instance[0]
    assert server.anonymous.get(OVERVIEW, params={"page": 2}).json() == {"categories": [], "channels": [], "tags": []}


def test_muted_owners_are_left_out(instance):
    server = instance[0]
    viewer = server.create_user("overviewer")
    assert viewer.post("/api/v1/users/me/blocklist/accounts", json={"accountName": "discoverer"}).status_code == 204
    body = viewer.get(OVERVIEW).json()
    assert all(not item["videos"] for section in body.values() for item in section)
    assert body["channels"] == [] and body["categories"] == [] and body["tags"] == []
