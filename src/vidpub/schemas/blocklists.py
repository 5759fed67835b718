"""Account Blocks and Server Blocks: mutes of a user or of the instance, and the block status.

The 7.0 spec leaves the list items undocumented; PeerTube 8's `AccountBlock` and `ServerBlock`
interfaces give their shape."""

from __future__ import annotations

import re

from pydantic import Field, field_validator

from vidpub.schemas.actors import Account
from vidpub.schemas.common import ApiModel, Page, RequestBody, Timestamp

HANDLE_MAX_LENGTH = 300
# a host name (or IP address) with an optional port, as PeerTube's hosts are written; no scheme, no path
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_HOST_RE = re.compile(rf"^(?=.{{1,255}}$){_LABEL}(?:\.{_LABEL})*(?::\d{{1,5}})?$")


def normalised_host(value: str) -> str | None:
    """`value` as a stored host (lower case), or None if it is not one."""
    host = value.strip().lower()
    return host if _HOST_RE.match(host) else None


class AccountBlockJson(ApiModel):
    byAccount: Account
    blockedAccount: Account
    createdAt: Timestamp


class BlockedServer(ApiModel):
    host: str


class ServerBlockJson(ApiModel):
    byAccount: Account
    blockedServer: BlockedServer
    createdAt: Timestamp


AccountBlockList = Page[AccountBlockJson]
ServerBlockList = Page[ServerBlockJson]


class BlockAccountBody(RequestBody):
    accountName: str = Field(min_length=1, max_length=HANDLE_MAX_LENGTH,
                             description="account to block, `name` or `name@host`")


class BlockServerBody(RequestBody):
    host: str = Field(min_length=1, max_length=255, description="server domain to block")

    @field_validator("host")
    @classmethod
    def _valid_host(cls, value: str) -> str:
        host = normalised_host(value)
        if host is None:
            raise ValueError("Should have a valid host")
        return host


class BlockState(ApiModel):
    blockedByServer: bool
    # only for a logged-in caller (PeerTube 8's `blockedByUser?`)
    blockedByUser: bool | None = None


class BlockStatus(ApiModel):
    accounts: dict[str, BlockState]
    hosts: dict[str, BlockState]
