"""Video Channels tag: the bodies a channel is created and edited with, and the channel JSON of lists
(with PeerTube 8's optional statistics)."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import Field, StrictBool, StrictStr, field_validator, model_serializer

from vidpub.schemas.actors import ActorImage, VideoChannel
from vidpub.schemas.common import ApiModel, RequestBody, Timestamp

# PeerTube's channel names follow its user names: lower-case letters, digits and `_`, with `.` and
# `-` allowed inside, 1 to 50 characters
CHANNEL_NAME_RE = re.compile(r"^[a-z0-9_]+([a-z0-9_.-]+[a-z0-9_]+)?$")
CHANNEL_NAME_MAX = 50
DISPLAY_NAME_LENGTH = (1, 120)
DESCRIPTION_LENGTH = (3, 1000)
SUPPORT_LENGTH = (3, 1000)

DisplayName = Annotated[StrictStr, Field(min_length=DISPLAY_NAME_LENGTH[0], max_length=DISPLAY_NAME_LENGTH[1])]
# null clears the field; a text must be 3 to 1000 characters long
Description = Annotated[StrictStr, Field(min_length=DESCRIPTION_LENGTH[0], max_length=DESCRIPTION_LENGTH[1])] | None
Support = Annotated[StrictStr, Field(min_length=SUPPORT_LENGTH[0], max_length=SUPPORT_LENGTH[1])] | None


def is_channel_name(value: object) -> bool:
    return isinstance(value, str) and len(value) <= CHANNEL_NAME_MAX and bool(CHANNEL_NAME_RE.fullmatch(value))


class VideoChannelCreate(RequestBody):
    name: StrictStr
    displayName: DisplayName
    description: Description = None
    support: Support = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not is_channel_name(value):
            raise ValueError("Should have a valid channel name (lower case letters, digits, _ and, inside, . and -; "
                             f"at most {CHANNEL_NAME_MAX} characters)")
        return value


class VideoChannelUpdate(RequestBody):
    displayName: DisplayName | None = None
    description: Description = None
    support: Support = None
    bulkVideosSupportUpdate: StrictBool | None = None

    @field_validator("displayName")
    @classmethod
    def _display_name(cls, value: str | None) -> str | None:
        if value is None:  # PeerTube: a display name may be left out, not removed
            raise ValueError("Should have a valid display name")
        return value


class CreatedChannelId(ApiModel):
    id: int


class VideoChannelCreated(ApiModel):
    videoChannel: CreatedChannelId


class ViewsPerDate(ApiModel):
    date: Timestamp
    views: int


class VideoChannelWithStats(VideoChannel):
    """A channel of a list; `withStats=true` adds PeerTube 8's `videosCount`, `viewsPerDay` (the
    last 30 days and today) and `totalViews`, which are left out otherwise (as PeerTube does)."""
    videosCount: int | None = None
    viewsPerDay: list[ViewsPerDate] | None = None
    totalViews: int | None = None

    @model_serializer(mode="wrap")
    def _drop_absent_stats(self, handler) -> dict[str, Any]:
        data = handler(self)
        if self.videosCount is None:
            for key in ("videosCount", "viewsPerDay", "totalViews"):
                data.pop(key, None)
        return data


class VideoChannelList(ApiModel):
    total: int
    data: list[VideoChannelWithStats]


class ChannelAvatars(ApiModel):
    avatars: list[ActorImage]


class ChannelBanners(ApiModel):
    banners: list[ActorImage]

