"""Reading one image from a multipart upload, bounded in size.

Routers call this after authorisation instead of declaring a `File()` parameter: FastAPI parses
declared bodies before running dependencies, which would let anyone make the server spool a
large upload before being told 401.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from vidpub.api.bounded_forms import bounded_form
from vidpub.errors import invalid_param
from vidpub.services.images import ACTOR_IMAGE_MAX_BYTES, image_too_large

# room for the multipart boundaries and part headers around the file itself
MULTIPART_SLACK = 64 * 1024


def image_request_body(field: str) -> dict:
    """The OpenAPI `requestBody` of a route reading `field` with `uploaded_image`."""
    return {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
        "type": "object", "required": [field],
        "properties": {field: {"type": "string", "format": "binary"}}}}}}}


@asynccontextmanager
async def uploaded_image(request: Request, session: AsyncSession, field: str,
                         max_bytes: int = ACTOR_IMAGE_MAX_BYTES) -> AsyncIterator[UploadFile]:
    """The file part named `field`; 413 past `max_bytes` (checked on Content-Length, while reading
    and on the result), 400 when the part is missing. Temporary files are closed on exit.

    The session's transaction (opened by authorisation) is ended first: on SQLite it holds the
    write lock, which must not wait for a slow upload or for the image processing after it."""
    await session.commit()
    form = await bounded_form(request, max_bytes + MULTIPART_SLACK, lambda: image_too_large(max_bytes),
                              max_files=1, max_fields=20)
    try:
        upload = form.get(field)
        if not isinstance(upload, UploadFile):
            raise invalid_param(field, None, "Should have an image file")
        if upload.size is not None and upload.size > max_bytes:
            raise image_too_large(max_bytes)
        yield upload
    finally:
        await form.close()
