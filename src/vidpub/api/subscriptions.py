"""My Subscriptions tag: the channels a user follows, and their videos.

The literal paths (`/exist`, `/videos`) are declared before `/{subscriptionHandle}`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from vidpub.api.deps import ConfigDep, CurrentUser, Pagination, SessionDep, pagination
from vidpub.api.video_list_params import LIST_QUERY_OPENAPI, VideoListQueryDep, apply_rights_and_defaults
from vidpub.errors import invalid_param
from vidpub.schemas.actors import VideoChannel, channel_json
from vidpub.schemas.common import Page
from vidpub.schemas.subscriptions import SubscriptionCreate
from vidpub.schemas.videos import VideoList
from vidpub.services import subscriptions
from vidpub.services.videos import reading

router = APIRouter(tags=["My Subscriptions"])

MAX_EXIST_URIS = 500
Handle = Annotated[str, Path(min_length=1, max_length=600)]
SearchQuery = Annotated[str | None, Query(min_length=1, max_length=250)]


def _handle(value: str) -> str:
    if subscriptions.parse_handle(value) is None:
        raise invalid_param("uri", value, "Should have a valid URI (username@domain)", "params")
    return value


def _channel(channel, config) -> VideoChannel:
    return channel_json(channel, config.url, config.host, owner=channel.account)


@router.get("/users/me/subscriptions", response_model=Page[VideoChannel], operation_id="getUserSubscriptions")
async def list_subscriptions(session: SessionDep, config: ConfigDep, user: CurrentUser,
                             page: Pagination = pagination("-createdAt", subscriptions.SORT_COLUMNS),
                             search: SearchQuery = None):
    total, channels = await subscriptions.list_subscriptions(
        session, user, start=page.start, count=page.count, sort=page.sort, search=search)
    return Page[VideoChannel](total=total, data=[_channel(channel, config) for channel in channels])


@router.post("/users/me/subscriptions", status_code=204, operation_id="addUserSubscription")
async def subscribe(body: SubscriptionCreate, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await subscriptions.subscribe(session, config, user, body.uri)
    return Response(status_code=204)


@router.get("/users/me/subscriptions/exist", response_model=dict[str, bool],
            operation_id="getUserSubscriptionsExist")
async def subscriptions_exist(request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser,
                              uris: Annotated[list[str] | None, Query()] = None):
    # `uris=a&uris=b`, or the bracket forms of PeerTube's query parser (`uris[]=a`, `uris[0]=a`)
    given = [value for key, value in request.query_params.multi_items()
             if key == "uris" or (key.startswith("uris[") and key.endswith("]"))]
    if not given or len(given) > MAX_EXIST_URIS or any(subscriptions.parse_handle(u) is None for u in given):
        raise invalid_param("uris", given[:3], "Should have a valid array of URIs", "query")
    return await subscriptions.subscriptions_exist(session, config, user, given)


@router.get("/users/me/subscriptions/videos", response_model=VideoList, tags=["Videos"],
            operation_id="getUserSubscriptionVideos",
            openapi_extra=LIST_QUERY_OPENAPI)
async def subscription_videos(session: SessionDep, config: ConfigDep, user: CurrentUser,
                              query: VideoListQueryDep):
    filters = apply_rights_and_defaults(query, config, user)
    filters.channel_ids = subscriptions.followed_channel_ids(user)
    return await reading.page(session, config, filters, query.page, user)


@router.get("/users/me/subscriptions/{subscriptionHandle}", response_model=VideoChannel,
            operation_id="getUserSubscription")
async def get_subscription(subscriptionHandle: Handle, session: SessionDep, config: ConfigDep,
                           user: CurrentUser):
    channel = await subscriptions.get_subscription(session, config, user, _handle(subscriptionHandle))
    return _channel(channel, config)


@router.delete("/users/me/subscriptions/{subscriptionHandle}", status_code=204,
               operation_id="delUserSubscription")
async def unsubscribe(subscriptionHandle: Handle, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await subscriptions.unsubscribe(session, config, user, _handle(subscriptionHandle))
    return Response(status_code=204)
