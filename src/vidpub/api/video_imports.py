"""Video Imports tag: importing a video from a URL, and the user's list of imports."""

from __future__ import annotations

import asyncio
import json
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import UploadFile

from vidpub.api.bounded_forms import bounded_form
from vidpub.api.deps import MAX_ID, ConfigDep, CurrentUser, IdPath, Pagination, SessionDep, pagination
from vidpub.config import Config
from vidpub.errors import ProblemError, invalid_param
from vidpub.schemas.video_imports import VideoImportCreate, VideoImportJson, VideoImportsList
from vidpub.services.uploads.validation import IMAGE_MAX_BYTES, check_image
from vidpub.services.videos import imports

router = APIRouter(tags=["Video Imports"])

TORRENT_MAX_BYTES = 1024 * 1024  # PeerTube's limit for a `torrentfile`
FORM_MAX_BYTES = 2 * IMAGE_MAX_BYTES + TORRENT_MAX_BYTES + 256 * 1024  # files plus the text fields

_IMPORT_BODY_SCHEMA = {
    "type": "object", "required": ["channelId"],
    "properties": {
        "targetUrl": {"type": "string", "format": "url", "maxLength": 2000},
        "magnetUri": {"type": "string", "format": "uri"},
        "torrentfile": {"type": "string", "format": "binary"},
        "thumbnailfile": {"type": "string", "format": "binary"},
        "previewfile": {"type": "string", "format": "binary"},
        "channelId": {"type": "integer", "minimum": 1},
        "name": {"type": "string", "minLength": 3, "maxLength": 120},
        "privacy": {"type": "integer"}, "category": {"type": "integer"}, "licence": {"type": "integer"},
        "language": {"type": "string"}, "description": {"type": "string"}, "support": {"type": "string"},
        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 5},
        "nsfw": {"type": "boolean"}, "commentsPolicy": {"type": "integer"},
        "downloadEnabled": {"type": "boolean"}, "waitTranscoding": {"type": "boolean"},
        "originallyPublishedAt": {"type": "string", "format": "date-time"},
        "videoPasswords": {"type": "array", "items": {"type": "string"}},
        "generateTranscription": {"type": "boolean"},
    },
}
IMPORT_REQUEST_BODY = {"requestBody": {"required": True, "content": {
    "multipart/form-data": {"schema": _IMPORT_BODY_SCHEMA},
    "application/json": {"schema": _IMPORT_BODY_SCHEMA}}}}


@router.post("/videos/imports", response_model=VideoImportJson, operation_id="importVideo",
             tags=["Video Imports", "Video Upload"], openapi_extra=IMPORT_REQUEST_BODY,
             responses={400: {"description": "`magnetUri` or `targetUrl` or a torrent file missing, or the "
                                             "URL cannot be read"},
                        403: {"description": "the URL resolves to a non-public address"},
                        409: {"description": "HTTP or Torrent/magnetURI import not enabled"}})
async def import_video(request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser):
    async with import_request(request, session, config) as (body, has_torrent_file, images):
        record = await imports.create_import(session, config, user, body, has_torrent_file=has_torrent_file,
                                             images=images)
    return (await imports.imports_json(session, config, [record]))[0]


@router.get("/users/me/videos/imports", response_model=VideoImportsList, operation_id="getMyVideoImports",
            tags=["Videos", "My User"])
async def my_imports(session: SessionDep, config: ConfigDep, user: CurrentUser,
                     page: Pagination = pagination("-createdAt", imports.SORTABLE),
                     targetUrl: Annotated[str | None, Query(max_length=2000)] = None,
                     videoChannelSyncId: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                     search: Annotated[str | None, Query(max_length=250)] = None,
                     id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                     videoId: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
                     includeCollaborations: bool | None = None):
    # `includeCollaborations` (PeerTube 8): channel collaborators do not exist in Vidpub, nothing to add
    if videoChannelSyncId is not None:
        # channel synchronisations do not exist in Vidpub: no import came from one
        return VideoImportsList(total=0, data=[])
    total, records = await imports.list_user_imports(session, user.id, start=page.start, count=page.count,
                                                     sort=page.sort, target_url=targetUrl, search=search,
                                                     import_id=id, video_id=videoId)
    return VideoImportsList(total=total, data=await imports.imports_json(session, config, records))


@router.delete("/videos/imports/{id}", status_code=204, operation_id="deleteVideoImport")
async def delete_import(id: IdPath, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await imports.delete_import(session, config, user, id)
    return Response(status_code=204)


@router.post("/videos/imports/{id}/cancel", status_code=204, operation_id="cancelVideoImport")
async def cancel_import(id: IdPath, session: SessionDep, config: ConfigDep, user: CurrentUser):
    await imports.cancel_import(session, config, user, id)
    return Response(status_code=204)


# -- reading the request ------------------------------------------------------------------------------------

def _too_large() -> ProblemError:
    return ProblemError(413, "The request is too large (images up to 8 MB, torrent files up to 1 MB)")


@asynccontextmanager
async def import_request(request: Request, session: AsyncSession, config: Config) -> AsyncIterator[
        tuple[VideoImportCreate, bool, imports.ImportImages]]:
    """The import's metadata (JSON or form), whether a torrent file came along, and the images sent
    (checked, in temporary files removed on exit unless the import took them over).

    Read after authorisation, with the session's transaction ended first: on SQLite it holds the
    write lock, which must not wait for a slow client."""
    await session.commit()
    content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        async with _form_request(request, config) as parsed:
            yield parsed
        return
    body = await _json_body(request)
    yield VideoImportCreate.parse(body), False, imports.ImportImages()


async def _json_body(request: Request) -> dict:
    raw = await request.body()
    if len(raw) > FORM_MAX_BYTES:
        raise _too_large()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise invalid_param("body", None, "Malformed JSON body") from None
    if not isinstance(body, dict):
        raise invalid_param("body", None, "Should be a JSON object")
    return body


@asynccontextmanager
async def _form_request(request: Request, config: Config):
    form = await bounded_form(request, FORM_MAX_BYTES, _too_large, max_files=3, max_fields=100)
    saved: list[Path] = []
    try:
        body = VideoImportCreate.from_form([(key, value) for key, value in form.multi_items()
                                            if isinstance(value, str)])
        torrent = form.get("torrentfile")
        has_torrent_file = isinstance(torrent, UploadFile) and bool(torrent.filename or torrent.size)
        images = imports.ImportImages()
        for field in imports.IMAGE_FIELDS:
            upload = form.get(field)
            if isinstance(upload, UploadFile):
                path = await _save_upload(config, upload)
                saved.append(path)
                await asyncio.to_thread(check_image, path, upload.filename, field)
                setattr(images, "thumbnail" if field == "thumbnailfile" else "preview", path)
        yield body, has_torrent_file, images
    finally:
        await form.close()
        for path in saved:
            path.unlink(missing_ok=True)


async def _save_upload(config: Config, upload: UploadFile) -> Path:
    """The uploaded part in a file of its own, keeping its extension (images are checked on it)."""
    directory = config.storage_path("tmp")
    directory.mkdir(parents=True, exist_ok=True)
    suffix = Path(upload.filename or "").suffix.lower()[:10]
    await upload.seek(0)

    def copy() -> Path:
        with tempfile.NamedTemporaryFile(dir=directory, prefix="import-image-", suffix=suffix,
                                         delete=False) as out:
            shutil.copyfileobj(upload.file, out)
        return Path(out.name)

    return await asyncio.to_thread(copy)
