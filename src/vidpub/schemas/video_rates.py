"""Video Rates: likes and dislikes."""

from __future__ import annotations

from typing import Literal

from vidpub.schemas.common import ApiModel, RequestBody

Rating = Literal["like", "dislike", "none"]


class VideoRateBody(RequestBody):
    rating: Rating


class MyVideoRating(ApiModel):
    """The 7.0 spec's `GetMeVideoRating` is `{id, rating}`; PeerTube 8 answers `UserVideoRate`,
    `{videoId, rating}`. Both name the video: both are sent."""
    id: int
    videoId: int
    rating: Rating
