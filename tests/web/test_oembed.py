"""`/services/oembed`: the embed of a watch or playlist page of this instance, sized for the consumer,
with the page's player options (and only those) carried to the embed URL."""

from __future__ import annotations

import html
import re
import uuid

import pytest

from tests.support.playlists import PRIVATE as PLAYLIST_PRIVATE
from tests.support.playlists import create_playlist, get_playlist, jpeg_bytes
from tests.support.published_videos import published_video

VIDEO_PRIVATE, VIDEO_UNLISTED = 3, 2
PLAYLIST_THUMBNAIL = (280, 157)


def name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


@pytest.fixture(scope="module")
def world(server):
    owner = server.create_user(name("oembed"))
    public = published_video(owner, name='Quotes " and <tags>')
    private = published_video(owner, privacy=VIDEO_PRIVATE)
    unlisted = published_video(owner, privacy=VIDEO_UNLISTED)
    playlist = create_playlist(owner, thumbnail=jpeg_bytes(), displayName="An embeddable playlist")
    private_playlist = create_playlist(owner, PLAYLIST_PRIVATE)
    channel = owner.get("/api/v1/users/me").json()["videoChannels"][0]
    return {"public": public, "private": private, "unlisted": unlisted, "playlist": playlist,
            "private_playlist": private_playlist, "channel": channel}


def oembed(server, url: str, **params):
    return server.anonymous.get("/services/oembed", params={"url": url, **params})


def iframe_src(answer: dict) -> str:
    return html.unescape(re.search(r'src="([^"]+)"', answer["html"]).group(1))


def test_a_watch_page_embeds_the_video(server, world):
    public = world["public"]
    response = oembed(server, f"{server.url}/w/{public['shortUUID']}", format="json")
    assert response.status_code == 200, response.text
    answer = response.json()
    video = server.anonymous.get(f"/api/v1/videos/{public['uuid']}").json()
    assert answer["type"] == "video" and answer["version"] == "1.0"
    assert (answer["width"], answer["height"]) == (560, 315)
    assert answer["title"] == 'Quotes " and <tags>'
    assert answer["author_name"] == world["channel"]["displayName"]
    assert answer["author_url"] == video["channel"]["url"]
    assert answer["provider_url"] == server.url
    assert answer["thumbnail_url"] == video["previewUrl"]
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (850, 480)
    assert iframe_src(answer) == video["embedUrl"]
    assert 'width="560" height="315"' in answer["html"]
    assert "allowfullscreen" in answer["html"] and 'sandbox="allow-same-origin allow-scripts' in answer["html"]
    # the title cannot break out of its attribute
    assert 'title="Quotes &quot; and &lt;tags&gt;"' in answer["html"]

    same = oembed(server, f"{server.url}/videos/watch/{public['uuid']}").json()
    assert same["html"] == answer["html"]


def test_sizes_are_capped_and_a_too_large_thumbnail_is_left_out(server, world):
    url = f"{server.url}/w/{world['public']['shortUUID']}"
    small = oembed(server, url, maxwidth=400, maxheight=200).json()
    assert (small["width"], small["height"]) == (400, 200)
    assert 'width="400" height="200"' in small["html"]
    assert "thumbnail_url" not in small and "thumbnail_width" not in small
    roomy = oembed(server, url, maxwidth=1000, maxheight=1000).json()
    assert (roomy["width"], roomy["height"]) == (560, 315)
    assert roomy["thumbnail_width"] == 850


def test_only_player_options_reach_the_embed(server, world):
    public = world["public"]
    url = f"{server.url}/w/{public['shortUUID']}?start=30&autoplay=1&evil=%22%3E%3Cscript%3E&title=0"
    src = iframe_src(oembed(server, url).json())
    assert src == f"{server.url}/videos/embed/{public['uuid']}?start=30&autoplay=1&title=0"


def test_a_playlist_page_embeds_the_playlist(server, world):
    playlist = get_playlist(server.anonymous, world["playlist"]["uuid"])
    for url in (f"{server.url}/w/p/{playlist['shortUUID']}", f"{server.url}/videos/watch/playlist/{playlist['uuid']}"):
        response = oembed(server, url)
        assert response.status_code == 200, response.text
        answer = response.json()
        assert answer["title"] == "An embeddable playlist"
        assert iframe_src(answer) == f"{server.url}/video-playlists/embed/{playlist['uuid']}"
        assert answer["author_name"] == world["channel"]["displayName"]
        assert answer["thumbnail_url"] == playlist["thumbnailUrl"]
        assert (answer["thumbnail_width"], answer["thumbnail_height"]) == PLAYLIST_THUMBNAIL


def test_an_unlisted_video_may_be_embedded_by_whoever_has_its_link(server, world):
    assert oembed(server, f"{server.url}/w/{world['unlisted']['shortUUID']}").status_code == 200


def test_what_cannot_be_embedded(server, world):
    private, public = world["private"], world["public"]
    assert oembed(server, f"{server.url}/w/{private['shortUUID']}").status_code == 404
    assert oembed(server, f"{server.url}/w/p/{world['private_playlist']['shortUUID']}").status_code == 404
    assert oembed(server, f"{server.url}/w/{uuid.uuid4()}").status_code == 404
    # database ids are not page addresses
    assert oembed(server, f"{server.url}/w/{public['id']}").status_code == 404
    for foreign in (f"https://elsewhere.example/w/{public['shortUUID']}", f"ftp://{server.url[7:]}/w/x",
                    f"{server.url}/about", f"{server.url}/w/", "not a url"):
        response = oembed(server, foreign)
        assert response.status_code == 400, foreign
        assert response.headers["content-type"].startswith("application/problem+json")
    response = oembed(server, f"{server.url}/w/{public['shortUUID']}", format="xml")
    assert response.status_code == 501


def test_other_sites_may_read_it(server, world):
    response = server.anonymous.get("/services/oembed", params={"url": f"{server.url}/w/{world['public']['shortUUID']}"},
                                    headers={"Origin": "https://blog.example"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] in ("*", "https://blog.example")
