"""My History tag: the videos a user watched, and forgetting them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from vidpub.api.deps import MAX_START, ConfigDep, CurrentUser, IdPath, SessionDep
from vidpub.errors import ProblemError, invalid_param
from vidpub.schemas.videos import VideoList
from vidpub.services import history

router = APIRouter(tags=["My History"])

MAX_REMOVE_BODY = 64 * 1024
_REMOVE_BODY = {"requestBody": {"content": {
    content_type: {"schema": {"type": "object", "properties": {
        "beforeDate": {"type": "string", "format": "date-time",
                       "description": "history before this date will be deleted"}}}}
    for content_type in ("multipart/form-data", "application/x-www-form-urlencoded", "application/json")}}}


@router.get("/users/me/history/videos", response_model=VideoList, operation_id="getUserHistoryVideos")
async def list_history(session: SessionDep, config: ConfigDep, user: CurrentUser,
                       start: Annotated[int, Query(ge=0, le=MAX_START)] = 0,
                       count: Annotated[int, Query(ge=0, le=100)] = 15,
                       search: Annotated[str | None, Query(max_length=1000)] = None):
    return await history.list_watched(session, config, user, start=start, count=count, search=search)


@router.delete("/users/me/history/videos/{videoId}", status_code=204, operation_id="delUserHistoryVideo")
async def remove_one(videoId: IdPath, session: SessionDep, user: CurrentUser):
    await history.forget_video(session, user, videoId)
    return Response(status_code=204)


@router.post("/users/me/history/videos/remove", status_code=204, operation_id="removeUserHistoryVideos",
             openapi_extra=_REMOVE_BODY)
async def remove_all(request: Request, session: SessionDep, user: CurrentUser):
    before = _before_date(await _body_fields(request))
    await history.forget_before(session, user, before)
    return Response(status_code=204)


async def _body_fields(request: Request) -> dict:
    """The body as PeerTube takes it: JSON, a URL-encoded form or a multipart form (or nothing)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_files=0, max_fields=10)
        return {key: value for key, value in form.items() if isinstance(value, str)}
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_REMOVE_BODY:
            raise ProblemError(413, f"The request body is larger than {MAX_REMOVE_BODY} bytes")
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError:
        raise ProblemError(400, "Malformed JSON body") from None
    return body if isinstance(body, dict) else {}


def _before_date(fields: dict) -> datetime | None:
    value = fields.get("beforeDate")
    if value is None:
        return None
    message = "Should have a before date that conforms to ISO 8601"
    if not isinstance(value, str) or "\x00" in value or len(value) > 64:
        raise invalid_param("beforeDate", value, message)
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise invalid_param("beforeDate", value, message) from None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)
