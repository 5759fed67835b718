"""Channels Sync tag: synchronisations of a local channel with an external one, and the body of a
one-off import of an external channel."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StrictStr, field_validator

from vidpub.config import Config
from vidpub.schemas.actors import VideoChannel, channel_json
from vidpub.schemas.common import ApiModel, NumberConstant, RequestBody, Timestamp
from vidpub.schemas.video_imports import is_http_url

EXTERNAL_URL_LENGTH = (3, 2000)
ExternalUrl = Annotated[StrictStr, Field(min_length=EXTERNAL_URL_LENGTH[0], max_length=EXTERNAL_URL_LENGTH[1])]
Id = Annotated[int, Field(ge=1, le=2**31 - 1)]


def _http_url(value: str) -> str:
    if not is_http_url(value):
        raise ValueError("Should have a valid external channel URL (http or https)")
    return value


class ImportVideosInChannelCreate(RequestBody):
    externalChannelUrl: ExternalUrl
    videoChannelSyncId: Id | None = None

    @field_validator("externalChannelUrl")
    @classmethod
    def _external_url(cls, value: str) -> str:
        return _http_url(value)


class VideoChannelSyncCreate(RequestBody):
    externalChannelUrl: ExternalUrl
    videoChannelId: Id

    @field_validator("externalChannelUrl")
    @classmethod
    def _external_url(cls, value: str) -> str:
        return _http_url(value)


class VideoChannelSyncJson(ApiModel):
    """The 7.0 spec's `VideoChannelSync`; its `channel` is the full channel (a superset of the
    `VideoChannelSummary` PeerTube 8 sends)."""
    id: int
    state: NumberConstant
    externalChannelUrl: str
    createdAt: Timestamp
    lastSyncAt: Timestamp | None
    channel: VideoChannel


class VideoChannelSyncList(ApiModel):
    total: int
    data: list[VideoChannelSyncJson]


class VideoChannelSyncCreated(ApiModel):
    videoChannelSync: VideoChannelSyncJson


def sync_json(sync, config: Config, state_labels: dict[int, str]) -> VideoChannelSyncJson:
    """A sync loaded with its channel and the channel's owner."""
    channel = sync.channel
    return VideoChannelSyncJson(
        id=sync.id, state=NumberConstant(id=sync.state, label=state_labels.get(sync.state, "Unknown")),
        externalChannelUrl=sync.external_channel_url, createdAt=sync.created_at, lastSyncAt=sync.last_sync_at,
        channel=channel_json(channel, config.url, config.host, owner=channel.account))
