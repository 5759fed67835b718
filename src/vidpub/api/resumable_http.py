"""HTTP side of PeerTube's uploads, shared by the video upload and the source replacement routes:
reading request bodies as streams, the uploadx answers (201/200 + Location, 308 + Range, 200/204),
and the OpenAPI descriptions of these routes (their bodies are read by hand, not by FastAPI)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import Request, Response
from starlette.requests import ClientDisconnect

from vidpub.config import Config
from vidpub.errors import bad_request, invalid_param
from vidpub.services.uploads import sessions, validation
from vidpub.services.uploads.multipart import FilePartRule, ReceivedFile, receive_form
from vidpub.services.uploads.resumable import Progress

INIT_JSON_MAX_BYTES = 1024 * 1024
IMAGE_FIELDS = ("thumbnailfile", "previewfile")


async def body_stream(request: Request) -> AsyncIterator[bytes]:
    """The request body as it arrives; a client that goes away just ends it (what arrived is kept)."""
    try:
        async for chunk in request.stream():
            yield chunk
    except ClientDisconnect:
        return


def content_length(request: Request) -> int | None:
    value = request.headers.get("content-length")
    if value is None:
        return None
    if not value.strip().isdigit():
        raise invalid_param("Content-Length", value, "Should be a number of bytes", "headers")
    return int(value)


def uploads_workdir(config: Config) -> Path:
    return config.storage_path("tmp") / "uploads"


def image_rules() -> dict[str, FilePartRule]:
    def too_large(field: str):
        return lambda: validation.unsupported_image(field, None)

    return {field: FilePartRule(validation.IMAGE_MAX_BYTES, too_large(field)) for field in IMAGE_FIELDS}


async def read_init_body(request: Request, config: Config) -> tuple[dict, dict[str, ReceivedFile]]:
    """An init request's metadata: JSON, or a multipart form that may carry the thumbnail and
    preview images too (PeerTube accepts both)."""
    content_type = request.headers.get("content-type", "")
    if content_type.lower().startswith("multipart/"):
        from vidpub.schemas.video_create import unflatten_form

        form = await receive_form(body_stream(request), content_type, uploads_workdir(config), image_rules())
        return unflatten_form(form.fields), form.files
    declared = content_length(request)
    if declared is not None and declared > INIT_JSON_MAX_BYTES:
        raise bad_request("The request body is too large")
    raw = bytearray()
    async for chunk in body_stream(request):
        raw += chunk
        if len(raw) > INIT_JSON_MAX_BYTES:
            raise bad_request("The request body is too large")
    if not raw.strip():
        return {}, {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise invalid_param("body", None, "Malformed JSON body") from None
    if not isinstance(body, dict):
        raise invalid_param("body", None, "Should be a JSON object")
    return body, {}


def discard_images(images: dict[str, ReceivedFile]) -> None:
    for received in images.values():
        received.path.unlink(missing_ok=True)


def init_response(config: Config, path: str, upload_id: str, resumed: bool, bytes_written: int) -> Response:
    headers = {"Location": f"{config.url}{path}?upload_id={upload_id}"}
    if resumed:
        headers.update(sessions.range_header(bytes_written))
    return Response(status_code=200 if resumed else 201, headers=headers)


def incomplete_response(progress: Progress) -> Response:
    """uploadx's "Resume Incomplete": 308 with the stored range, no body."""
    return Response(status_code=308, headers=sessions.range_header(progress.upload.bytes_written))


# -- OpenAPI -----------------------------------------------------------------------------------------

def _header(name: str, kind: str, description: str) -> dict:
    return {"in": "header", "name": name, "required": True, "schema": {"type": kind}, "description": description}


INIT_PARAMETERS = [_header("X-Upload-Content-Length", "number", "Size of the file in bytes"),
                   _header("X-Upload-Content-Type", "string", "MIME type of the file")]
CHUNK_PARAMETERS = [_header("Content-Range", "string", "`bytes <first>-<last>/<total>`, or `bytes */<total>`"),
                    _header("Content-Length", "number", "Size of the chunk")]
CHUNK_BODY = {"requestBody": {"content": {"application/octet-stream": {
    "schema": {"type": "string", "format": "binary"}}}}}
STATUS_308 = {308: {"description": "resume incomplete (the `Range` header tells what is stored)"}}
