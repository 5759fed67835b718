"""Published videos for the video API tests: a small real clip per duration, uploaded through the
API and waited for until transcoded."""

from __future__ import annotations

import functools
import tempfile
import uuid
from pathlib import Path

from tests.support.media import make_clip
from tests.support.server import Client
from tests.support.videos import get_video, my_channel_id, upload_video, wait_for_state


@functools.lru_cache(maxsize=None)
def clip(duration: int = 4) -> Path:
    """One 160x90, 10 fps clip with sound per duration, for the whole test session."""
    directory = Path(tempfile.mkdtemp(prefix="vidpub-video-api-"))
    return make_clip(directory / f"clip-{duration}s.mp4", duration=duration, width=160, height=90, fps=10)


def published_video(client: Client, *, duration: int = 4, **fields) -> dict:
    """Upload a clip as `client` (public unless `fields` say otherwise), wait until it is published;
    returns the upload's `{id, uuid, shortUUID}`."""
    fields = {"name": f"video {uuid.uuid4().hex[:8]}", "privacy": 1, **fields}
    video = upload_video(client, my_channel_id(client), clip(duration), **fields)
    wait_for_state(client, video["uuid"])
    return video


def video_json(client: Client, ref, headers: dict | None = None) -> dict:
    if headers:
        response = client.get(f"/api/v1/videos/{ref}", headers=headers)
        assert response.status_code == 200, response.text
        return response.json()
    return get_video(client, ref)
