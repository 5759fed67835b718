"""Shapes shared by every API tag: timestamps, pages, constants."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, PlainSerializer


def iso_millis(value: datetime) -> str:
    """PeerTube (JavaScript) dates: UTC, millisecond precision, `Z` suffix."""
    value = value.astimezone(timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


Timestamp = Annotated[datetime, PlainSerializer(iso_millis, return_type=str, when_used="json")]

T = TypeVar("T")


class ApiModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True, from_attributes=False)


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
