"""Reading a video's served files in tests: its URLs from the API, HLS byte ranges, tokens."""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlsplit

import httpx

from tests.support.published_videos import clip
from tests.support.server import Client
from tests.support.videos import get_video, my_channel_id, upload_video, wait_for_state

# servers whose videos have web videos besides HLS, keep their originals, and sign with a known secret
FILES_CONFIG = {
    "transcoding": {"web_videos": {"enabled": True}, "hls": {"enabled": True},
                    "original_file": {"keep": True}},
    "secrets": {"peertube": "a-known-secret-for-file-tests"},
}


def path_of(url: str) -> str:
    """The path and query of one of the server's absolute URLs (clients may carry another base)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def uploaded(client: Client, **fields) -> dict:
    """A published video of `client` (public unless `fields` say otherwise); its full JSON, seen by
    its owner."""
    fields = {"name": f"files {uuid.uuid4().hex[:8]}", "privacy": 1, **fields}
    video = upload_video(client, my_channel_id(client), clip(4), **fields)
    wait_for_state(client, video["uuid"])
    return get_video(client, video["uuid"])


def hls_playlist(video: dict) -> dict:
    assert video["streamingPlaylists"], f"no HLS playlist: {video}"
    return video["streamingPlaylists"][0]


def hls_file(video: dict) -> dict:
    return hls_playlist(video)["files"][0]


def byte_ranges(playlist: str) -> list[tuple[int, int]]:
    """(offset, length) of each segment of a resolution playlist."""
    found = re.findall(r"#EXT-X-BYTERANGE:(\d+)@(\d+)", playlist)
    return [(int(offset), int(length)) for length, offset in found]


def playlist_references(playlist: str) -> list[str]:
    """The URIs a playlist names: URI lines and `URI="…"` attributes."""
    references = re.findall(r'URI="([^"]*)"', playlist)
    references += [line.strip() for line in playlist.splitlines()
                   if line.strip() and not line.startswith("#")]
    return references


def file_token(client: Client, ref: str, headers: dict | None = None) -> str:
    response = client.post(f"/api/v1/videos/{ref}/token", headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["files"]["token"]


def fetch(client: Client, url: str, **kwargs) -> httpx.Response:
    return client.get(path_of(url), **kwargs)
