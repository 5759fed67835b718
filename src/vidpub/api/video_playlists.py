"""Video Playlists tag: playlists (create, edit, delete, read, the lists of the instance, of an account
and of a channel, a channel's playlist order), their elements, and which videos are in my playlists."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError

from vidpub.api.deps import ConfigDep, CurrentUser, IdPath, OptionalUser, Pagination, SessionDep, pagination
from vidpub.errors import ProblemError, invalid_param
from vidpub.schemas.common import Page
from vidpub.schemas.playlists import (PLAYLIST_PRIVACY_LABELS, ElementCreate, ElementCreated, ElementRef,
                                      ElementUpdate, PlaylistAttributes, PlaylistCreated, PlaylistElementPage,
                                      PlaylistRef, ReorderBody, VideoExistInPlaylist, VideoPlaylistJson)
from vidpub.services import channels, handles
from vidpub.services.images import image_too_large
from vidpub.services.playlists import editing, elements, listing
from vidpub.services.playlists.lookup import get_playlist, get_visible_playlist
from vidpub.services.uploads.multipart import FilePartRule, ReceivedForm, receive_form
from vidpub.services.uploads.validation import IMAGE_MAX_BYTES
from vidpub.services.videos.lookup import short_uuid

router = APIRouter(tags=["Video Playlists"])

# a playlist is named by its id, UUID or short UUID
PlaylistId = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9a-zA-Z-]+$")]
Handle = Annotated[str, Path(min_length=1, max_length=300)]
PlaylistType = Annotated[int | None, Query(ge=1, le=2)]
PlaylistPage = Annotated[Pagination, pagination("-createdAt", frozenset(listing.PLAYLIST_SORTS))]
ElementPage = Annotated[Pagination, pagination("position", frozenset({"position"}))]
MAX_METADATA_BODY = 64 * 1024
MAX_VIDEO_IDS = 500

_THUMBNAIL_PART = {"thumbnailfile": FilePartRule(IMAGE_MAX_BYTES, lambda: image_too_large(IMAGE_MAX_BYTES))}
_FIELDS = {"displayName": {"type": "string"}, "description": {"type": "string"}, "privacy": {"type": "integer"},
           "videoChannelId": {"type": "integer"}}
_EDIT_BODY = {"requestBody": {"content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        **_FIELDS, "thumbnailfile": {"type": "string", "format": "binary"}}}},
    "application/json": {"schema": {"type": "object", "properties": _FIELDS}}}}}


# -- request bodies of create/update (multipart as PeerTube's client sends them, form or JSON) -----------

async def _small_body(request: Request) -> bytes:
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_METADATA_BODY:
            raise ProblemError(413, f"The request body is larger than {MAX_METADATA_BODY} bytes")
    return bytes(body)


def _json_object(body: bytes) -> Any:
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except ValueError:
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": "Malformed JSON body",
                                       "input": None}]) from None


async def _read_attributes(request: Request, config) -> tuple[PlaylistAttributes, ReceivedForm | None]:
    """The playlist fields, and the received form (holding `thumbnailfile`) to clean up afterwards."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await receive_form(request.stream(), content_type, config.storage_path("tmp"), _THUMBNAIL_PART)
        try:
            return PlaylistAttributes.parse(dict(form.fields)), form
        except BaseException:
            form.cleanup()
            raise
    if content_type.startswith("application/x-www-form-urlencoded"):
        fields = parse_qsl((await _small_body(request)).decode("utf-8", "replace"), keep_blank_values=True)
        return PlaylistAttributes.parse(dict(fields)), None
    return PlaylistAttributes.parse(_json_object(await _small_body(request))), None


def _upload_of(form: ReceivedForm | None):
    part = form.files.get("thumbnailfile") if form else None
    return (part.path, part.filename) if part else None


# -- playlists --------------------------------------------------------------------------------------------

@router.get("/video-playlists/privacies", response_model=dict[str, str], operation_id="getPlaylistPrivacyPolicies")
async def list_privacies():
    return {str(key): label for key, label in PLAYLIST_PRIVACY_LABELS.items()}


