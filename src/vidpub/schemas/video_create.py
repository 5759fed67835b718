"""The metadata a client sends with a new video (upload or import), as PeerTube validates it.

The same model reads a JSON body (resumable upload init, imports) and the text fields of a multipart
form (legacy upload), where arrays and objects arrive as `tags[]`, `tags[0]` or
`scheduleUpdate[updateAt]` (how browsers' FormData and PeerTube's own tools flatten them).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi.exceptions import RequestValidationError
from pydantic import ConfigDict, Field, ValidationError, field_validator

from vidpub.config import Config
from vidpub.db.models import CommentsPolicy, VideoPrivacy
from vidpub.errors import invalid_param
from vidpub.schemas.common import ApiModel, RequestBody
from vidpub.services.constants import VIDEO_CATEGORIES, VIDEO_LICENCES, video_languages

NAME_LENGTH = (3, 120)
DESCRIPTION_MAX = 10_000
SUPPORT_MAX = 1_000
NSFW_SUMMARY_MAX = 250
TAGS_MAX = 5
TAG_LENGTH = (2, 30)
VIDEO_PASSWORD_LENGTH = (2, 100)
NSFW_FLAGS_ALL = 1 | 2  # PeerTube's NSFWFlag bits: VIOLENT, EXPLICIT_SEX
# a scheduled update may only make a video visible (PeerTube's VideoScheduleUpdate privacies)
SCHEDULE_PRIVACIES = frozenset({VideoPrivacy.PUBLIC, VideoPrivacy.UNLISTED, VideoPrivacy.INTERNAL})


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _blank_to_none(value: Any) -> Any:
    """Forms cannot send null: an empty string or PeerTube's "null" stands for it."""
    if isinstance(value, str) and value.strip() in ("", "null"):
        return None
    return value


