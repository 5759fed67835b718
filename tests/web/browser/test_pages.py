"""The pages in a real browser: log in, upload a clip through the upload page (pause and resume included),
wait for its publication, play it, find it with the search box, and keep a screenshot of the watch page."""

from __future__ import annotations

import re

from tests.support.browser import browser_clip, log_in_through_page, published_clip
from tests.web.browser.conftest import artifact_path

PUBLICATION_TIMEOUT_MS = 180_000


def test_home_page_renders_in_browser(page, browser_server):
    page.goto("/")
    name = browser_server.anonymous.get("/api/v1/config").json()["instance"]["name"]
    assert page.title().startswith(name)
    assert page.locator("html").get_attribute("lang") == "en"


def test_login_page_shows_the_api_refusal(page, browser_server, unique):
    browser_server.create_user(f"refused{unique}", password="password-refused")
    log_in_through_page(page, f"refused{unique}", "not-the-password")
    assert page.get_by_role("alert").inner_text() == "Invalid grant: user credentials are invalid"
    assert page.get_by_role("link", name="Log in").count() == 1


def test_upload_publish_play_search_and_screenshot(page, browser_server, artifacts_dir, request, unique):
    username = f"uploader{unique}"
    browser_server.create_user(username, password="password-upload")
    log_in_through_page(page, username, "password-upload")
    assert page.get_by_role("button", name=f"Log out ({username})").is_visible()

    title = f"Browser upload {unique}"
    page.goto("/videos/upload")
    page.get_by_label("Video file").set_input_files(str(browser_clip()))
    page.get_by_label("Title").fill(title)
    page.get_by_label("Description").fill("Uploaded from *the page*")
    page.get_by_role("button", name="Upload", exact=True).click()
    page.get_by_text("Published.").wait_for(timeout=PUBLICATION_TIMEOUT_MS)
    assert page.locator("#upload-progress").get_attribute("value") == "100"

    page.get_by_role("link", name="Watch the video").click()
    page.wait_for_url(re.compile(r"/w/[0-9A-Za-z]+$"))
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.locator(".watch-description em").inner_text() == "the page"
    video = page.locator("video").first
    video.wait_for(state="attached")
    page.evaluate("document.querySelector('video').muted = true; document.querySelector('video').play()")
    page.wait_for_function("document.querySelector('video').currentTime > 1", timeout=60_000)
    page.screenshot(path=str(artifact_path(artifacts_dir, request, ".png")), full_page=True)

    page.goto("/")
    page.get_by_label("Search videos").fill(title)
    page.get_by_label("Search videos").press("Enter")
    page.wait_for_url(re.compile(r"/search\?"))
    assert page.locator(".video-grid .video-title", has_text=title).count() == 1

    page.goto("/my-library/videos")
    assert page.locator(".video-grid .video-title", has_text=title).count() == 1


def test_upload_pauses_and_resumes(page, browser_server, unique):
    username = f"pauser{unique}"
    browser_server.create_user(username, password="password-pause")
    log_in_through_page(page, username, "password-pause")
    page.goto("/videos/upload")
    clip = browser_clip()
    chunk_size = 64 * 1024
    assert clip.stat().st_size > 3 * chunk_size
    page.locator("#upload-form").evaluate(f"form => form.setAttribute('data-chunk-size', '{chunk_size}')")

    held, ranges = [], []
    page.on("request", lambda req: ranges.append(req.headers.get("content-range"))
            if req.method == "PUT" else None)

    def hold_second_chunk(route):
        if route.request.method == "PUT" and (route.request.headers.get("content-range") or "").startswith(
                f"bytes {chunk_size}-") and not held:
            held.append(route)  # never answered: the upload is mid-chunk when paused
        else:
            route.continue_()

    page.route("**/api/v1/videos/upload-resumable?*", hold_second_chunk)
    page.get_by_label("Video file").set_input_files(str(clip))
    page.get_by_label("Title").fill(f"Paused upload {unique}")
    page.get_by_role("button", name="Upload", exact=True).click()
    for _ in range(1200):  # until the second chunk is on its way (the loop only guards against a hang)
        if held:
            break
        page.wait_for_timeout(50)
    assert held, "the second chunk was never sent"
    page.get_by_role("button", name="Pause", exact=True).click()
    assert page.get_by_role("button", name="Resume", exact=True).is_visible()
    assert page.locator("#upload-state").inner_text() == "Paused."
    page.unroute("**/api/v1/videos/upload-resumable?*")
    page.get_by_role("button", name="Resume", exact=True).click()
    page.get_by_text("Published.").wait_for(timeout=PUBLICATION_TIMEOUT_MS)
    # the page asked the server what it held, then sent the rest from there
    size = clip.stat().st_size
    assert f"bytes */{size}" in ranges
    assert ranges[-1].endswith(f"-{size - 1}/{size}")
    link = page.get_by_role("link", name="Watch the video").get_attribute("href")
    short_uuid = link.rsplit("/", 1)[1]
    video = browser_server.anonymous.get(f"/api/v1/videos/{short_uuid}").json()
    assert video["state"]["id"] == 1 and video["duration"] >= 5


def test_upload_page_shows_the_api_error_over_quota(page, browser_server, unique):
    username = f"quota{unique}"
    browser_server.create_user(username, password="password-quota", videoQuota=1000)
    log_in_through_page(page, username, "password-quota")
    page.goto("/videos/upload")
    page.get_by_label("Video file").set_input_files(str(browser_clip()))
    page.get_by_label("Title").fill(f"Too large {unique}")
    page.get_by_role("button", name="Upload", exact=True).click()
    error = page.locator("#upload-error")
    error.wait_for(state="visible")
    assert error.inner_text() == "The user video quota is exceeded with this video."


def test_watch_page_of_a_published_clip_reads_without_javascript(browser, browser_server, unique):
    owner = browser_server.create_user(f"nojs{unique}")
    video = published_clip(owner, name=f"No script {unique}")
    context = browser.new_context(base_url=browser_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/w/{video['shortUUID']}")
        assert page.get_by_role("heading", level=1).inner_text() == f"No script {unique}"
        page.goto(f"/c/{video['channel']['name']}")
        assert page.locator(".video-title", has_text=f"No script {unique}").count() == 1
    finally:
        context.close()
