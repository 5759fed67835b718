"""Job tag: PeerTube's `Job` (the union of the 7.0 spec's fields and PeerTube 8's)."""

from __future__ import annotations

from typing import Any

from vidpub.schemas.common import ApiModel, Timestamp


class JobParent(ApiModel):
    # PeerTube 8 types the parent id as a string (BullMQ ids); the 8.x types win
    id: str


class JobJson(ApiModel):
    id: int
    state: str
    type: str
    data: dict[str, Any]
    priority: int
    progress: int
    # The 7.0 spec says "object"; PeerTube 8 types it `any` and answers the last failure's stack
    # trace (or its message) as a string, which its web client prints as is: we do the same.
    error: str | None
    createdAt: Timestamp
    finishedOn: Timestamp | None
    processedOn: Timestamp | None
    parent: JobParent | None = None
