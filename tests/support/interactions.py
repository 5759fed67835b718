"""Published videos for the tests of what surrounds a video (views, rates, passwords, captions,
chapters): a short real clip, uploaded through the API and transcoded (`published_videos`)."""

from __future__ import annotations

from tests.support.published_videos import clip, published_video
from tests.support.videos import get_video

CLIP_SECONDS = 4  # the clips' default duration (`published_videos.clip`)

video_json = get_video

__all__ = ["CLIP_SECONDS", "clip", "published_video", "video_json"]
