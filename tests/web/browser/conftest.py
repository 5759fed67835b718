"""Browser tests: Playwright's Python package driving Debian's Chromium (launched by executable path; no
browser download) against a real server process.

Without a Chromium on the machine the browser tests skip with a visible reason; under `CI=true` they fail
instead, because CI installs the `chromium` package (`.ci/run`)."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from tests.support.browser import browser_clip, log_in_through_page, published_clip  # noqa: F401 (for test modules)
from tests.support.server import ServerProcess

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
ARTIFACTS_DIR = Path(os.environ.get("VIDPUB_TEST_ARTIFACTS") or Path(__file__).resolve().parents[2] / "artifacts")

# Web videos next to HLS and two resolutions above the original's floor, so that the player has a fallback
# file and something to switch quality between.
BROWSER_SERVER_CONFIG = {
    # a fake PeerTube peer on loopback announces copies of our videos to the player tests
    "federation": {"prevent_ssrf": False},
    "transcoding": {
        "enabled": True,
        "web_videos": {"enabled": True},
        "hls": {"enabled": True},
        "resolutions": {"144p": True, "240p": True},
    },
}


def find_chromium() -> str | None:
    """`VIDPUB_CHROMIUM` when set, else the first Chromium-like browser on PATH, else Debian's path."""
    explicit = os.environ.get("VIDPUB_CHROMIUM")
    if explicit:
        return explicit if Path(explicit).exists() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def _unavailable(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{message}: browser tests are required under CI=true")
    pytest.skip(f"{message}: browser tests skipped")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    executable = find_chromium()
    if executable is None:
        _unavailable("no Chromium executable found (install Debian's `chromium` package)")
    return executable


# Module scope, not session: Playwright's sync API keeps an asyncio loop running while it is started,
# and tests of other modules that call `asyncio.run()` must not find it (test workers mix modules).
@pytest.fixture(scope="module")
def browser(chromium_executable):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("Playwright's Python package is not installed (pip install -e '.[test]')")
    args = ["--autoplay-policy=no-user-gesture-required", "--mute-audio"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.append("--no-sandbox")  # Chromium refuses to start its sandbox as root
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium_executable, headless=True, args=args)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def browser_server(server_factory) -> ServerProcess:
    """One server per backend for the browser tests, producing web videos and HLS in two resolutions."""
    return server_factory(BROWSER_SERVER_CONFIG)


@pytest.fixture
def context(browser, browser_server):
    """A fresh browser profile (no cookies, no storage) whose relative URLs go to `browser_server`."""
    ctx = browser.new_context(base_url=browser_server.url, viewport={"width": 1280, "height": 800})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page that fails the test on any uncaught JavaScript error."""
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots are kept after the run (`tests/artifacts/`, git-ignored)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR


def artifact_path(artifacts_dir: Path, request, suffix: str) -> Path:
    """A file name in the artifacts directory made from the test's id (backend included)."""
    name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid.split("::", 1)[-1]).strip("_")
    return artifacts_dir / f"{name}{suffix}"
