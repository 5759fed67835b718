"""The instance's blocklist (`/server/blocklist/accounts|servers`, moderators' rights), whose
entries hide an account or a server from everybody, and `/blocklist/status`."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from vidpub.api.deps import ConfigDep, OptionalUser, Pagination, SessionDep, pagination, require_right
from vidpub.db.models import User
from vidpub.errors import invalid_param
from vidpub.schemas.blocklists import (HANDLE_MAX_LENGTH, AccountBlockList, BlockAccountBody, BlockServerBody,
                                       BlockStatus, ServerBlockList, normalised_host)
from vidpub.services import blocklist_entries
from vidpub.services.auth.rights import UserRight

router = APIRouter()

BlocklistPage = Annotated[Pagination, pagination("-createdAt", blocklist_entries.SORT_COLUMNS)]
Search = Annotated[str | None, Query(max_length=250)]
AccountHandle = Annotated[str, Path(min_length=1, max_length=HANDLE_MAX_LENGTH)]
Host = Annotated[str, Path(min_length=1, max_length=255)]
AccountsModerator = Annotated[User, require_right(UserRight.MANAGE_SERVER_ACCOUNTS_BLOCKLIST)]
ServersModerator = Annotated[User, require_right(UserRight.MANAGE_SERVER_SERVERS_BLOCKLIST)]
MAX_STATUS_ITEMS = 100
_HANDLE_NAME_RE = re.compile(r"^[\w\-.:]+$")
_BRACKETS = re.compile(r"^(\w+)\[\d*\]$")


@router.get("/server/blocklist/accounts", response_model=AccountBlockList, tags=["Account Blocks"],
            operation_id="getServerAccountBlocklist")
async def list_account_blocks(session: SessionDep, config: ConfigDep, _moderator: AccountsModerator,
                              page: BlocklistPage, search: Search = None):
    by = await blocklist_entries.instance_account_id(session)
    return await blocklist_entries.list_account_blocks(session, config, by, page.start, page.count, page.sort,
                                                       search)


@router.post("/server/blocklist/accounts", status_code=204, tags=["Account Blocks"],
             operation_id="addServerAccountBlock")
async def block_account(body: BlockAccountBody, session: SessionDep, config: ConfigDep,
                        moderator: AccountsModerator):
    by = await blocklist_entries.instance_account_id(session)
    await blocklist_entries.block_account(session, config, by, body.accountName, moderator)
    return Response(status_code=204)


@router.delete("/server/blocklist/accounts/{accountName}", status_code=204, tags=["Account Blocks"],
               operation_id="removeServerAccountBlock")
async def unblock_account(accountName: AccountHandle, session: SessionDep, config: ConfigDep,
                          _moderator: AccountsModerator):
    by = await blocklist_entries.instance_account_id(session)
    await blocklist_entries.unblock_account(session, config, by, accountName)
    return Response(status_code=204)


@router.get("/server/blocklist/servers", response_model=ServerBlockList, tags=["Server Blocks"],
            operation_id="getServerServerBlocklist")
async def list_server_blocks(session: SessionDep, config: ConfigDep, _moderator: ServersModerator,
                             page: BlocklistPage, search: Search = None):
    by = await blocklist_entries.instance_account_id(session)
    return await blocklist_entries.list_server_blocks(session, config, by, page.start, page.count, page.sort,
                                                      search)


@router.post("/server/blocklist/servers", status_code=204, tags=["Server Blocks"],
             operation_id="addServerServerBlock")
async def block_server(body: BlockServerBody, session: SessionDep, config: ConfigDep,
                       _moderator: ServersModerator):
    by = await blocklist_entries.instance_account_id(session)
    await blocklist_entries.block_server(session, config, by, body.host)
    return Response(status_code=204)


@router.delete("/server/blocklist/servers/{host}", status_code=204, tags=["Server Blocks"],
               operation_id="removeServerServerBlock")
async def unblock_server(host: Host, session: SessionDep, _moderator: ServersModerator):
    by = await blocklist_entries.instance_account_id(session)
    await blocklist_entries.unblock_server(session, by, host)
    return Response(status_code=204)


# -- status -------------------------------------------------------------------------------------------

def _query_list(request: Request, name: str) -> list[str]:
    """`name=a&name=b`, `name[]=a` or `name[0]=a`, as PeerTube's query parser reads arrays."""
    values = []
    for key, value in request.query_params.multi_items():
        match = _BRACKETS.match(key)
        if key == name or (match and match.group(1) == name):
            values.append(value)
    if len(values) > MAX_STATUS_ITEMS:
        raise invalid_param(name, values[:3], f"Should have at most {MAX_STATUS_ITEMS} values", "query")
    return values


def _valid_handle(handle: str) -> bool:
    name, at, host = handle.partition("@")
    return (0 < len(handle) <= HANDLE_MAX_LENGTH and bool(_HANDLE_NAME_RE.match(name))
            and (not at or normalised_host(host) is not None))


@router.get("/blocklist/status", response_model=BlockStatus, response_model_exclude_none=True,
            tags=["Account Blocks", "Server Blocks"], operation_id="getBlocklistStatus")
async def block_status(request: Request, session: SessionDep, config: ConfigDep, user: OptionalUser,
                       accounts: Annotated[list[str] | None, Query(description="handles to check")] = None,
                       hosts: Annotated[list[str] | None, Query(description="hosts to check")] = None):
    handles = _query_list(request, "accounts")
    for handle in handles:
        if not _valid_handle(handle):
            raise invalid_param("accounts", handle, "Should have valid accounts array", "query")
    host_list = _query_list(request, "hosts")
    for host in host_list:
        if normalised_host(host) is None:
            raise invalid_param("hosts", host, "Should have valid hosts array", "query")
    return await blocklist_entries.block_status(session, config, user, handles, host_list)
