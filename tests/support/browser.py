"""Helpers of the browser tests (fixtures in `tests/web/browser/conftest.py`)."""

from __future__ import annotations

import functools
import tempfile
import uuid
from pathlib import Path

from tests.support.media import make_clip
from tests.support.server import Client
from tests.support.videos import my_channel_id, upload_video, wait_for_state


@functools.cache
def browser_clip(duration: int = 6, width: int = 426, height: int = 240) -> Path:
    """A real clip (test pattern with sound) made once per size and duration for the session."""
    directory = Path(tempfile.mkdtemp(prefix="vidpub-browser-clips-"))
    return make_clip(directory / f"clip-{width}x{height}-{duration}s.mp4", duration=duration, width=width,
                     height=height, fps=15)


def published_clip(client: Client, *, duration: int = 6, width: int = 426, height: int = 240, **fields) -> dict:
    """Upload a clip through the API as `client` and wait until it is published; returns the video's
    API JSON (`GET /api/v1/videos/{uuid}`). Public unless `fields` say otherwise."""
    fields = {"name": f"browser clip {uuid.uuid4().hex[:8]}", "privacy": 1, **fields}
    uploaded = upload_video(client, my_channel_id(client), browser_clip(duration, width, height), **fields)
    return wait_for_state(client, uploaded["uuid"], timeout=180)


def log_in_through_page(page, username: str, password: str) -> None:
    """Fill the login page's form as a person would and wait until the server answered it."""
    page.goto("/login")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log in").click()
