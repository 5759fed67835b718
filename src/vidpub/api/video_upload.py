"""Video Upload tag: the legacy multipart upload and PeerTube's resumable (uploadx) protocol.

Bodies are read by hand, after authorisation, as streams: FastAPI would parse (and spool) a
declared body before any dependency runs. Each route ends the session's transaction before reading
a body, so that no lock is held while bytes arrive.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from vidpub.api.deps import ConfigDep, CurrentUser, SessionDep
from vidpub.api.resumable_http import (CHUNK_BODY, CHUNK_PARAMETERS, INIT_PARAMETERS, STATUS_308,
                                       body_stream, content_length, discard_images, image_rules, incomplete_response,
                                       init_response, read_init_body, uploads_workdir)
from vidpub.errors import invalid_param
from vidpub.schemas.video_create import VideoAttributes, VideoUploadResponse
from vidpub.services import quota
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.uploads import publishing, resumable, validation
from vidpub.services.uploads.multipart import FilePartRule, receive_form
from vidpub.services.uploads.sessions import Kind

router = APIRouter(tags=["Video Upload"])

RESUMABLE_PATH = "/api/v1/videos/upload-resumable"
MULTIPART_SLACK = 16 * 1024 * 1024  # text fields and images around the video in a legacy upload
UploadId = Annotated[str | None, Query(max_length=64)]


def _inline_refs(schema: Any, definitions: dict) -> Any:
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline_refs(definitions[schema["$ref"].rsplit("/", 1)[-1]], definitions)
        return {key: _inline_refs(value, definitions) for key, value in schema.items() if key != "$defs"}
    if isinstance(schema, list):
        return [_inline_refs(item, definitions) for item in schema]
    return schema


def attributes_schema(files: dict[str, bool], required_file: str | None = None) -> dict:
    """VideoAttributes as an OpenAPI object schema, plus binary file properties."""
    schema = VideoAttributes.model_json_schema()
    schema = _inline_refs(schema, schema.get("$defs", {}))
    schema.pop("title", None)
    for name in files:
        schema["properties"][name] = {"type": "string", "format": "binary"}
    if required_file:
        schema["required"] = [*schema.get("required", []), required_file]
    return schema


LEGACY_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": attributes_schema({"videofile": True, "thumbnailfile": False, "previewfile": False}, "videofile")}}}}
_init_schema = attributes_schema({"thumbnailfile": False, "previewfile": False})
_init_schema["properties"]["filename"] = {"type": "string", "description": "Video file name with its extension"}
_init_schema["required"] = [*_init_schema.get("required", []), "filename"]
INIT_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": _init_schema},
                                                           "multipart/form-data": {"schema": _init_schema}}}}
ERRORS = {403: {"description": "cannot publish in this channel"},
          413: {"description": "`quota_reached` or `max_file_size_reached`"},
          415: {"description": "video type unsupported"}, 422: {"description": "video unreadable"}}


@router.post("/videos/upload", response_model=VideoUploadResponse, operation_id="uploadLegacy",
             openapi_extra=LEGACY_BODY, responses=ERRORS)
async def upload_legacy(request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser):
    """The whole file in one multipart request, written to disk as it arrives."""
    declared = content_length(request)
    if declared is not None and declared > validation.MAX_VIDEO_FILE_SIZE + MULTIPART_SLACK:
        raise validation.file_too_large()
    video_rule = await _video_part_rule(session, user)
    await session.commit()
    form = await receive_form(body_stream(request), request.headers.get("content-type"), uploads_workdir(config),
                              {"videofile": video_rule, **image_rules()})
    try:
        attrs = VideoAttributes.from_form(form.fields)
        video_part = form.files.get("videofile")
        if video_part is None:
            raise invalid_param("videofile", None, "Should have a video file")
        images = {field: publishing.IncomingImage(form.files[field].path, form.files[field].filename)
                  for field in ("thumbnailfile", "previewfile") if field in form.files}
        incoming = publishing.IncomingVideo(
            path=video_part.path, filename=validation.check_filename(video_part.filename, "videofile"),
            mime=video_part.content_type or "application/octet-stream",
            thumbnail=images.get("thumbnailfile"), preview=images.get("previewfile"))
        video = await publishing.publish(session, config, user, attrs, incoming)
    finally:
        form.cleanup()
    return publishing.upload_response(video)


async def _video_part_rule(session, user) -> FilePartRule:
    """Stop reading a video part as soon as it cannot be accepted: past the size ceiling, or past
    the uploader's quota when the upload can only go to their own channels (plain users)."""
    limit, too_large = validation.MAX_VIDEO_FILE_SIZE, validation.file_too_large
    if not has_right(user.role, UserRight.MANAGE_ANY_VIDEO_CHANNEL):
        room = await quota.largest_fitting_size(session, user)
        if room is not None and room < limit:
            limit, too_large = room, quota.quota_reached
    return FilePartRule(limit, too_large)


@router.post("/videos/upload-resumable", status_code=201, operation_id="uploadResumableInit",
             openapi_extra={**INIT_BODY, "parameters": INIT_PARAMETERS},
             responses={200: {"description": "the session exists already: resume it"}, **ERRORS})
async def init_resumable(request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await session.commit()
    body, images = await read_init_body(request, config)
    try:
        upload, resumed = await resumable.init_video_upload(
            session, config, user, body, request.headers.get("x-upload-content-length"),
            request.headers.get("x-upload-content-type"), images)
    finally:
        discard_images(images)  # those kept were moved next to the session's data file
    return init_response(config, RESUMABLE_PATH, upload.id, resumed, upload.bytes_written)


@router.put("/videos/upload-resumable", response_model=VideoUploadResponse, operation_id="uploadResumable",
            openapi_extra={**CHUNK_BODY, "parameters": CHUNK_PARAMETERS},
            responses={**STATUS_308, 409: {"description": "chunk doesn't match range"},
                       503: {"description": "upload is already being processed"}, **ERRORS})
async def send_chunk(request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser,
                     upload_id: UploadId = None):
    progress = await resumable.continue_upload(
        session, config, user, upload_id, Kind.VIDEO, request.headers.get("content-range"), content_length(request),
        body_stream(request), resumable.video_finisher(session, config, user))
    if not progress.done:
        return incomplete_response(progress)
    return JSONResponse(progress.result)


@router.delete("/videos/upload-resumable", status_code=204, operation_id="uploadResumableCancel",
               responses={404: {"description": "upload not found"}})
async def cancel_resumable(session: SessionDep, config: ConfigDep, user: CurrentUser, upload_id: UploadId = None):
    await resumable.cancel_upload(session, config, user, upload_id, Kind.VIDEO)
    return Response(status_code=204)
