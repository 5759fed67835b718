"""Accounts tag: the account list, one account by handle (`name` or `name@host`), its channels, and
the lists only its owner (or a holder of MANAGE_USERS) reads: its ratings and its followers.
(An account's videos are listed by `api/videos.py`, its playlists by `api/video_playlists.py`.)"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from vidpub.api.deps import ConfigDep, CurrentUser, Pagination, SessionDep, pagination
from vidpub.schemas.accounts import AccountVideoRateJson, AccountVideoRateList, FollowList, follow_json
from vidpub.schemas.actors import Account, account_json
from vidpub.schemas.common import Page
from vidpub.schemas.video_channels import VideoChannelList
from vidpub.services import accounts, channels, handles
from vidpub.services.videos import loading

router = APIRouter(tags=["Accounts"])

AccountHandle = Annotated[str, Path(min_length=1, max_length=300)]
SearchQuery = Annotated[str | None, Query(min_length=1, max_length=250)]


@router.get("/accounts", response_model=Page[Account], operation_id="getAccounts")
async def list_accounts(session: SessionDep, config: ConfigDep,
                        page: Pagination = pagination("-createdAt", accounts.ACCOUNT_SORTS)):
    total, rows = await accounts.list_accounts(session, start=page.start, count=page.count, sort=page.sort)
    return Page[Account](total=total, data=[account_json(row, config.url, config.host) for row in rows])


@router.get("/accounts/{name}", response_model=Account, operation_id="getAccount")
async def get_account(name: AccountHandle, session: SessionDep, config: ConfigDep):
    return account_json(await handles.find_account(session, config, name), config.url, config.host)


@router.get("/accounts/{name}/video-channels", response_model=VideoChannelList, tags=["Video Channels"],
            operation_id="getAccountVideoChannels")
async def list_account_channels(name: AccountHandle, session: SessionDep, config: ConfigDep,
                                page: Pagination = pagination("-createdAt", set(channels.CHANNEL_SORTS)),
                                search: SearchQuery = None, withStats: bool = False,
                                includeCollaborations: bool = False):
    # `includeCollaborations` (PeerTube 8): Vidpub has no channel collaborators yet, so it adds nothing
    account = await handles.find_account(session, config, name)
    total, rows = await channels.list_channels(session, start=page.start, count=page.count, sort=page.sort,
                                               account_id=account.id, search=search)
    return await channels.channel_list_json(session, config, total, rows, with_stats=withStats)


@router.get("/accounts/{name}/ratings", response_model=AccountVideoRateList, operation_id="getAccountRatings")
async def list_ratings(name: AccountHandle, session: SessionDep, config: ConfigDep, user: CurrentUser,
                       page: Pagination = pagination("-createdAt", accounts.RATING_SORTS),
                       rating: Literal["like", "dislike"] | None = None):
    account = await accounts.manageable_local_account(session, config, name, user)
    total, rows = await accounts.list_ratings(session, account.id, start=page.start, count=page.count,
                                              sort=page.sort, rating=rating)
    videos = await loading.videos_json_by_id(session, config, [row.video_id for row in rows], user)
    data = [AccountVideoRateJson(video=videos[row.video_id], rating=row.type)
            for row in rows if row.video_id in videos]
    return AccountVideoRateList(total=total, data=data)


@router.get("/accounts/{name}/followers", response_model=FollowList, operation_id="getAccountFollowers")
async def list_followers(name: AccountHandle, session: SessionDep, config: ConfigDep, user: CurrentUser,
                         page: Pagination = pagination("-createdAt", accounts.FOLLOWER_SORTS),
                         search: SearchQuery = None):
    """Followers of the account and of each of its channels."""
    account = await accounts.manageable_local_account(session, config, name, user)
    targets = await accounts.follower_target_ids(session, account)
    total, rows = await accounts.list_followers(session, targets, start=page.start, count=page.count,
                                                sort=page.sort, search=search)
    return FollowList(total=total, data=[follow_json(row, config.url, config.host) for row in rows])
