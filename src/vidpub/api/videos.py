"""Video tag: the lists (instance, channel, account, my videos), one video, its edition and deletion,
and the small reads around it (description, storyboards, a file's metadata)."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import parse_qsl

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError

from vidpub.api.deps import ConfigDep, CurrentUser, IdPath, OptionalUser, SessionDep
from vidpub.api.video_list_params import LIST_QUERY_OPENAPI, VideoListQueryDep, apply_rights_and_defaults
from vidpub.errors import ProblemError
from vidpub.schemas.video_update import VideoUpdate
from vidpub.schemas.videos import (Storyboards, VideoDescription, VideoDetailsJson, VideoList,
                                   storyboard_json)
from vidpub.services import handles
from vidpub.services.images import image_too_large
from vidpub.services.uploads.multipart import FilePartRule, receive_form
from vidpub.services.uploads.validation import IMAGE_MAX_BYTES
from vidpub.services.videos import reading, removal, update
from vidpub.services.videos.lookup import ensure_can_manage, get_video

router = APIRouter()
# the lists: matched before every other module's routes (app.py), their paths shadow none of them
list_router = APIRouter()

# a video is named by its id, UUID or short UUID
VideoRef = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9a-zA-Z-]+$")]
VideoPassword = Annotated[str | None, Header(alias="x-peertube-video-password", max_length=100)]
Handle = Annotated[str, Path(min_length=1, max_length=300)]
MAX_METADATA_BODY = 1024 * 1024

_IMAGE_PARTS = {name: FilePartRule(IMAGE_MAX_BYTES, lambda: image_too_large(IMAGE_MAX_BYTES))
                for name in update.IMAGE_FIELDS}
_UPDATE_BODY = {"requestBody": {"content": {
    "multipart/form-data": {"schema": {"type": "object", "properties": {
        "thumbnailfile": {"type": "string", "format": "binary"},
        "previewfile": {"type": "string", "format": "binary"}, **{
            name: {"type": "string"} for name in (
                "name", "channelId", "privacy", "category", "licence", "language", "description", "support",
                "tags[]", "nsfw", "nsfwFlags", "nsfwSummary", "commentsPolicy", "commentsEnabled",
                "downloadEnabled", "waitTranscoding", "originallyPublishedAt", "videoPasswords[]")}}}},
    "application/json": {"schema": {"type": "object"}}}}}


# -- lists --------------------------------------------------------------------------------------------

def _encoded(body: bytes) -> Response:
    """A list page already encoded by the service (the hot path skips the response model's validation;
    its shape is `VideoList`, which the OpenAPI document still declares)."""
    return Response(body, media_type="application/json")


@list_router.get("/videos", response_model=VideoList, tags=["Video"], operation_id="getVideos",
            openapi_extra=LIST_QUERY_OPENAPI)
async def list_videos(session: SessionDep, config: ConfigDep, user: OptionalUser, query: VideoListQueryDep):
    filters = apply_rights_and_defaults(query, config, user)
    return _encoded(await reading.page_json(session, config, filters, query.page, user))


@list_router.get("/video-channels/{channelHandle}/videos", response_model=VideoList, tags=["Video", "Video Channels"],
            operation_id="getVideoChannelVideos",
            openapi_extra=LIST_QUERY_OPENAPI)
async def list_channel_videos(channelHandle: Handle, session: SessionDep, config: ConfigDep, user: OptionalUser,
                              query: VideoListQueryDep):
    channel = await handles.find_channel(session, config, channelHandle)
    owner = user is not None and channel.account_id == user.account.id
    filters = apply_rights_and_defaults(query, config, user, may_see_all=owner)
    filters.channel_ids = [channel.id]
    return _encoded(await reading.page_json(session, config, filters, query.page, user))


@list_router.get("/accounts/{name}/videos", response_model=VideoList, tags=["Accounts", "Video"],
            operation_id="getAccountVideos",
            openapi_extra=LIST_QUERY_OPENAPI)
async def list_account_videos(name: Handle, session: SessionDep, config: ConfigDep, user: OptionalUser,
                              query: VideoListQueryDep):
    account = await handles.find_account(session, config, name)
    owner = user is not None and account.id == user.account.id
    filters = apply_rights_and_defaults(query, config, user, may_see_all=owner)
    filters.account_id = account.id
    return _encoded(await reading.page_json(session, config, filters, query.page, user))


@list_router.get("/users/me/videos", response_model=VideoList, tags=["My User", "Videos"], operation_id="getMyVideos",
            openapi_extra=LIST_QUERY_OPENAPI)
async def list_my_videos(session: SessionDep, config: ConfigDep, user: CurrentUser, query: VideoListQueryDep,
                         channelId: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                         channelNameOneOf: Annotated[list[str] | None, Query()] = None):
    filters = apply_rights_and_defaults(query, config, user, may_see_all=True)
    filters.owned = True
    filters.account_id = user.account.id
    if query.nsfw is None:  # one's own videos are all listed
        filters.nsfw, filters.nsfw_flags_included, filters.nsfw_flags_excluded = None, None, None
    if channelId is not None:
        filters.channel_ids = [channelId]
    if channelNameOneOf:
        named = await handles.channel_ids_of_account(session, user.account.id, channelNameOneOf[:100])
        filters.channel_ids = [cid for cid in named if channelId is None or cid == channelId]
    return _encoded(await reading.page_json(session, config, filters, query.page, user))


# -- one video ----------------------------------------------------------------------------------------

@router.get("/videos/{id}", response_model=VideoDetailsJson, tags=["Video"], operation_id="getVideo")
async def get_one_video(id: VideoRef, session: SessionDep, config: ConfigDep, user: OptionalUser,
                        password: VideoPassword = None):
    return await reading.details(session, config, id, user, password)


@router.get("/videos/{id}/description", response_model=VideoDescription, tags=["Video"],
            operation_id="getVideoDesc")
async def get_description(id: VideoRef, session: SessionDep, user: OptionalUser, password: VideoPassword = None):
    video = await reading.visible_video(session, id, user, password)
    return VideoDescription(description=video.description)


@router.get("/videos/{id}/storyboards", response_model=Storyboards, tags=["Video"],
            operation_id="listVideoStoryboards")
async def list_storyboards(id: VideoRef, session: SessionDep, config: ConfigDep, user: OptionalUser,
                           password: VideoPassword = None):
    video = await reading.visible_video(session, id, user, password)
    return Storyboards(storyboards=[storyboard_json(config, row) for row in await reading.storyboards(session, video)])


@router.get("/videos/{id}/metadata/{videoFileId}", response_model=dict, tags=["Video"],
            operation_id="getVideoFileMetadata")
async def get_file_metadata(id: VideoRef, videoFileId: IdPath, session: SessionDep, user: OptionalUser,
                            password: VideoPassword = None):
    video = await reading.visible_video(session, id, user, password)
    return await reading.file_metadata(session, video, videoFileId)


@router.put("/videos/{id}", status_code=204, tags=["Video"], operation_id="putVideo", openapi_extra=_UPDATE_BODY)
async def update_video(id: VideoRef, request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser):
    video = await get_video(session, id)
    ensure_can_manage(video, user)
    # the rights are known: end the transaction (SQLite's write lock) before reading the body
    await session.commit()
    images = update.NewImages()
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        form = await receive_form(request.stream(), content_type, config.storage_path("tmp"), _IMAGE_PARTS)
        try:
            changes = VideoUpdate.from_form(form.fields)
            images = await update.render_images(
                config, {name: (part.path, part.filename) for name, part in form.files.items()})
        finally:
            form.cleanup()
    elif content_type.startswith("application/x-www-form-urlencoded"):
        body = await _small_body(request)
        changes = VideoUpdate.from_form(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    else:
        changes = VideoUpdate.parse(_json(await _small_body(request)))
    try:
        outcome = await update.apply_update(session, config, id, user, changes, images)
    except BaseException:
        images.discard()
        raise
    await update.finish(session, config, id, outcome)
    return Response(status_code=204)


async def _small_body(request: Request) -> bytes:
    """A metadata body: descriptions, tags and passwords fit easily; anything larger is refused."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_METADATA_BODY:
            raise ProblemError(413, f"The request body is larger than {MAX_METADATA_BODY} bytes")
    return bytes(body)


def _json(body: bytes):
    if not body.strip():
        return {}
    try:
        return json.loads(body)
    except ValueError:
        raise RequestValidationError([{"type": "json_invalid", "loc": ("body",), "msg": "Malformed JSON body",
                                       "input": None}]) from None


@router.delete("/videos/{id}", status_code=204, tags=["Video"], operation_id="delVideo")
async def delete_video(id: VideoRef, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await removal.delete_video(session, config, id, user)
    return Response(status_code=204)

