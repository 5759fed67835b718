"""A user's own mutes: `/users/me/blocklist/accounts` and `/users/me/blocklist/servers`.

A muted account's (or server's) videos, comments and notifications stop reaching the user
(`services/blocklists.py`); nothing is sent to the muted party."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from vidpub.api.deps import ConfigDep, CurrentUser, Pagination, SessionDep, pagination
from vidpub.schemas.blocklists import (HANDLE_MAX_LENGTH, AccountBlockList, BlockAccountBody, BlockServerBody,
                                       ServerBlockList)
from vidpub.services import blocklist_entries

router = APIRouter()

BlocklistPage = Annotated[Pagination, pagination("-createdAt", blocklist_entries.SORT_COLUMNS)]
Search = Annotated[str | None, Query(max_length=250)]
AccountHandle = Annotated[str, Path(min_length=1, max_length=HANDLE_MAX_LENGTH)]
Host = Annotated[str, Path(min_length=1, max_length=255)]
ACCOUNT_TAGS = ["Account Blocks", "My User"]
SERVER_TAGS = ["Server Blocks", "My User"]


@router.get("/users/me/blocklist/accounts", response_model=AccountBlockList, tags=ACCOUNT_TAGS,
            operation_id="getMyAccountBlocklist")
async def list_my_account_blocks(session: SessionDep, config: ConfigDep, user: CurrentUser,
                                 page: BlocklistPage, search: Search = None):
    return await blocklist_entries.list_account_blocks(session, config, user.account.id, page.start,
                                                       page.count, page.sort, search)


@router.post("/users/me/blocklist/accounts", status_code=204, tags=ACCOUNT_TAGS,
             operation_id="addMyAccountBlock")
async def block_account(body: BlockAccountBody, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await blocklist_entries.block_account(session, config, user.account.id, body.accountName, user)
    return Response(status_code=204)


@router.delete("/users/me/blocklist/accounts/{accountName}", status_code=204, tags=ACCOUNT_TAGS,
               operation_id="removeMyAccountBlock")
async def unblock_account(accountName: AccountHandle, session: SessionDep, config: ConfigDep,
                          user: CurrentUser):
    await blocklist_entries.unblock_account(session, config, user.account.id, accountName)
    return Response(status_code=204)


@router.get("/users/me/blocklist/servers", response_model=ServerBlockList, tags=SERVER_TAGS,
            operation_id="getMyServerBlocklist")
async def list_my_server_blocks(session: SessionDep, config: ConfigDep, user: CurrentUser,
                                page: BlocklistPage, search: Search = None):
    return await blocklist_entries.list_server_blocks(session, config, user.account.id, page.start,
                                                      page.count, page.sort, search)


@router.post("/users/me/blocklist/servers", status_code=204, tags=SERVER_TAGS,
             operation_id="addMyServerBlock")
async def block_server(body: BlockServerBody, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await blocklist_entries.block_server(session, config, user.account.id, body.host)
    return Response(status_code=204)


@router.delete("/users/me/blocklist/servers/{host}", status_code=204, tags=SERVER_TAGS,
               operation_id="removeMyServerBlock")
async def unblock_server(host: Host, session: SessionDep, user: CurrentUser):
    await blocklist_entries.unblock_server(session, user.account.id, host)
    return Response(status_code=204)
