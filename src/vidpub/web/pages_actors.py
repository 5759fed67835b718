"""Pages of channels (`/c/{handle}`) and accounts (`/a/{handle}`) with their videos and playlists."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from vidpub.api.deps import ConfigDep, SessionDep
from vidpub.schemas.actors import account_json, channel_json
from vidpub.services import channels, handles
from vidpub.services.playlists import listing
from vidpub.services.videos.queries import Page, VideoFilters
from vidpub.web.pages_videos import LIST_PAGE_SIZE, video_list
from vidpub.web.rendering import PageRoute, PageUser, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)

Handle = Annotated[str, Path(min_length=1, max_length=300, pattern=r"^[^/\s]+$")]
Start = Annotated[int, Query(ge=0, le=10_000)]
PLAYLISTS_SHOWN = 12


async def _playlists(session, config, user, **owner) -> list[dict]:
    query = listing.PlaylistQuery(0, PLAYLISTS_SHOWN, "-updatedAt", playlist_type=1, **owner)
    _, playlists = await listing.list_playlists(session, config, query, user)
    return [playlist.model_dump(mode="json") for playlist in playlists]


@router.get("/c/{handle}")
@router.get("/c/{handle}/videos")
async def channel_page(handle: Handle, request: Request, session: SessionDep, config: ConfigDep, user: PageUser,
                       start: Start = 0):
    channel = await channels.get_channel(session, config, handle)
    channel_data = channel_json(channel, config.url, config.host, owner=channel.account).model_dump(mode="json")
    total, videos = await video_list(session, config, user, VideoFilters(channel_ids=[channel.id]),
                                     Page(start, LIST_PAGE_SIZE, "-publishedAt"))
    playlists = await _playlists(session, config, user, channel_id=channel.id)
    return render(request, "channel.html", {
        "channel": channel_data, "videos": videos, "playlists": playlists, "total": total, "start": start,
        "count": LIST_PAGE_SIZE, "base_query": "", "canonical_url": f"{config.url}/c/{handle}"})


@router.get("/a/{handle}")
@router.get("/a/{handle}/videos")
async def account_page(handle: Handle, request: Request, session: SessionDep, config: ConfigDep, user: PageUser,
                       start: Start = 0):
    account = await handles.find_account(session, config, handle)
    account_data = account_json(account, config.url, config.host).model_dump(mode="json")
    total, videos = await video_list(session, config, user, VideoFilters(account_id=account.id),
                                     Page(start, LIST_PAGE_SIZE, "-publishedAt"))
    _, channel_rows = await channels.list_channels(session, start=0, count=50, sort="-createdAt",
                                                   account_id=account.id)
    account_channels = [channel_json(row, config.url, config.host).model_dump(mode="json") for row in channel_rows]
    playlists = await _playlists(session, config, user, account_id=account.id)
    return render(request, "account.html", {
        "account": account_data, "channels": account_channels, "videos": videos, "playlists": playlists,
        "total": total, "start": start, "count": LIST_PAGE_SIZE, "base_query": "",
        "canonical_url": f"{config.url}/a/{handle}"})

