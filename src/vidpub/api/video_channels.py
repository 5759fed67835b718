"""Video Channels tag: the channel list, one channel by handle, its creation, edition and deletion,
its avatar and banner, its followers, and the import of an external channel's videos into it.
(The channel's videos are listed by `api/videos.py`, its playlists by `api/video_playlists.py`.)"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from vidpub.api.deps import ConfigDep, CurrentUser, Pagination, SessionDep, pagination
from vidpub.api.image_upload import image_request_body, uploaded_image
from vidpub.db.models import Actor, ActorImageType
from vidpub.schemas.accounts import FollowList, follow_json
from vidpub.schemas.actors import ActorImage, VideoChannel, actor_images, channel_json
from vidpub.schemas.channel_syncs import ImportVideosInChannelCreate
from vidpub.schemas.video_channels import (ChannelAvatars, ChannelBanners, CreatedChannelId, VideoChannelCreate,
                                           VideoChannelCreated, VideoChannelList, VideoChannelUpdate)
from vidpub.services import accounts, channel_syncs, channels, images
from vidpub.services.auth.rights import UserRight

router = APIRouter(tags=["Video Channels"])

ChannelHandle = Annotated[str, Path(min_length=1, max_length=300)]
SearchQuery = Annotated[str | None, Query(min_length=1, max_length=250)]
_IMAGE_TOO_LARGE = {413: {"description": "image file too large"}}


@router.get("/video-channels", response_model=VideoChannelList, operation_id="getVideoChannels")
async def list_channels(session: SessionDep, config: ConfigDep,
                        page: Pagination = pagination("-createdAt", set(channels.CHANNEL_SORTS)),
                        search: SearchQuery = None, withStats: bool = False):
    total, rows = await channels.list_channels(session, start=page.start, count=page.count, sort=page.sort,
                                               search=search)
    return await channels.channel_list_json(session, config, total, rows, with_stats=withStats)


@router.post("/video-channels", response_model=VideoChannelCreated, operation_id="addVideoChannel")
async def create_channel(body: VideoChannelCreate, session: SessionDep, config: ConfigDep, user: CurrentUser):
    channel = await channels.create_channel(session, config, user, body)
    return VideoChannelCreated(videoChannel=CreatedChannelId(id=channel.id))


@router.get("/video-channels/{channelHandle}", response_model=VideoChannel, operation_id="getVideoChannel")
async def get_channel(channelHandle: ChannelHandle, session: SessionDep, config: ConfigDep):
    channel = await channels.get_channel(session, config, channelHandle)
    return channel_json(channel, config.url, config.host, owner=channel.account)


@router.put("/video-channels/{channelHandle}", status_code=204, operation_id="putVideoChannel")
async def update_channel(channelHandle: ChannelHandle, body: VideoChannelUpdate, session: SessionDep,
                         config: ConfigDep, user: CurrentUser):
    channel = await channels.manageable_channel(session, config, channelHandle, user)
    await channels.update_channel(session, channel, body)
    return Response(status_code=204)


@router.delete("/video-channels/{channelHandle}", status_code=204, operation_id="delVideoChannel")
async def delete_channel(channelHandle: ChannelHandle, session: SessionDep, config: ConfigDep, user: CurrentUser):
    channel = await channels.manageable_channel(session, config, channelHandle, user)
    await channels.delete_channel(session, config, channel)
    return Response(status_code=204)


@router.get("/video-channels/{channelHandle}/followers", response_model=FollowList,
            operation_id="getVideoChannelFollowers")
async def list_followers(channelHandle: ChannelHandle, session: SessionDep, config: ConfigDep, user: CurrentUser,
                         page: Pagination = pagination("-createdAt", accounts.FOLLOWER_SORTS),
                         search: SearchQuery = None):
    channel = await channels.get_channel(session, config, channelHandle)
    accounts.ensure_can_manage_account(channel.account_id, user, UserRight.MANAGE_ANY_VIDEO_CHANNEL)
    total, rows = await accounts.list_followers(session, [channel.actor_id], start=page.start, count=page.count,
                                                sort=page.sort, search=search)
    return FollowList(total=total, data=[follow_json(row, config.url, config.host) for row in rows])


# -- images -----------------------------------------------------------------------------------------

async def _replace_image(request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser, handle: str,
                         image_type: int, field: str) -> list[ActorImage]:
    """Authorise first, then read the upload (see `api/image_upload.py`)."""
    channel = await channels.manageable_channel(session, config, handle, user)
    actor_id = channel.actor_id
    async with uploaded_image(request, session, field) as upload:
        await images.replace_actor_images(session, config, actor_id, image_type, upload.file, upload.filename, field)
    actor = await session.get(Actor, actor_id, populate_existing=True)
    return actor_images(actor, image_type, config.url)


@router.post("/video-channels/{channelHandle}/avatar/pick", response_model=ChannelAvatars,
             operation_id="addVideoChannelAvatar", openapi_extra=image_request_body("avatarfile"),
             responses=_IMAGE_TOO_LARGE)
async def pick_avatar(channelHandle: ChannelHandle, request: Request, session: SessionDep, config: ConfigDep,
                      user: CurrentUser):
    return ChannelAvatars(avatars=await _replace_image(request, session, config, user, channelHandle,
                                                       ActorImageType.AVATAR, "avatarfile"))


@router.post("/video-channels/{channelHandle}/banner/pick", response_model=ChannelBanners,
             operation_id="addVideoChannelBanner", openapi_extra=image_request_body("bannerfile"),
             responses=_IMAGE_TOO_LARGE)
async def pick_banner(channelHandle: ChannelHandle, request: Request, session: SessionDep, config: ConfigDep,
                      user: CurrentUser):
    return ChannelBanners(banners=await _replace_image(request, session, config, user, channelHandle,
                                                       ActorImageType.BANNER, "bannerfile"))


@router.delete("/video-channels/{channelHandle}/avatar", status_code=204, operation_id="deleteVideoChannelAvatar")
async def delete_avatar(channelHandle: ChannelHandle, session: SessionDep, config: ConfigDep, user: CurrentUser):
    channel = await channels.manageable_channel(session, config, channelHandle, user)
    await images.delete_actor_images(session, config, channel.actor_id, ActorImageType.AVATAR)
    return Response(status_code=204)


@router.delete("/video-channels/{channelHandle}/banner", status_code=204, operation_id="deleteVideoChannelBanner")
async def delete_banner(channelHandle: ChannelHandle, session: SessionDep, config: ConfigDep, user: CurrentUser):
    channel = await channels.manageable_channel(session, config, channelHandle, user)
    await images.delete_actor_images(session, config, channel.actor_id, ActorImageType.BANNER)
    return Response(status_code=204)


# -- import of an external channel ------------------------------------------------------------------

@router.post("/video-channels/{channelHandle}/import-videos", status_code=204,
             tags=["Channels Sync"], operation_id="importVideosInChannel")
async def import_videos(channelHandle: ChannelHandle, body: ImportVideosInChannelCreate, session: SessionDep,
                        config: ConfigDep, user: CurrentUser):
    channel = await channels.manageable_channel(session, config, channelHandle, user)
    await channel_syncs.request_channel_import(session, config, channel, body.externalChannelUrl,
                                               body.videoChannelSyncId)
    return Response(status_code=204)
