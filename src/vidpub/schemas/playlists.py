"""Video Playlists: PeerTube's `VideoPlaylist` and `VideoPlaylistElement` JSON, and the request bodies.

Shapes are the union of the v7.0 REST spec and PeerTube 8's TypeScript interfaces. Where they disagree
the 8.x interfaces win:
- a playlist carries `videosLength` (8.x) and also `videoLength`, the 7.0 spec's name for it;
  `url`, `thumbnailUrl`, `thumbnails`, `embedUrl` and `videoChannelPosition` come from 8.x;
- `GET /video-playlists/{id}/videos` answers `VideoPlaylistElement`s (8.x: `{id, position,
  startTimestamp, stopTimestamp, type, video}`) where the 7.0 spec documents plain `Video`s. The
  official clients read `element.video`; clients generated from the spec read the video's fields on
  the item itself, so a visible element also carries its video's fields flattened — except `id`,
  which stays the element's id (8.x wins).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi.exceptions import RequestValidationError
from pydantic import BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from vidpub.config import Config
from vidpub.db.models import VideoPlaylist, VideoPlaylistPrivacy, VideoPlaylistType
from vidpub.schemas.actors import AccountSummary, VideoChannelSummary, account_summary_json
from vidpub.schemas.common import ApiModel, RequestBody, Timestamp
from vidpub.schemas.videos import IntLabel, ThumbnailJson, VideoJson, aspect_ratio_name, channel_summary_json
from vidpub.services.videos.lookup import short_uuid
from vidpub.storage import layout

PLAYLIST_PRIVACY_LABELS = {VideoPlaylistPrivacy.PUBLIC: "Public", VideoPlaylistPrivacy.UNLISTED: "Unlisted",
                           VideoPlaylistPrivacy.PRIVATE: "Private"}
PLAYLIST_TYPE_LABELS = {VideoPlaylistType.REGULAR: "Regular", VideoPlaylistType.WATCH_LATER: "Watch later"}
DISPLAY_NAME_LENGTH = (1, 120)
DESCRIPTION_LENGTH = (3, 1000)
MAX_ID = 2**31 - 1
MAX_TIMESTAMP = 2**31 - 1


class ElementType:
    """How an element shows to the caller (PeerTube's VideoPlaylistElementType)."""
    REGULAR = 0
    DELETED = 1
    PRIVATE = 2
    UNAVAILABLE = 3


# -- answers ------------------------------------------------------------------------------------------

class VideoPlaylistJson(ApiModel):
    id: int
    uuid: str
    shortUUID: str
    isLocal: bool
    url: str
    displayName: str
    description: str | None
    privacy: IntLabel
    thumbnailPath: str | None
    thumbnailUrl: str | None
    thumbnails: list[ThumbnailJson]
    videosLength: int
    videoLength: int
    type: IntLabel
    embedPath: str
    embedUrl: str
    createdAt: Timestamp
    updatedAt: Timestamp
    ownerAccount: AccountSummary
    videoChannelPosition: int | None
    videoChannel: VideoChannelSummary | None


class PlaylistRef(ApiModel):
    id: int
    uuid: str
    shortUUID: str


class PlaylistCreated(ApiModel):
    videoPlaylist: PlaylistRef


class ElementRef(ApiModel):
    id: int


class ElementCreated(ApiModel):
    videoPlaylistElement: ElementRef


class PlaylistElementJson(ApiModel):
    # extra: a visible element's video fields, flattened (see the module docstring)
    model_config = ConfigDict(extra="allow")

    id: int
    position: int
    startTimestamp: int | None
    stopTimestamp: int | None
    type: int
    video: VideoJson | None


class PlaylistElementPage(ApiModel):
    total: int
    data: list[PlaylistElementJson]


class VideoExistInPlaylist(ApiModel):
    playlistElementId: int
    playlistId: int
    startTimestamp: int | None
    stopTimestamp: int | None
    # 8.x additions
    playlistDisplayName: str
    playlistShortUUID: str


def privacy_label(privacy: int) -> IntLabel:
    return IntLabel(id=privacy, label=PLAYLIST_PRIVACY_LABELS.get(privacy, "Unknown"))


def type_label(playlist_type: int) -> IntLabel:
    return IntLabel(id=playlist_type, label=PLAYLIST_TYPE_LABELS.get(playlist_type, "Unknown"))


def embed_path(playlist: VideoPlaylist) -> str:
    return f"/video-playlists/embed/{short_uuid(playlist.uuid)}"


def playlist_json(config: Config, playlist: VideoPlaylist, videos_length: int) -> VideoPlaylistJson:
    """`playlist` loaded with its owner account and channel (`services.playlists.lookup.JSON_OPTIONS`)."""
    base_url, host = config.url, config.host
    thumbnail_path = layout.thumbnail_url_path(playlist.thumbnail_filename) if playlist.thumbnail_filename else None
    thumbnails = []
    if thumbnail_path and playlist.thumbnail_width and playlist.thumbnail_height:
        thumbnails.append(ThumbnailJson(
            width=playlist.thumbnail_width, height=playlist.thumbnail_height, fileUrl=base_url + thumbnail_path,
            aspectRatio=aspect_ratio_name(playlist.thumbnail_width, playlist.thumbnail_height)))
    channel = playlist.video_channel
    return VideoPlaylistJson(
        id=playlist.id, uuid=playlist.uuid, shortUUID=short_uuid(playlist.uuid),
        isLocal=playlist.owner_account.actor.server_id is None, url=playlist.url,
        displayName=playlist.name, description=playlist.description, privacy=privacy_label(playlist.privacy),
        thumbnailPath=thumbnail_path, thumbnailUrl=base_url + thumbnail_path if thumbnail_path else None,
        thumbnails=thumbnails, videosLength=videos_length, videoLength=videos_length,
        type=type_label(playlist.type), embedPath=embed_path(playlist), embedUrl=base_url + embed_path(playlist),
        createdAt=playlist.created_at, updatedAt=playlist.updated_at,
        ownerAccount=account_summary_json(playlist.owner_account, base_url, host),
        videoChannelPosition=playlist.video_channel_position,
        videoChannel=channel_summary_json(channel, base_url, host) if channel is not None else None)


def element_json(element, element_type: int, video: VideoJson | None) -> PlaylistElementJson:
    flattened: dict[str, Any] = {}
    if video is not None:
        flattened = video.model_dump(mode="json")
        flattened.pop("id", None)
    return PlaylistElementJson(id=element.id, position=element.position, startTimestamp=element.start_timestamp,
                               stopTimestamp=element.stop_timestamp, type=element_type, video=video, **flattened)


# -- request bodies -------------------------------------------------------------------------------------

def _refuse_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError("Should be an integer")
    return value


def _blank_to_none(value: Any) -> Any:
    """Forms cannot send null: PeerTube's client sends "null" (and an empty field means none too)."""
    if isinstance(value, str) and value.strip() in ("", "null"):
        return None
    return value


Id = Annotated[int, BeforeValidator(_refuse_bool), Field(ge=1, le=MAX_ID)]
Position = Annotated[int, BeforeValidator(_refuse_bool), Field(ge=1, le=MAX_ID)]
Seconds = Annotated[int, BeforeValidator(_refuse_bool), Field(ge=0, le=MAX_TIMESTAMP)]


def _validated(model: type[RequestBody], data: Any, location: str = "body"):
    if not isinstance(data, dict):
        raise RequestValidationError([{"type": "dict_type", "loc": (location,), "msg": "Should be an object",
                                       "input": None}])
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": (location, *error["loc"])} for error in exc.errors()]) from None


class PlaylistAttributes(RequestBody):
    """`POST /video-playlists` and `PUT /video-playlists/{id}` (JSON or form fields): what is sent
    changes, what is left out stays; null (or "null" in a form) clears `description`/`videoChannelId`."""

    model_config = ConfigDict(extra="ignore")

    displayName: Annotated[str | None, Field(min_length=DISPLAY_NAME_LENGTH[0],
                                             max_length=DISPLAY_NAME_LENGTH[1])] = None
    description: Annotated[str | None, Field(min_length=DESCRIPTION_LENGTH[0],
                                             max_length=DESCRIPTION_LENGTH[1])] = None
    privacy: Annotated[int | None, BeforeValidator(_refuse_bool)] = None
    videoChannelId: Id | None = None

    @field_validator("description", "privacy", "videoChannelId", mode="before")
    @classmethod
    def _nullable(cls, value):
        return _blank_to_none(value)

    @field_validator("privacy")
    @classmethod
    def _privacy(cls, value):
        if value is not None and value not in PLAYLIST_PRIVACY_LABELS:
            raise ValueError("Should have a valid playlist privacy (1 public, 2 unlisted, 3 private)")
        return value

    def given(self, name: str) -> bool:
        return name in self.model_fields_set

    @classmethod
    def parse(cls, data: Any) -> PlaylistAttributes:
        return _validated(cls, data)


class ElementCreate(RequestBody):
    videoId: Annotated[int | str, BeforeValidator(_refuse_bool)]
    startTimestamp: Seconds | None = None
    stopTimestamp: Seconds | None = None


class ElementUpdate(RequestBody):
    startTimestamp: Seconds | None = None
    stopTimestamp: Seconds | None = None

    def given(self, name: str) -> bool:
        return name in self.model_fields_set


class ReorderBody(RequestBody):
    startPosition: Position
    insertAfterPosition: Annotated[int, BeforeValidator(_refuse_bool), Field(ge=0, le=MAX_ID)]
    reorderLength: Position | None = None
