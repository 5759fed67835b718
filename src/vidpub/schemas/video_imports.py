"""Video Imports tag: the import request (`VideoImportCreate`) and PeerTube's `VideoImport` JSON."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from vidpub.schemas.common import ApiModel, NumberConstant, Page, Timestamp
from vidpub.schemas.video_create import NAME_LENGTH, VideoAttributes
from vidpub.schemas.videos import VideoJson

TARGET_URL_MAX = 2000
MAGNET_URI_MAX = 2000
_MAGNET = re.compile(r"^magnet:\?(.*&)?xt=urn:[a-z0-9]+:[a-z0-9]{32,}", re.IGNORECASE)

IMPORT_STATE_LABELS = {1: "Pending", 2: "Success", 3: "Failed", 4: "Rejected", 5: "Cancelled",
                       6: "Processing"}


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host (PeerTube's `isVideoImportTargetUrlValid`)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in value)


class VideoImportCreate(VideoAttributes):
    """`POST /videos/imports`: what to import and the video's metadata. Unlike an upload, `name` may
    be left out: the title found at the URL is used (as PeerTube does)."""

    name: Annotated[str | None, Field(min_length=NAME_LENGTH[0], max_length=NAME_LENGTH[1])] = None
    targetUrl: Annotated[str | None, Field(max_length=TARGET_URL_MAX)] = None
    magnetUri: Annotated[str | None, Field(max_length=MAGNET_URI_MAX)] = None

    @field_validator("targetUrl", "magnetUri", mode="before")
    @classmethod
    def _blank(cls, value):
        return None if isinstance(value, str) and value.strip() == "" else value

    @field_validator("targetUrl")
    @classmethod
    def _target_url(cls, value: str | None):
        if value is not None and not is_http_url(value):
            raise ValueError("Should have a valid target URL (http or https)")
        return value

    @field_validator("magnetUri")
    @classmethod
    def _magnet_uri(cls, value: str | None):
        if value is not None and not _MAGNET.match(value):
            raise ValueError("Should have a valid magnet URI")
        return value


class VideoImportJson(ApiModel):
    """PeerTube's `VideoImport`: the 7.0 spec's fields plus PeerTube 8's `attempts` and
    `originallyPublishedAt`. `video` is null once the video was deleted."""
    id: int
    targetUrl: str | None
    magnetUri: str | None
    torrentName: str | None
    # write-only in the spec (the uploaded file), but its `VideoImport` lists it: always null here
    torrentfile: None = None
    attempts: int
    state: NumberConstant
    error: str | None
    createdAt: Timestamp
    updatedAt: Timestamp
    originallyPublishedAt: Timestamp | None
    video: VideoJson | None  # a list item with its `tags`


class VideoImportsList(Page[VideoImportJson]):
    pass


def import_state(state: int) -> NumberConstant:
    return NumberConstant(id=state, label=IMPORT_STATE_LABELS.get(state, "Unknown"))
