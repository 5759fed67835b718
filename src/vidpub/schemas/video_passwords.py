"""Video Passwords: the shared passwords of a password-protected video."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints, field_validator

from vidpub.db.models import VideoPassword
from vidpub.schemas.common import ApiModel, RequestBody, Timestamp

# 2 characters at least (PeerTube); at most what the column holds
PasswordValue = Annotated[str, StringConstraints(min_length=2, max_length=100)]
MAX_PASSWORDS = 1000


class VideoPasswordJson(ApiModel):
    """PeerTube 8's `VideoPassword` (the 7.0 spec documents `id`, `password`, `videoId`)."""
    id: int
    password: str
    videoId: int
    createdAt: Timestamp
    updatedAt: Timestamp


def video_password_json(row: VideoPassword) -> VideoPasswordJson:
    return VideoPasswordJson(id=row.id, password=row.password, videoId=row.video_id, createdAt=row.created_at,
                             updatedAt=row.updated_at)


class VideoPasswordsBody(RequestBody):
    passwords: list[PasswordValue] = Field(min_length=1, max_length=MAX_PASSWORDS)

    @field_validator("passwords")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise ValueError("Passwords should be unique")
        return value
