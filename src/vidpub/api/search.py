"""Search tag: videos, channels and playlists of this instance (`searchTarget=local`; a search index is
another service, which Vidpub does not query)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response

from vidpub.api.deps import ConfigDep, OptionalUser, Pagination, RuntimeDep, SessionDep, pagination
from vidpub.api.video_list_params import (LIST_QUERY_OPENAPI, VideoListQuery, apply_rights_and_defaults, str_list,
                                         video_list_query_for)
from vidpub.config import Config
from vidpub.errors import invalid_param
from vidpub.federation.remote_playlists import resolve_searched_playlist
from vidpub.federation.remote_videos import resolve_searched_video
from vidpub.federation.search_resolution import resolve_remote_actor
from vidpub.schemas.common import Page
from vidpub.schemas.playlists import VideoPlaylistJson
from vidpub.schemas.video_channels import VideoChannelList
from vidpub.schemas.videos import VideoList
from vidpub.services.search import channels, playlists, videos

router = APIRouter()

SearchText = Annotated[str | None, Query(max_length=1000, description="Words, a handle or a URL")]
SearchTarget = Annotated[Literal["local", "search-index"] | None, Query()]
Host = Annotated[str | None, Query(max_length=255)]
Date = Annotated[datetime | None, Query()]
Seconds = Annotated[int | None, Query(ge=0, le=2**31 - 1)]
VideoSearchQuery = Annotated[VideoListQuery, Depends(video_list_query_for(videos.DEFAULT_SORT,
                                                                          videos.SEARCH_SORT_COLUMNS))]


def _check_target(config: Config, target: str | None) -> None:
    """PeerTube refuses the search index as a target when the administrator has not enabled one."""
    if target == "search-index" and not config.search.search_index.enabled:
        raise invalid_param("searchTarget", target, "Should have a valid search target", "query")


def _utc(value: datetime | None) -> datetime | None:
    """Query dates without an offset are UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _host(value: str | None) -> str | None:
    return value.strip() or None if value else None


@router.get("/search/videos", response_model=VideoList, tags=["Search", "Video"], operation_id="searchVideos",
            openapi_extra=LIST_QUERY_OPENAPI)
async def search_videos(session: SessionDep, config: ConfigDep, runtime: RuntimeDep, user: OptionalUser,
                        query: VideoSearchQuery, searchTarget: SearchTarget = None, startDate: Date = None,
                        endDate: Date = None, originallyPublishedStartDate: Date = None,
                        originallyPublishedEndDate: Date = None, durationMin: Seconds = None,
                        durationMax: Seconds = None):
    _check_target(config, searchTarget)
    if await resolve_searched_video(runtime, user, query.filters.search):
        await session.commit()  # ends the read snapshot taken before the video was stored
    filters = apply_rights_and_defaults(query, config, user)
    filters.published_after, filters.published_before = _utc(startDate), _utc(endDate)
    filters.originally_published_after = _utc(originallyPublishedStartDate)
    filters.originally_published_before = _utc(originallyPublishedEndDate)
    filters.duration_min, filters.duration_max = durationMin, durationMax
    # already encoded (`VideoList`): the hot path skips the response model's validation
    body = await videos.search_videos(session, config, filters, query.page, user)
    return Response(body, media_type="application/json")


@router.get("/search/video-channels", response_model=VideoChannelList, tags=["Search", "Video Channels"],
            operation_id="searchChannels")
async def search_channels(request: Request, session: SessionDep, config: ConfigDep, runtime: RuntimeDep,
                          user: OptionalUser, search: SearchText = None,
                          page: Pagination = pagination(channels.DEFAULT_SORT, channels.SORT_COLUMNS),
                          searchTarget: SearchTarget = None, host: Host = None,
                          handles: Annotated[list[str] | None, Query()] = None):
    _check_target(config, searchTarget)
    if await resolve_remote_actor(runtime, user, search):
        await session.commit()  # ends the read snapshot taken before the actor was stored
    query = channels.ChannelSearch(search=search.strip() if search else None, start=page.start, count=page.count,
                                   sort=page.sort, host=_host(host), handles=str_list(request, "handles", 300))
    return await channels.search_channels(session, config, query, user)


@router.get("/search/video-playlists", response_model=Page[VideoPlaylistJson], tags=["Search", "Video Playlists"],
            operation_id="searchPlaylists")
async def search_playlists(request: Request, session: SessionDep, config: ConfigDep, runtime: RuntimeDep,
                           user: OptionalUser, search: SearchText = None,
                           page: Pagination = pagination(playlists.DEFAULT_SORT, playlists.SORT_COLUMNS),
                           searchTarget: SearchTarget = None, host: Host = None,
                           uuids: Annotated[list[str] | None, Query()] = None):
    _check_target(config, searchTarget)
    if await resolve_searched_playlist(runtime, user, search):
        await session.commit()  # ends the read snapshot taken before the playlist was stored
    query = playlists.PlaylistSearch(search=search.strip() if search else None, start=page.start, count=page.count,
                                     sort=page.sort, host=_host(host), uuids=str_list(request, "uuids", 36))
    total, data = await playlists.search_playlists(session, config, query, user)
    return Page[VideoPlaylistJson](total=total, data=data)
