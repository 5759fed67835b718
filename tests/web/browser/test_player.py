"""The player in a real Chromium, on the watch page: HLS through Media Source Extensions (the fragmented
MP4 byte ranges of the HLS playlists), quality switches by hand and by measured throughput, the web-video
MP4 fallback, WebVTT captions, chapters, keyboard, fullscreen and the watching reports."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.federation.conftest import wait_until
from tests.federation.fake_peer import FakePeer
from tests.support.browser import published_clip
from vidpub.federation.context import AS_PUBLIC, with_context

PLAYER = "[data-vidpub-player]"
CLIP_SECONDS = 16   # four HLS segments: room to switch quality while playing
CAPTION = "Hello from the captions"
VTT = f"WEBVTT\n\n00:00.000 --> 00:{CLIP_SECONDS:02d}.000\n{CAPTION}\n"
CHAPTERS = [{"timecode": 0, "title": "Opening"}, {"timecode": 8, "title": "Second half"}]


@pytest.fixture(scope="module")
def video(browser_server):
    owner = browser_server.create_user(f"player_{uuid.uuid4().hex[:8]}")
    video = published_clip(owner, duration=CLIP_SECONDS)
    response = owner.put(f"/api/v1/videos/{video['uuid']}/captions/en",
                         files={"captionfile": ("en.vtt", VTT.encode(), "text/vtt")})
    assert response.status_code == 204, response.text
    response = owner.put(f"/api/v1/videos/{video['uuid']}/chapters", json={"chapters": CHAPTERS})
    assert response.status_code == 204, response.text
    assert {f["resolution"]["id"] for f in video["streamingPlaylists"][0]["files"]} == {144, 240}
    return video


def player_state(page) -> dict:
    return page.evaluate("""() => {
        const video = document.querySelector('video'); const root = document.querySelector('[data-vidpub-player]');
        return {time: video.currentTime, paused: video.paused, height: video.videoHeight, src: video.currentSrc,
                mode: root.dataset.mode, level: root.dataset.level, muted: video.muted, loop: video.loop};
    }""")


def wait_time_past(page, seconds: float, timeout: float = 30_000) -> None:
    page.wait_for_function("t => document.querySelector('video').currentTime > t", arg=seconds, timeout=timeout)


def wait_for_height(page, height: int, timeout: float = 30_000) -> None:
    """Wait until the picture shown is `height` pixels high; on a timeout, say where the player stood."""
    try:
        page.wait_for_function("h => document.querySelector('video').videoHeight === h", arg=height,
                               timeout=timeout)
    except PlaywrightTimeoutError:
        buffered = page.evaluate("(() => { const b = document.querySelector('video').buffered; "
                                 "return Array.from({length: b.length}, (_, i) => [b.start(i), b.end(i)]); })()")
        raise AssertionError(f"the picture never became {height}p high: {player_state(page)}, "
                             f"buffered {buffered}") from None


def open_watch_page(page, video, query: str = "") -> None:
    page.goto(f"/w/{video['shortUUID']}{query}")
    page.wait_for_function("document.querySelector('[data-vidpub-player]').dataset.level !== undefined")


def play(page) -> None:
    page.locator(f"{PLAYER} .vp-big-play").click()


def choose(page, menu_button: str, label: str) -> None:
    """The menu item whose text starts with `label` ("Auto" is "Auto (240p)" while automatic)."""
    page.locator(f"{PLAYER} {menu_button}").click()
    page.locator(f"{PLAYER} .vp-menu [role=menuitemradio]", has_text=re.compile(f"^{re.escape(label)}")).click()


def test_hls_plays_through_media_source_extensions(page, video):
    segment_requests, web_video_requests = [], []
    page.on("request", lambda r: "range" in r.headers and r.url.endswith("-fragmented.mp4")
            and segment_requests.append(r.headers["range"]))
    page.on("request", lambda r: "/static/web-videos/" in r.url and web_video_requests.append(r.url))
    open_watch_page(page, video)
    play(page)
    wait_time_past(page, 1.5)
    state = player_state(page)
    assert state["mode"] == "hls"
    assert state["src"].startswith("blob:"), "the video reads a MediaSource, not a file"
    assert not state["paused"]
    assert segment_requests and all(r.startswith("bytes=") for r in segment_requests)
    assert web_video_requests == [], "the no-JavaScript MP4 is not fetched when HLS plays"


def test_a_quality_switch_keeps_playing(page, video):
    open_watch_page(page, video)
    play(page)
    wait_for_height(page, 240)
    choose(page, ".vp-settings-button", "144p")
    wait_for_height(page, 144)
    switched_at = player_state(page)["time"]
    wait_time_past(page, switched_at + 1)
    state = player_state(page)
    assert state["level"] == "144" and not state["paused"]
    page.locator(f"{PLAYER} .vp-settings-button").click()
    assert page.locator(f"{PLAYER} [role=menuitemradio][aria-checked=true]").first.inner_text() == "144p"


def test_choosing_a_level_replaces_what_an_automatic_switch_kept(page, video):
    """Back to automatic quality after 144p, the player moves to 240p for the segments it will fetch but
    keeps the 144p ones already buffered (all of them, on a short clip). Choosing 240p then must
    replace those, although the level in use is already 240p."""
    open_watch_page(page, video)
    play(page)
    wait_for_height(page, 240)
    choose(page, ".vp-settings-button", "144p")
    wait_for_height(page, 144)
    choose(page, ".vp-settings-button", "Auto")
    page.wait_for_function("document.querySelector('[data-vidpub-player]').dataset.level === '240'")
    assert player_state(page)["height"] == 144, "an automatic switch keeps the buffered segments"
    choose(page, ".vp-settings-button", "240p")
    wait_for_height(page, 240)
    assert not player_state(page)["paused"]


def test_a_copy_held_by_another_instance_plays_when_the_origin_fails(page, browser_server, video):
    """Another instance announces its copy of the video's HLS playlist (`Create CacheFile`); with the
    origin's HLS files unreachable, the player takes the playlists and segments from the copy. (The
    other tests of the module keep playing from the origin, which answers them first.)"""
    mirrored = video
    peer = FakePeer().start()
    try:
        instance = peer.add_actor("peertube", "Application")
        mirror_base = f"{peer.url}/static/redundancy/hls/{mirrored['uuid']}"
        cache_id = f"{peer.url}/redundancy/streaming-playlists/hls/{mirrored['uuid']}"
        cache_file = {"id": cache_id, "type": "CacheFile", "expires": "2040-01-01T00:00:00.000Z",
                      "object": f"{browser_server.url}/videos/watch/{mirrored['uuid']}",
                      "url": {"type": "Link", "mediaType": "application/x-mpegURL", "href": mirror_base}}
        announce = with_context({"type": "Create", "id": cache_id, "actor": instance.url, "to": [AS_PUBLIC],
                                 "cc": [], "object": cache_file}, "CacheFile")
        assert peer.post(f"{browser_server.url}/inbox", announce, instance).status_code == 204
        wait_until(lambda: [copy["baseUrl"] for copy in browser_server.anonymous.get(
            f"/api/v1/videos/{mirrored['uuid']}").json()["streamingPlaylists"][0]["redundancies"]] == [mirror_base],
            what="the copy listed")

        origin_base = browser_server.url + urlsplit(mirrored["streamingPlaylists"][0]["playlistUrl"]).path
        origin_base = origin_base.rsplit("/", 1)[0]
        from_mirror: list[str] = []

        def serve_from_mirror(route):
            # the copy holds the origin's files under the same names (a real one sends CORS headers too)
            from_mirror.append(route.request.url)
            answer = route.fetch(url=origin_base + route.request.url[len(mirror_base):])
            route.fulfill(response=answer, headers={**answer.headers, "access-control-allow-origin": "*"})

        page.route(f"{origin_base}/**", lambda route: route.abort("connectionrefused"))
        page.route(f"{mirror_base}/**", serve_from_mirror)
        open_watch_page(page, mirrored)
        play(page)
        wait_time_past(page, 1.5)
        state = player_state(page)
        assert state["mode"] == "hls" and not state["paused"]
        assert any(url.endswith(".m3u8") for url in from_mirror)
        assert any(url.endswith("-fragmented.mp4") for url in from_mirror)
    finally:
        peer.stop()


def test_automatic_quality_follows_the_measured_throughput(page, video):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    # 150 kbit/s: below the 240p rendition's bandwidth, above the 144p one's once the margin is taken
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "uploadThroughput": -1,
                                                  "downloadThroughput": 150_000 / 8})
    open_watch_page(page, video)
    assert player_state(page)["level"] == "240"  # the first guess before any measurement
    play(page)
    page.wait_for_function("document.querySelector('[data-vidpub-player]').dataset.level === '144'",
                           timeout=90_000)
    page.locator(f"{PLAYER} .vp-settings-button").click()
    checked = page.locator(f"{PLAYER} [role=menuitemradio][aria-checked=true]").first.inner_text()
    assert checked == "Auto (144p)"


def test_seeking_beyond_the_buffer_loads_from_there(page, video):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    # slow enough that only the first segments are buffered when the viewer jumps to the last one
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "uploadThroughput": -1,
                                                  "downloadThroughput": 400_000 / 8})
    open_watch_page(page, video)
    play(page)
    wait_time_past(page, 0.2)
    buffered_end = page.evaluate("(() => { const b = document.querySelector('video').buffered; "
                                 "return b.length ? b.end(b.length - 1) : 0; })()")
    assert buffered_end < 13
    page.evaluate("document.querySelector('video').currentTime = 13")
    wait_time_past(page, 13.5, timeout=60_000)
    ranges = page.evaluate("(() => { const b = document.querySelector('video').buffered; "
                           "return Array.from({length: b.length}, (_, i) => [b.start(i), b.end(i)]); })()")
    assert any(start <= 13 < end for start, end in ranges)


def test_the_web_video_fallback_plays_and_switches(page, video):
    page.add_init_script("delete window.MediaSource; delete window.ManagedMediaSource;")
    open_watch_page(page, video)
    play(page)
    wait_time_past(page, 1)
    state = player_state(page)
    assert state["mode"] == "web" and "/static/web-videos/" in state["src"]
    choose(page, ".vp-settings-button", "144p")
    wait_for_height(page, 144)
    state = player_state(page)
    assert "-144.mp4" in state["src"] and state["time"] >= 1, "the position is kept across the switch"
    wait_time_past(page, state["time"] + 0.5)


def test_captions_show_the_webvtt_cues(page, video):
    open_watch_page(page, video)
    captions = page.locator(f"{PLAYER} .vp-subtitles-button")
    captions.wait_for(state="visible")
    choose(page, ".vp-subtitles-button", "English")
    play(page)
    cue = page.wait_for_function("""() => {
        const track = document.querySelector('video').textTracks[0];
        return track.mode === 'showing' && track.activeCues && track.activeCues.length
            && track.activeCues[0].text;
    }""")
    assert cue.json_value() == CAPTION
    page.keyboard.press("c")  # the keyboard toggles them off
    assert page.evaluate("document.querySelector('video').textTracks[0].mode") == "disabled"


def test_chapters_mark_the_timeline_and_jump(page, video):
    open_watch_page(page, video)
    page.locator(f"{PLAYER} .vp-chapters-button").wait_for(state="visible")
    assert page.locator(f"{PLAYER} .vp-marker").count() == 1  # the one after the start
    choose(page, ".vp-chapters-button", "Second half")
    page.wait_for_function("document.querySelector('video').currentTime >= 8")
    page.wait_for_function("document.querySelector('.vp-chapter').textContent === 'Second half'")


def test_keyboard_and_fullscreen(page, video):
    open_watch_page(page, video)
    page.focus(PLAYER)
    page.keyboard.press("k")
    wait_time_past(page, 0.5)
    before = player_state(page)["time"]
    page.keyboard.press("ArrowRight")
    page.wait_for_function("t => document.querySelector('video').currentTime >= t + 4.5", arg=before)
    page.keyboard.press("m")
    assert player_state(page)["muted"] is True
    page.keyboard.press("k")
    page.wait_for_function("document.querySelector('video').paused")
    page.locator(f"{PLAYER} .vp-fullscreen").click()
    page.wait_for_function("document.fullscreenElement === document.querySelector('[data-vidpub-player]')")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")


def test_watching_reports_are_posted_like_peertube(page, video, browser_server):
    def is_report(request):
        return request.method == "POST" and request.url.endswith(f"/api/v1/videos/{video['uuid']}/views")

    open_watch_page(page, video)
    with page.expect_request(is_report) as first:
        play(page)
    body = first.value.post_data_json
    assert set(body) >= {"currentTime", "sessionId"} and isinstance(body["currentTime"], int)
    assert first.value.response().status == 204
    wait_time_past(page, 1)
    with page.expect_request(lambda r: is_report(r) and r.post_data_json.get("viewEvent") == "seek") as seek:
        page.evaluate("document.querySelector('video').currentTime = 10")
        page.wait_for_function("!document.querySelector('video').seeking "
                               "&& document.querySelector('video').currentTime >= 10")
        page.evaluate("document.querySelector('video').pause()")
    report = seek.value.post_data_json
    assert report["currentTime"] >= 10 and report["sessionId"] == body["sessionId"]


def test_split_audio_and_video_renditions_play_together(page, server_factory):
    """`transcoding.hls.split_audio_and_video`: video renditions without sound and one audio rendition,
    each appended to its own SourceBuffer."""
    server = server_factory({"transcoding": {"enabled": True, "web_videos": {"enabled": False},
                                             "hls": {"enabled": True, "split_audio_and_video": True},
                                             "resolutions": {"144p": True, "240p": True}}})
    owner = server.create_user(f"split_{uuid.uuid4().hex[:8]}")
    video = published_clip(owner, duration=8)
    master = server.anonymous.get(video["streamingPlaylists"][0]["playlistUrl"]).text
    assert "TYPE=AUDIO" in master
    page.goto(f"{server.url}/videos/embed/{video['uuid']}?autoplay=1")
    wait_time_past(page, 1.5)
    tracks = page.evaluate("""() => {
        const player = document.querySelector('[data-vidpub-player]').vidpubPlayer;
        return player.hls.tracks.map((t) => [t.kind, t.sourceBuffer.buffered.length]);
    }""")
    assert [kind for kind, _ in tracks] == ["main", "audio"]
    assert all(ranges >= 1 for _, ranges in tracks)
    assert page.evaluate("document.querySelector('video').webkitAudioDecodedByteCount") > 0
