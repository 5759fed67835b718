"""The server-rendered pages in a real browser."""

from __future__ import annotations


def test_home_page_renders_in_browser(page, browser_server):
    page.goto("/")
    name = browser_server.anonymous.get("/api/v1/config").json()["instance"]["name"]
    assert page.title().startswith(name)
    assert page.locator("html").get_attribute("lang")
