"""Shapes shared by every API tag: timestamps, pages, constants."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer, field_validator


def iso_millis(value: datetime) -> str:
    """PeerTube (JavaScript) dates: UTC, millisecond precision, `Z` suffix."""
    value = value.astimezone(UTC)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


Timestamp = Annotated[datetime, PlainSerializer(iso_millis, return_type=str, when_used="json")]

T = TypeVar("T")


class ApiModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True, from_attributes=False)


def has_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    return isinstance(value, list) and any(has_nul(item) for item in value)


class RequestBody(ApiModel):
    """Base of every request body: besides bad types it refuses U+0000, which PostgreSQL cannot
    store in text or JSONB and no name, address or setting needs."""

    @field_validator("*")
    @classmethod
    def _refuse_nul_characters(cls, value):
        if has_nul(value):
            raise ValueError("Should not contain NUL characters")
        return value


class Page(ApiModel, Generic[T]):
    """Every PeerTube list: `{total, data}`."""
    total: int
    data: list[T]


class NumberConstant(ApiModel):
    id: int
    label: str


class StringConstant(ApiModel):
    id: str
    label: str
