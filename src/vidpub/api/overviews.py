"""Overviews: the "Discover" page (`GET /overviews/videos`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from vidpub.api.deps import ConfigDep, OptionalUser, SessionDep
from vidpub.api.video_list_params import VideoListQuery, apply_rights_and_defaults
from vidpub.schemas.actors import VideoChannelSummary
from vidpub.schemas.common import ApiModel
from vidpub.schemas.videos import IntLabel, VideoJson
from vidpub.services import overviews
from vidpub.services.videos.queries import Page, VideoFilters

router = APIRouter(tags=["Overviews"])


class CategoryOverview(ApiModel):
    category: IntLabel
    videos: list[VideoJson]


class ChannelOverview(ApiModel):
    channel: VideoChannelSummary
    videos: list[VideoJson]


class TagOverview(ApiModel):
    tag: str
    videos: list[VideoJson]


class VideosOverview(ApiModel):
    categories: list[CategoryOverview]
    channels: list[ChannelOverview]
    tags: list[TagOverview]


@router.get("/overviews/videos", response_model=VideosOverview, operation_id="getVideosOverview")
async def videos_overview(session: SessionDep, config: ConfigDep, user: OptionalUser,
                          page: Annotated[int, Query(ge=1, le=overviews.SAMPLES_COUNT)] = 1):
    # the caller's NSFW policy, as every video list applies it
    unfiltered = VideoListQuery(filters=VideoFilters(), page=Page(0, 0, "-createdAt"), nsfw=None,
                                wants_all_videos=False)
    base = apply_rights_and_defaults(unfiltered, config, user)
    # already encoded (`VideosOverview`): the response model only documents it
    return Response(await overviews.videos_overview(session, config, page, base, user), media_type="application/json")
