"""Published videos for the tests of what surrounds a video (views, rates, passwords, captions,
chapters): a short real clip, uploaded through the API and transcoded."""

from __future__ import annotations

import functools
import tempfile
import uuid
from pathlib import Path

from tests.support.media import make_clip
from tests.support.server import Client
from tests.support.videos import get_video, my_channel_id, upload_video, wait_for_state

CLIP_SECONDS = 4


@functools.lru_cache(maxsize=None)
def clip(duration: int = CLIP_SECONDS) -> Path:
    """One small clip per duration for the whole test session."""
    directory = Path(tempfile.mkdtemp(prefix="vidpub-interactions-"))
    return make_clip(directory / f"clip-{duration}s.mp4", duration=duration, width=160, height=90, fps=10)


def published_video(client: Client, *, duration: int = CLIP_SECONDS, **fields) -> dict:
    """Upload a clip as `client` (public unless `fields` say otherwise) and wait until it is published;
    the upload's `{id, uuid, shortUUID}`."""
    fields = {"name": f"interactions {uuid.uuid4().hex[:8]}", "privacy": 1, **fields}
    video = upload_video(client, my_channel_id(client), clip(duration), **fields)
    wait_for_state(client, video["uuid"])
    return video


video_json = get_video