@router.get("/video-playlists", response_model=Page[VideoPlaylistJson], operation_id="getPlaylists")
async def list_playlists(session: SessionDep, config: ConfigDep, user: OptionalUser, page: PlaylistPage,
                         playlistType: PlaylistType = None):
    query = listing.PlaylistQuery(page.start, page.count, page.sort, playlist_type=playlistType)
    total, data = await listing.list_playlists(session, config, query, user)
    return Page(total=total, data=data)


@router.post("/video-playlists", response_model=PlaylistCreated, operation_id="addPlaylist", openapi_extra=_EDIT_BODY)
async def create_playlist(request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser):
    # the caller is known: end the transaction (SQLite's write lock) before reading the body
    await session.commit()
    attributes, form = await _read_attributes(request, config)
    try:
        playlist = await editing.create_playlist(session, config, user, attributes, _upload_of(form))
    finally:
        if form:
            form.cleanup()
    return PlaylistCreated(videoPlaylist=PlaylistRef(id=playlist.id, uuid=playlist.uuid,
                                                     shortUUID=short_uuid(playlist.uuid)))


@router.get("/video-playlists/{playlistId}", response_model=VideoPlaylistJson, operation_id="getVideoPlaylist")
async def get_one_playlist(playlistId: PlaylistId, session: SessionDep, config: ConfigDep, user: OptionalUser):
    playlist = await get_visible_playlist(session, playlistId, user)
    return await listing.one_playlist_json(session, config, playlist)


@router.put("/video-playlists/{playlistId}", status_code=204, operation_id="putVideoPlaylist",
            openapi_extra=_EDIT_BODY)
async def update_playlist(playlistId: PlaylistId, request: Request, session: SessionDep, config: ConfigDep,
                          user: CurrentUser):
    editing.ensure_editable(await get_playlist(session, playlistId), user, playlistId)
    await session.commit()
    attributes, form = await _read_attributes(request, config)
    try:
        await editing.update_playlist(session, config, playlistId, user, attributes, _upload_of(form))
    finally:
        if form:
            form.cleanup()
    return Response(status_code=204)


