"""A video's source file: its description, the kept original, and replacing the video's file
through the resumable protocol (`/videos/{id}/source/replace-resumable`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from vidpub.api.deps import ConfigDep, CurrentUser, SessionDep
from vidpub.api.resumable_http import (CHUNK_BODY, CHUNK_PARAMETERS, INIT_PARAMETERS, STATUS_308, body_stream,
                                       content_length, incomplete_response, init_response, read_init_body)
from vidpub.schemas.video_source import VideoSourceDetails, video_source_details
from vidpub.services.uploads import resumable
from vidpub.services.uploads.sessions import Kind
from vidpub.services.videos import source as sources

router = APIRouter(tags=["Video"])

VideoRef = Annotated[str, Path(min_length=1, max_length=64, description="id, UUID or short UUID of the video")]
UploadId = Annotated[str | None, Query(max_length=64)]
REPLACE_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {
    "type": "object", "required": ["filename"],
    "properties": {"filename": {"type": "string", "description": "Video file name with its extension"}}}}}}}


def replace_path(ref: str) -> str:
    return f"/api/v1/videos/{ref}/source/replace-resumable"


@router.get("/videos/{id}/source", response_model=VideoSourceDetails, operation_id="getVideoSource")
async def get_video_source(id: VideoRef, session: SessionDep, config: ConfigDep, user: CurrentUser):
    _, source = await sources.managed_source(session, id, user)
    return video_source_details(config, source)


@router.delete("/videos/{id}/source/file", status_code=204, operation_id="deleteVideoSourceFile",
               responses={404: {"description": "video source not found"}})
async def delete_video_source_file(id: VideoRef, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await sources.delete_kept_original(session, config, id, user)
    return Response(status_code=204)


@router.post("/videos/{id}/source/replace-resumable", status_code=201,
             operation_id="replaceVideoSourceResumableInit",
             openapi_extra={**REPLACE_BODY, "parameters": INIT_PARAMETERS},
             responses={200: {"description": "the session exists already: resume it"},
                        403: {"description": "file replacement disabled, or not your video"},
                        413: {"description": "`quota_reached` or `max_file_size_reached`"},
                        415: {"description": "video type unsupported"}})
async def init_replace(id: VideoRef, request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await session.commit()
    body, images = await read_init_body(request, config)
    for received in images.values():  # a replacement carries no images
        received.path.unlink(missing_ok=True)
    upload, resumed = await sources.init_replace(session, config, user, id, body,
                                                 request.headers.get("x-upload-content-length"),
                                                 request.headers.get("x-upload-content-type"))
    return init_response(config, replace_path(id), upload.id, resumed, upload.bytes_written)


@router.put("/videos/{id}/source/replace-resumable", operation_id="replaceVideoSourceResumable",
            response_model=VideoSourceDetails, openapi_extra={**CHUNK_BODY, "parameters": CHUNK_PARAMETERS},
            responses={**STATUS_308, 409: {"description": "chunk doesn't match range"},
                       422: {"description": "video unreadable"},
                       503: {"description": "upload is already being processed"}})
async def send_replace_chunk(id: VideoRef, request: Request, session: SessionDep, config: ConfigDep,
                             user: CurrentUser, upload_id: UploadId = None):
    # PeerTube 8 answers the last chunk with the new VideoSource (200); the 7.0 spec said 204
    progress = await resumable.continue_upload(
        session, config, user, upload_id, Kind.SOURCE_REPLACE, request.headers.get("content-range"),
        content_length(request), body_stream(request), sources.replace_finisher(session, config, user, id))
    if not progress.done:
        return incomplete_response(progress)
    return JSONResponse(progress.result)


@router.delete("/videos/{id}/source/replace-resumable", status_code=204,
               operation_id="replaceVideoSourceResumableCancel",
               responses={404: {"description": "upload not found"}})
async def cancel_replace(id: VideoRef, session: SessionDep, config: ConfigDep, user: CurrentUser,
                         upload_id: UploadId = None):
    await resumable.cancel_upload(session, config, user, upload_id, Kind.SOURCE_REPLACE)
    return Response(status_code=204)
