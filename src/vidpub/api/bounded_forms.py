"""Multipart forms read with a byte limit: refused on a larger `Content-Length` before anything is read,
and again as soon as the received body passes the limit (a client may lie or send no length), so an
oversized upload is never spooled to disk whole before being refused."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from starlette.datastructures import FormData
from starlette.types import Message


async def bounded_form(request: Request, limit: int, too_large: Callable[[], Exception], *,
                       max_files: int, max_fields: int) -> FormData:
    """The request's form, raising `too_large()` past `limit` bytes of body. The caller closes it."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large()
    received = 0

    async def bounded_receive() -> Message:
        nonlocal received
        message = await request.receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise too_large()
        return message

    return await Request(request.scope, bounded_receive).form(max_files=max_files, max_fields=max_fields)