class ScheduleUpdate(RequestBody):
    updateAt: datetime
    privacy: int | None = None

    @field_validator("updateAt")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value)

    @field_validator("privacy", mode="before")
    @classmethod
    def _privacy(cls, value):
        value = _blank_to_none(value)
        if value is not None and _as_int(value) not in SCHEDULE_PRIVACIES:
            raise ValueError("Should have a valid schedule privacy (public, unlisted or internal)")
        return value


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class VideoAttributes(RequestBody):
    """Common metadata of an upload or an import. Unknown keys are ignored, as PeerTube does.

    `name` is required here (uploads); an import, whose name may come from the fetched media, can
    subclass this model with `name: str | None = None`."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    name: Annotated[str, Field(min_length=NAME_LENGTH[0], max_length=NAME_LENGTH[1])]
    channelId: Annotated[int, Field(ge=1, le=2**31 - 1)]
    privacy: int | None = None
    category: int | None = None
    licence: int | None = None
    language: str | None = None
    description: Annotated[str | None, Field(max_length=DESCRIPTION_MAX)] = None
    support: Annotated[str | None, Field(max_length=SUPPORT_MAX)] = None
    tags: list[Annotated[str, Field(min_length=TAG_LENGTH[0], max_length=TAG_LENGTH[1])]] | None = None
    nsfw: bool | None = None
    nsfwFlags: Annotated[int | None, Field(ge=0, le=NSFW_FLAGS_ALL)] = None
    nsfwSummary: Annotated[str | None, Field(max_length=NSFW_SUMMARY_MAX)] = None
    commentsPolicy: int | None = None
    commentsEnabled: bool | None = None  # deprecated since PeerTube 6.2, still sent by older clients
    downloadEnabled: bool | None = None
    waitTranscoding: bool | None = None
    originallyPublishedAt: datetime | None = None
    scheduleUpdate: ScheduleUpdate | None = None
    videoPasswords: list[str] | None = None
    generateTranscription: bool | None = None

    # -- field checks ---------------------------------------------------------------------------

    @field_validator("name", mode="before")
    @classmethod
    def _strip_name(cls, value):
        return value.strip() if isinstance(value, str) else value

    @field_validator("privacy", "category", "licence", "language", "description", "support", "nsfw",
                     "nsfwFlags", "nsfwSummary", "commentsPolicy", "commentsEnabled", "downloadEnabled",
                     "waitTranscoding", "originallyPublishedAt", "scheduleUpdate", "generateTranscription",
                     mode="before")
    @classmethod
    def _nullable(cls, value):
        return _blank_to_none(value)

    @field_validator("privacy")
    @classmethod
    def _privacy(cls, value):
        if value is not None and value not in (VideoPrivacy.PUBLIC, VideoPrivacy.UNLISTED, VideoPrivacy.PRIVATE,
                                               VideoPrivacy.INTERNAL, VideoPrivacy.PASSWORD_PROTECTED):
            raise ValueError("Should have a valid privacy")
        return value

    @field_validator("category")
    @classmethod
    def _category(cls, value):
        if value is not None and value not in VIDEO_CATEGORIES:
            raise ValueError("Should have a valid category")
        return value

    @field_validator("licence")
    @classmethod
    def _licence(cls, value):
        if value is not None and value not in VIDEO_LICENCES:
            raise ValueError("Should have a valid licence")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value):
        if value is not None and value not in video_languages():
            raise ValueError("Should have a valid language")
        return value

    @field_validator("commentsPolicy")
    @classmethod
    def _comments_policy(cls, value):
        if value is not None and value not in (CommentsPolicy.ENABLED, CommentsPolicy.DISABLED,
                                               CommentsPolicy.REQUIRES_APPROVAL):
            raise ValueError("Should have a valid comments policy")
        return value

    @field_validator("tags", "videoPasswords", mode="before")
    @classmethod
    def _listify(cls, value):
        value = _blank_to_none(value)
        if isinstance(value, str):  # a form with a single value
            return [value]
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None):
        if value is None:
            return None
        tags = list(dict.fromkeys(tag.strip() for tag in value))
        if len(tags) > TAGS_MAX:
            raise ValueError(f"Should have an array of up to {TAGS_MAX} tags between "
                             f"{TAG_LENGTH[0]} and {TAG_LENGTH[1]} characters each")
        if any(not TAG_LENGTH[0] <= len(tag) <= TAG_LENGTH[1] for tag in tags):
            raise ValueError(f"Should have tags between {TAG_LENGTH[0]} and {TAG_LENGTH[1]} characters")
        return tags

    @field_validator("videoPasswords")
    @classmethod
    def _passwords(cls, value: list[str] | None):
        if value is None:
            return None
        if len(set(value)) != len(value):
            raise ValueError("Duplicate video passwords are not allowed.")
        if any(not VIDEO_PASSWORD_LENGTH[0] <= len(p) <= VIDEO_PASSWORD_LENGTH[1] for p in value):
            raise ValueError("Invalid video password. Password length should be at least 2 characters "
                             "and no more than 100 characters.")
        return value

    @field_validator("originallyPublishedAt")
    @classmethod
    def _utc(cls, value):
        return _aware(value)

    # -- effective values (PeerTube's defaults) ----------------------------------------------------

    def effective_privacy(self) -> int:
        # PeerTube's server makes a video private when no privacy is given (the client always sends one)
        return self.privacy or VideoPrivacy.PRIVATE

    def effective_comments_policy(self, config: Config) -> int:
        if self.commentsPolicy is not None:
            return self.commentsPolicy
        if self.commentsEnabled is not None:
            return CommentsPolicy.ENABLED if self.commentsEnabled else CommentsPolicy.DISABLED
        return int(config.defaults.publish.comments_policy)

    def effective_download_enabled(self, config: Config) -> bool:
        if self.downloadEnabled is not None:
            return self.downloadEnabled
        return bool(config.defaults.publish.download_enabled)

    def effective_licence(self, config: Config) -> int | None:
        return self.licence if self.licence is not None else config.defaults.publish.licence

    def effective_passwords(self) -> list[str]:
        if self.effective_privacy() != VideoPrivacy.PASSWORD_PROTECTED:
            return []
        return list(self.videoPasswords or [])

    # -- parsing --------------------------------------------------------------------------------------

    @classmethod
    def parse(cls, data: Any, location: str = "body"):
        """Validate `data`; a bad value is PeerTube's 400 naming the field."""
        try:
            attrs = cls.model_validate(data)
        except ValidationError as exc:
            raise RequestValidationError(
                [{**error, "loc": (location, *error["loc"])} for error in exc.errors()]) from None
        if attrs.privacy == VideoPrivacy.PASSWORD_PROTECTED and not attrs.videoPasswords:
            raise invalid_param("videoPasswords", attrs.videoPasswords,
                                "At least one video password is required for a password protected video")
        return attrs

    @classmethod
    def from_form(cls, fields: Iterable[tuple[str, str]]):
        return cls.parse(unflatten_form(fields))


def unflatten_form(fields: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """`a=1`, `tags[]=x`, `tags[0]=x`, `scheduleUpdate[updateAt]=…` → nested dicts and lists.

    A key repeated without brackets becomes a list too (`tags=a&tags=b`)."""
    result: dict[str, Any] = {}
    for key, value in fields:
        base, _, rest = key.partition("[")
        if not rest:
            if base in result:
                previous = result[base]
                result[base] = (previous if isinstance(previous, list) else [previous]) + [value]
            else:
                result[base] = value
            continue
        inner = rest.split("]", 1)[0]
        if inner == "" or inner.isdigit():
            target = result.get(base)
            if not isinstance(target, list):
                target = [] if target is None else [target]
                result[base] = target
            target.append(value)
        else:
            target = result.get(base)
            if not isinstance(target, dict):
                target = {}
                result[base] = target
            target[inner] = value
    return result


class UploadedVideoRef(ApiModel):
    id: int
    shortUUID: str
    uuid: str


class VideoUploadResponse(ApiModel):
    """PeerTube's answer to a finished upload: `{video: {id, shortUUID, uuid}}`."""
    video: UploadedVideoRef
