"""My Subscriptions tag: the body of a new subscription (the answers are channels and videos)."""

from __future__ import annotations

from pydantic import StrictStr, field_validator

from vidpub.schemas.common import RequestBody
from vidpub.services.subscriptions import parse_handle


class SubscriptionCreate(RequestBody):
    uri: StrictStr  # the channel's handle, `name@host`

    @field_validator("uri")
    @classmethod
    def _handle(cls, value: str) -> str:
        if parse_handle(value) is None:
            raise ValueError("Should have a valid URI to follow (username@domain)")
        return value
