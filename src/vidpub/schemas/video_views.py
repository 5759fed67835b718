"""The player's watching report (`VideoView`, the 7.0 spec's `UserViewingVideo`)."""

from __future__ import annotations

import math
from typing import Literal

from pydantic import Field, field_validator

from vidpub.schemas.common import RequestBody

MAX_VIDEO_TIME = 2**31 - 1  # seconds; an INTEGER column holds the position
ViewerDevice = Literal["console", "embedded", "mobile", "smarttv", "tablet", "wearable", "xr", "desktop"]


class VideoViewBody(RequestBody):
    # PeerTube turns the value into an integer; players send whole seconds, some send fractions
    currentTime: float = Field(ge=0, le=MAX_VIDEO_TIME)
    viewEvent: Literal["seek"] | None = None
    sessionId: str | None = Field(None, min_length=1, max_length=200, pattern=r"^[A-Za-z0-9-]+$")
    client: str | None = Field(None, max_length=200)
    device: ViewerDevice | None = None
    operatingSystem: str | None = Field(None, max_length=200)

    @field_validator("currentTime")
    @classmethod
    def _whole_seconds(cls, value: float) -> float:
        return float(math.floor(value))
