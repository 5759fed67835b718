"""Video Captions tag: listing, uploading (WebVTT or SRT), deleting and generating captions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import PurePath
from typing import Annotated

from fastapi import APIRouter, Header, Request, Response
from starlette.datastructures import UploadFile

from vidpub.api.bounded_forms import bounded_form
from vidpub.api.deps import ConfigDep, CurrentUser, OptionalUser, SessionDep
from vidpub.api.image_upload import MULTIPART_SLACK
from vidpub.errors import invalid_param
from vidpub.schemas.common import Page
from vidpub.schemas.video_captions import CaptionGenerateBody, VideoCaptionJson, video_caption_json
from vidpub.services.server_config import CAPTION_EXTENSIONS, CAPTION_MAX_BYTES
from vidpub.services.videos import captions
from vidpub.services.videos.lookup import VIDEO_PASSWORD_HEADER

router = APIRouter(tags=["Video Captions"])

VideoPassword = Annotated[str | None, Header(alias=VIDEO_PASSWORD_HEADER, max_length=100)]

# PeerTube's caption MIME types, and the generic type browsers send for an unknown extension
CAPTION_MIME_TYPES = frozenset({"text/vtt", "application/x-subrip", "text/plain", "application/octet-stream"})
CAPTION_REQUEST_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {
    "schema": {"type": "object", "required": [captions.CAPTION_FIELD],
               "properties": {captions.CAPTION_FIELD: {"type": "string", "format": "binary"}}},
    "encoding": {captions.CAPTION_FIELD: {"contentType": "text/vtt, application/x-subrip, text/plain"}}}}}}


def caption_file_refused(reason: str | None = None):
    return invalid_param(captions.CAPTION_FIELD, None, reason or (
        "This caption file is not supported or too large. Please, make sure it is of the following type: "
        + ", ".join(CAPTION_EXTENSIONS)))


@asynccontextmanager
async def uploaded_caption(request: Request) -> AsyncIterator[bytes]:
    """The bytes of the `captionfile` part, at most `CAPTION_MAX_BYTES` (checked on Content-Length,
    while reading and on the result), sent as a caption type or named `.vtt`/`.srt`."""
    form = await bounded_form(request, CAPTION_MAX_BYTES + MULTIPART_SLACK, caption_file_refused,
                              max_files=1, max_fields=20)
    try:
        upload = form.get(captions.CAPTION_FIELD)
        if not isinstance(upload, UploadFile):
            raise caption_file_refused("Should have a caption file")
        extension = PurePath(upload.filename or "").suffix.lower()
        content_type = (upload.content_type or "").split(";")[0].strip().lower()
        if extension not in CAPTION_EXTENSIONS and content_type not in CAPTION_MIME_TYPES:
            raise caption_file_refused()
        data = await upload.read(CAPTION_MAX_BYTES + 1)
        if len(data) > CAPTION_MAX_BYTES:
            raise caption_file_refused()
        yield data
    finally:
        await form.close()


@router.get("/videos/{id}/captions", response_model=Page[VideoCaptionJson], operation_id="getVideoCaptions")
async def list_video_captions(id: str, session: SessionDep, config: ConfigDep, user: OptionalUser,
                              video_password: VideoPassword = None):
    video, rows = await captions.list_captions(session, id, user, video_password)
    return Page[VideoCaptionJson](total=len(rows),
                                  data=[video_caption_json(config.url, video, row) for row in rows])


@router.put("/videos/{id}/captions/{captionLanguage}", status_code=204, operation_id="addVideoCaption",
            openapi_extra=CAPTION_REQUEST_BODY)
async def add_video_caption(id: str, captionLanguage: str, request: Request, session: SessionDep,
                            config: ConfigDep, user: CurrentUser):
    await captions.check_can_add(session, id, user, captionLanguage)
    # the upload is read outside any transaction: on SQLite an open one holds the write lock
    await session.commit()
    async with uploaded_caption(request) as data:
        await captions.add_caption(session, config, id, user, captionLanguage, data)
    return Response(status_code=204)


@router.delete("/videos/{id}/captions/{captionLanguage}", status_code=204, operation_id="delVideoCaption")
async def delete_video_caption(id: str, captionLanguage: str, session: SessionDep, config: ConfigDep,
                               user: CurrentUser):
    await captions.delete_caption(session, config, id, user, captionLanguage)
    return Response(status_code=204)


@router.post("/videos/{id}/captions/generate", status_code=204, operation_id="generateVideoCaption")
async def generate_video_caption(id: str, session: SessionDep, config: ConfigDep, user: CurrentUser,
                                 body: CaptionGenerateBody | None = None):
    await captions.request_transcription(session, config, id, user)
    return Response(status_code=204)
