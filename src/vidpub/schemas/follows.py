"""Instance Follows tag: the request body of `POST /server/following` (the `Follow` rows it lists are
`schemas.accounts.FollowJson`, the shape the account followers list shares)."""

from __future__ import annotations

from pydantic import Field

from vidpub.schemas.common import RequestBody


class FollowRequest(RequestBody):
    hosts: list[str] = Field(default_factory=list, max_length=100)
    handles: list[str] = Field(default_factory=list, max_length=100)
