"""Job tag."""

from __future__ import annotations

from typing import Any

from vidpub.schemas.common import ApiModel, Timestamp


class JobParent(ApiModel):
    id: int


class JobJson(ApiModel):
    id: int
    state: str
    type: str
    data: dict[str, Any]
    priority: int
    progress: int
    error: dict[str, Any] | None
    createdAt: Timestamp
    finishedOn: Timestamp | None
    processedOn: Timestamp | None
    parent: JobParent | None = None
