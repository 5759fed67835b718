"""Channels Sync tag: synchronisations of local channels with external ones (creation, deletion, a run
now) and the list of an account's synchronisations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from vidpub.api.deps import ConfigDep, CurrentUser, Pagination, SessionDep, pagination
from vidpub.schemas.channel_syncs import (VideoChannelSyncCreate, VideoChannelSyncCreated, VideoChannelSyncList,
                                          sync_json)
from vidpub.services import accounts, channel_syncs

router = APIRouter(tags=["Channels Sync"])

AccountHandle = Annotated[str, Path(min_length=1, max_length=300)]
SyncId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/accounts/{name}/video-channel-syncs", response_model=VideoChannelSyncList,
            tags=["Video Channels", "Accounts"], operation_id="getAccountVideoChannelSyncs")
async def list_account_syncs(name: AccountHandle, session: SessionDep, config: ConfigDep, user: CurrentUser,
                             page: Pagination = pagination("-createdAt", set(channel_syncs.SYNC_SORTS))):
    account = await accounts.manageable_local_account(session, config, name, user)
    total, rows = await channel_syncs.list_account_syncs(session, account.id, start=page.start, count=page.count,
                                                         sort=page.sort)
    return VideoChannelSyncList(total=total,
                                data=[sync_json(row, config, channel_syncs.SYNC_STATE_LABELS) for row in rows])


@router.post("/video-channel-syncs", response_model=VideoChannelSyncCreated, operation_id="addVideoChannelSync")
async def create_sync(body: VideoChannelSyncCreate, session: SessionDep, config: ConfigDep, user: CurrentUser):
    sync = await channel_syncs.create_sync(session, config, user, body.externalChannelUrl, body.videoChannelId)
    return VideoChannelSyncCreated(videoChannelSync=sync_json(sync, config, channel_syncs.SYNC_STATE_LABELS))


@router.delete("/video-channel-syncs/{channelSyncId}", status_code=204, operation_id="delVideoChannelSync")
async def delete_sync(channelSyncId: SyncId, session: SessionDep, user: CurrentUser):
    sync = await channel_syncs.manageable_sync(session, channelSyncId, user)
    await channel_syncs.delete_sync(session, sync)
    return Response(status_code=204)


@router.post("/video-channel-syncs/{channelSyncId}/sync", status_code=204, operation_id="triggerVideoChannelSync")
async def run_sync(channelSyncId: SyncId, session: SessionDep, config: ConfigDep, user: CurrentUser):
    sync = await channel_syncs.manageable_sync(session, channelSyncId, user)
    await channel_syncs.trigger_sync(session, config, sync)
    return Response(status_code=204)
