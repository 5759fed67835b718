"""The watch page's player in a real Chromium: PeerTube's URL options (`?start=`), a password-protected
video after its prompt, and a signed-in owner's private video (the page's access token buys the file
token and signs the watching reports)."""

from __future__ import annotations

import uuid

import pytest

from tests.support.browser import log_in_through_page, published_clip

PASSWORD = "open-sesame"
OWNER_PASSWORD = "password-watch-owner"
# the time of the video element when it first plays, whichever script started it
RECORD_FIRST_PLAYING = """document.addEventListener('playing', (event) => {
    if (window.firstPlayingAt === undefined) window.firstPlayingAt = event.target.currentTime;
}, true);"""


@pytest.fixture(scope="module")
def world(browser_server):
    username = f"watch_{uuid.uuid4().hex[:8]}"
    owner = browser_server.create_user(username, password=OWNER_PASSWORD)
    return {"username": username,
            "public": published_clip(owner, duration=10),
            "protected": published_clip(owner, duration=4, privacy=5, videoPasswords=[PASSWORD]),
            "private": published_clip(owner, duration=4, privacy=3)}


def wait_time_past(page, seconds: float) -> None:
    page.wait_for_function("t => document.querySelector('video').currentTime > t", arg=seconds, timeout=30_000)


def media_requests(page) -> str:
    return page.evaluate("""() => performance.getEntriesByType('resource').map(e => e.name)
        .filter(n => n.includes('fragmented.mp4') || n.endsWith('.mp4')).join(' ')""")


def test_the_start_option_starts_the_watch_page_there(page, world):
    page.add_init_script(RECORD_FIRST_PLAYING)
    page.goto(f"/w/{world['public']['shortUUID']}?start=6&autoplay=1&muted=1")
    page.wait_for_function("window.firstPlayingAt !== undefined", timeout=30_000)
    assert page.evaluate("window.firstPlayingAt") >= 5.9, "played from the start instead of from ?start=6"
    wait_time_past(page, 6.2)


def test_a_password_protected_video_plays_after_the_prompt(page, world):
    page.goto(f"/w/{world['protected']['shortUUID']}?autoplay=1&muted=1")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Watch the video").click()
    wait_time_past(page, 0.5)
    assert "/private/" in media_requests(page)


def test_the_owner_plays_a_private_video_on_the_watch_page(page, world):
    log_in_through_page(page, world["username"], OWNER_PASSWORD)
    with page.expect_request(lambda request: request.method == "POST" and request.url.endswith("/views")) as report:
        page.goto(f"/w/{world['private']['shortUUID']}?autoplay=1&muted=1")
        wait_time_past(page, 0.5)
    assert "/private/" in media_requests(page)
    # the watching report is the signed-in owner's (it feeds the owner's history, as in PeerTube)
    assert report.value.headers.get("authorization", "").startswith("Bearer ")
