"""The embed pages, `/videos/embed/{id}` and `/video-playlists/embed/{id}`: what they answer (frame
headers, 404 for hidden videos, the password prompt, inert hostile titles, the no-JavaScript markup)
and, in a real Chromium, that they play and honour PeerTube's embed URL options."""

from __future__ import annotations

import re
import uuid

import pytest

from tests.support.browser import published_clip
from tests.support.playlists import PRIVATE as PLAYLIST_PRIVATE
from tests.support.playlists import add_video, create_playlist

PLAYER = "[data-vidpub-player]"
HOSTILE = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
PASSWORD = "open-sesame"
VTT = "WEBVTT\n\n00:00.000 --> 00:10.000\nBonjour\n"


@pytest.fixture(scope="module")
def world(browser_server):
    owner = browser_server.create_user(f"embed_{uuid.uuid4().hex[:8]}")
    public = published_clip(owner, duration=10, name=f"Embedded {HOSTILE}")
    second = published_clip(owner, duration=6, name="The second one")
    private = published_clip(owner, duration=2, privacy=3)
    protected = published_clip(owner, duration=6, privacy=5, videoPasswords=[PASSWORD])
    response = owner.put(f"/api/v1/videos/{public['uuid']}/captions/fr",
                         files={"captionfile": ("fr.vtt", VTT.encode(), "text/vtt")})
    assert response.status_code == 204, response.text
    playlist = create_playlist(owner, displayName="Embeddable list")
    add_video(owner, playlist["id"], private["id"])
    add_video(owner, playlist["id"], public["id"])
    add_video(owner, playlist["id"], second["id"])
    hidden_playlist = create_playlist(owner, PLAYLIST_PRIVATE)
    return {"public": public, "second": second, "private": private, "protected": protected, "playlist": playlist,
            "hidden_playlist": hidden_playlist}


def embed_url(video, query: str = "") -> str:
    return f"/videos/embed/{video['uuid']}{query}"


# -- what the server answers ------------------------------------------------------------------------------

def test_the_embed_page_may_be_framed_and_is_not_indexed(browser_server, world):
    response = browser_server.anonymous.get(embed_url(world["public"]))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "x-frame-options" not in response.headers
    assert '<meta name="robots" content="noindex, indexifembedded">' in response.text
    watch = browser_server.anonymous.get(f"/w/{world['public']['shortUUID']}")
    assert watch.headers.get("x-frame-options") == "DENY", "only embeds may be framed"


def test_without_javascript_the_video_element_plays_a_web_video(browser_server, world):
    html = browser_server.anonymous.get(embed_url(world["public"], "?muted=1&loop=1")).text
    video_tag = re.search(r"<video[^>]*>", html).group(0)
    assert " controls" in video_tag and " muted" in video_tag and " loop" in video_tag
    assert f'poster="{world["public"]["previewUrl"]}"' in video_tag
    source = re.search(r'<source src="([^"]+)" type="video/mp4">', html).group(1)
    assert source in {f["fileUrl"] for f in world["public"]["files"]}
    assert browser_server.anonymous.get(source).status_code == 200


def test_hostile_titles_are_inert_in_the_markup(browser_server, world):
    html = browser_server.anonymous.get(embed_url(world["public"])).text
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.pwned" in html  # the title, escaped
    config = re.search(r'<script type="application/json" data-player-config>(.*?)</script>', html, re.DOTALL).group(1)
    assert "<" not in config, "the player's JSON cannot close its script element"


@pytest.mark.parametrize("ref", ["private", "unknown", "numeric-unknown"])
def test_hidden_or_unknown_videos_answer_the_404_page(browser_server, world, ref):
    path = {"private": embed_url(world["private"]), "unknown": f"/videos/embed/{uuid.uuid4()}",
            "numeric-unknown": "/videos/embed/987654"}[ref]
    response = browser_server.anonymous.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "data-vidpub-player" not in response.text


def test_bad_references_answer_an_html_error(browser_server):
    for path in ("/videos/embed/%3Cscript%3E", "/videos/embed/" + "a" * 60, "/video-playlists/embed/x?playlistPosition=-1"):
        response = browser_server.anonymous.get(path)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert response.headers["content-type"].startswith("text/html")


def test_password_protected_videos_ask_for_the_password(browser_server, world):
    url = embed_url(world["protected"])
    prompt = browser_server.anonymous.get(url)
    assert prompt.status_code == 403 and 'name="password"' in prompt.text and "data-vidpub-player" not in prompt.text
    wrong = browser_server.anonymous.post(url, data={"password": "nope"})
    assert wrong.status_code == 403 and "Incorrect password" in wrong.text
    right = browser_server.anonymous.post(url, data={"password": PASSWORD})
    assert right.status_code == 200 and "data-vidpub-player" in right.text


def test_hidden_playlists_answer_404(browser_server, world):
    assert browser_server.anonymous.get(f"/video-playlists/embed/{world['hidden_playlist']['uuid']}").status_code == 404
    assert browser_server.anonymous.get(f"/video-playlists/embed/{uuid.uuid4()}").status_code == 404