@router.delete("/video-playlists/{playlistId}", status_code=204, operation_id="delVideoPlaylist")
async def delete_playlist(playlistId: PlaylistId, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await editing.delete_playlist(session, config, playlistId, user)
    return Response(status_code=204)


@router.get("/accounts/{name}/video-playlists", response_model=Page[VideoPlaylistJson],
            tags=["Video Playlists", "Accounts"], operation_id="getAccountPlaylists")
async def list_account_playlists(name: Handle, session: SessionDep, config: ConfigDep, user: OptionalUser,
                                 page: PlaylistPage, playlistType: PlaylistType = None,
                                 search: Annotated[str | None, Query(max_length=250)] = None,
                                 channelNameOneOf: Annotated[list[str] | None, Query()] = None,
                                 includeCollaborations: bool | None = None):
    account = await handles.find_account(session, config, name)
    query = listing.PlaylistQuery(page.start, page.count, page.sort, playlist_type=playlistType,
                                  account_id=account.id, search=search,
                                  # the owner's own list holds its private playlists and "Watch later"
                                  include_all=user is not None and user.account.id == account.id)
    if channelNameOneOf:
        query.channel_ids = await handles.channel_ids_of_account(session, account.id, channelNameOneOf[:100])
    total, data = await listing.list_playlists(session, config, query, user)
    return Page(total=total, data=data)


@router.get("/video-channels/{channelHandle}/video-playlists", response_model=Page[VideoPlaylistJson],
            tags=["Video Playlists", "Video Channels"], operation_id="getVideoChannelPlaylists")
async def list_channel_playlists(channelHandle: Handle, session: SessionDep, config: ConfigDep, user: OptionalUser,
                                 page: PlaylistPage, playlistType: PlaylistType = None,
                                 search: Annotated[str | None, Query(max_length=250)] = None):
    channel = await handles.find_channel(session, config, channelHandle)
    query = listing.PlaylistQuery(page.start, page.count, page.sort, playlist_type=playlistType,
                                  channel_id=channel.id, search=search,
                                  include_all=user is not None and user.account.id == channel.account_id)
    total, data = await listing.list_playlists(session, config, query, user)
    return Page(total=total, data=data)


@router.post("/video-channels/{channelHandle}/video-playlists/reorder", status_code=204,
             tags=["Video Playlists", "Video Channels"], operation_id="reorderVideoPlaylistsOfChannel")
async def reorder_channel_playlists(channelHandle: Handle, body: ReorderBody, session: SessionDep,
                                    config: ConfigDep, user: CurrentUser):
    """PeerTube 8: the owner orders the channel's playlists (`videoChannelPosition`)."""
    channel = await channels.manageable_channel(session, config, channelHandle, user)
    await editing.reorder_channel_playlists(session, channel, body)
    return Response(status_code=204)


# -- elements ---------------------------------------------------------------------------------------------

@router.get("/video-playlists/{playlistId}/videos", response_model=PlaylistElementPage,
            tags=["Videos", "Video Playlists"], operation_id="getVideoPlaylistVideos")
async def list_elements(playlistId: PlaylistId, session: SessionDep, config: ConfigDep, user: OptionalUser,
                        page: ElementPage):
    playlist = await get_visible_playlist(session, playlistId, user)
    total, data = await listing.list_elements(session, config, playlist, user, page.start, page.count)
    return PlaylistElementPage(total=total, data=data)


@router.post("/video-playlists/{playlistId}/videos", response_model=ElementCreated,
             tags=["Videos", "Video Playlists"], operation_id="addVideoPlaylistVideo")
async def add_element(playlistId: PlaylistId, body: ElementCreate, session: SessionDep, config: ConfigDep,
                      user: CurrentUser):
    element = await elements.add_element(session, config, playlistId, user, body)
    return ElementCreated(videoPlaylistElement=ElementRef(id=element.id))


@router.post("/video-playlists/{playlistId}/videos/reorder", status_code=204, operation_id="reorderVideoPlaylist")
async def reorder_elements(playlistId: PlaylistId, body: ReorderBody, session: SessionDep, config: ConfigDep,
                           user: CurrentUser):
    await elements.reorder_elements(session, config, playlistId, user, body)
    return Response(status_code=204)


@router.put("/video-playlists/{playlistId}/videos/{playlistElementId}", status_code=204,
            operation_id="putVideoPlaylistVideo")
async def update_element(playlistId: PlaylistId, playlistElementId: IdPath, body: ElementUpdate,
                         session: SessionDep, config: ConfigDep, user: CurrentUser):
    await elements.update_element(session, config, playlistId, playlistElementId, user, body)
    return Response(status_code=204)


@router.delete("/video-playlists/{playlistId}/videos/{playlistElementId}", status_code=204,
               operation_id="delVideoPlaylistVideo")
async def remove_element(playlistId: PlaylistId, playlistElementId: IdPath, session: SessionDep,
                         config: ConfigDep, user: CurrentUser):
    await elements.remove_element(session, config, playlistId, playlistElementId, user)
    return Response(status_code=204)


# -- my playlists holding some videos --------------------------------------------------------------------

def _video_ids(values: list[str]) -> list[int]:
    """`videoIds=1&videoIds=2` (PeerTube's client) or `videoIds=1,2`."""
    ids = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not part.isdigit() or not 0 < int(part) < 2**31:
                raise invalid_param("videoIds", values, "Should have a valid video ids array", "query")
            ids.append(int(part))
    if not ids or len(ids) > MAX_VIDEO_IDS:
        raise invalid_param("videoIds", values, f"Should have between 1 and {MAX_VIDEO_IDS} video ids", "query")
    return list(dict.fromkeys(ids))


@router.get("/users/me/video-playlists/videos-exist", response_model=dict[str, list[VideoExistInPlaylist]],
            operation_id="getVideoPlaylistVideosExist")
async def videos_exist(session: SessionDep, user: CurrentUser,
                       videoIds: Annotated[list[str], Query(max_length=MAX_VIDEO_IDS)]):
    return await listing.videos_exist(session, user, _video_ids(videoIds))