# -- in the browser -------------------------------------------------------------------------------------------

def wait_time_past(page, seconds: float) -> None:
    page.wait_for_function("t => document.querySelector('video').currentTime > t", arg=seconds, timeout=30_000)


def test_the_embed_page_plays(page, world):
    page.goto(embed_url(world["public"], "?autoplay=1&muted=1"))
    wait_time_past(page, 1)
    assert page.evaluate("document.querySelector('[data-vidpub-player]').dataset.mode") == "hls"
    assert page.evaluate("window.pwned") is None
    title = page.locator(f"{PLAYER} .vp-top a")
    assert title.inner_text() == world["public"]["name"]
    assert title.get_attribute("href").endswith(f"/w/{world['public']['shortUUID']}")
    assert page.locator(f"{PLAYER} a.vp-link").count() == 1


def test_an_iframe_on_another_page_plays_the_embed(page, world, browser_server):
    # a page of "another site" (about:blank) framing the embed, as oEmbed consumers do
    page.set_content(f'<iframe id="embed" width="560" height="315" allow="autoplay" '
                     f'src="{browser_server.url}{embed_url(world["public"], "?autoplay=1&muted=1")}"></iframe>')
    page.frame_locator("#embed").locator(PLAYER).wait_for()
    embedded = next(f for f in page.frames if "/videos/embed/" in f.url)
    embedded.wait_for_function("document.querySelector('video').currentTime > 1", timeout=30_000)


def test_options_hide_the_title_controls_and_link(page, world):
    page.goto(embed_url(world["public"], "?title=0&peertubeLink=0&muted=1"))
    page.locator(f"{PLAYER} .vp-bar").wait_for()
    assert page.locator(f"{PLAYER} .vp-top").count() == 0
    assert page.locator(f"{PLAYER} a.vp-link").count() == 0
    page.goto(embed_url(world["public"], "?controls=0&autoplay=1&muted=1"))
    wait_time_past(page, 0.5)
    assert page.locator(f"{PLAYER} .vp-bar").count() == 0
    assert page.evaluate("document.querySelector('video').controls") is False


def test_start_stop_loop_and_muted_options(page, world):
    page.goto(embed_url(world["public"], "?start=3&stop=5&autoplay=1&muted=1"))
    page.wait_for_function("document.querySelector('video').currentTime >= 3")
    page.wait_for_function("document.querySelector('video').paused && document.querySelector('video').currentTime >= 5",
                           timeout=30_000)
    state = page.evaluate("({t: document.querySelector('video').currentTime, muted: document.querySelector('video').muted})")
    assert state["t"] < world["public"]["duration"] - 1, "stopped at `stop`, not at the end"
    assert state["muted"] is True
    page.goto(embed_url(world["public"], "?loop=1"))
    page.locator(f"{PLAYER} .vp-bar").wait_for()
    assert page.evaluate("document.querySelector('video').loop") is True


def test_the_subtitle_option_shows_captions(page, world):
    page.goto(embed_url(world["public"], "?subtitle=fr&autoplay=1&muted=1"))
    cue = page.wait_for_function("""() => {
        const track = document.querySelector('video').textTracks[0];
        return track && track.mode === 'showing' && track.activeCues && track.activeCues.length
            && track.activeCues[0].text;
    }""", timeout=30_000)
    assert cue.json_value() == "Bonjour"


def test_a_password_protected_embed_plays_after_the_prompt(page, world):
    page.goto(embed_url(world["protected"], "?autoplay=1&muted=1"))
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Watch the video").click()
    wait_time_past(page, 0.5)
    assert "/private/" in page.evaluate("""() => performance.getEntriesByType('resource')
        .map(e => e.name).filter(n => n.includes('fragmented.mp4') || n.endsWith('.mp4')).join(' ')""")


def test_the_playlist_embed_plays_the_list_in_order(page, world):
    playlist = world["playlist"]
    page.goto(f"/video-playlists/embed/{playlist['uuid']}?muted=1")
    items = page.locator("nav.embed-playlist li")
    assert items.count() == 3
    assert items.nth(0).inner_text() == "1. Unavailable video"  # a private video stays hidden
    current = page.locator("nav.embed-playlist [aria-current=true]")
    assert current.inner_text().startswith("2. Embedded")
    # the end of a video opens the next element, which plays on its own
    page.evaluate("document.querySelector('video').muted = true")
    page.locator(f"{PLAYER} .vp-big-play").click()
    page.evaluate("""() => new Promise((resolve) => {
        const video = document.querySelector('video');
        if (video.readyState >= 1) resolve(); else video.addEventListener('loadedmetadata', resolve, {once: true});
    }).then(() => { document.querySelector('video').currentTime = document.querySelector('video').duration - 0.3; })""")
    page.wait_for_url(re.compile(r"playlistPosition=3"), timeout=30_000)
    assert page.locator("nav.embed-playlist [aria-current=true]").inner_text() == "3. The second one"
    wait_time_past(page, 0.5)
