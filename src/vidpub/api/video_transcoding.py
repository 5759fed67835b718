"""Video Transcoding tag: an administrator runs a new transcoding of a video; a video's owner edits
it in the studio (cut, intro, outro, watermark) when `video_studio.enabled`."""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, Request, Response
from starlette.datastructures import UploadFile

from vidpub.api.deps import ConfigDep, CurrentUser, SessionDep, require_right
from vidpub.errors import bad_request
from vidpub.schemas.common import RequestBody
from vidpub.services.auth.rights import UserRight
from vidpub.services.videos import file_admin, studio

router = APIRouter(tags=["Video Transcoding"])

_TASK_FIELD = re.compile(r"^tasks\[(\d{1,2})\]\[(name|options)\](?:\[(start|end|file)\])?$")
MAX_FORM_FIELDS = 100


class TranscodingRequest(RequestBody):
    # 'webtorrent' is the name PeerTube < 6 gave web videos; its tools still send it
    transcodingType: Literal["hls", "web-video", "webtorrent"]
    forceTranscoding: bool = False


@router.post("/videos/{id}/transcoding", status_code=204, operation_id="createVideoTranscoding",
             dependencies=[require_right(UserRight.RUN_VIDEO_TRANSCODING)])
async def create_transcoding(id: str, body: TranscodingRequest, session: SessionDep, config: ConfigDep):
    await file_admin.request_transcoding(session, config, id, body.transcodingType, body.forceTranscoding)
    return Response(status_code=204)


@router.post("/videos/{id}/studio/edit", status_code=204, tags=["Video"],
             operation_id="createVideoStudioTask", openapi_extra=studio.REQUEST_BODY)
async def create_studio_task(id: str, request: Request, session: SessionDep, config: ConfigDep,
                             user: CurrentUser):
    studio.ensure_enabled(config)
    await session.commit()  # do not hold SQLite's write lock while the task files arrive
    workdir = Path(tempfile.mkdtemp(prefix="studio-request-", dir=config.storage_path("tmp")))
    try:
        tasks, uploads = await read_studio_tasks(request, workdir)
        await studio.create_edition(session, config, user, id, studio.parse_tasks(config, tasks, uploads))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return Response(status_code=204)


async def read_studio_tasks(request: Request, workdir: Path) -> tuple[object, dict[int, tuple[Path, str]]]:
    """`tasks` from a JSON body or a form (`tasks[0][name]=cut&tasks[0][options][start]=2`, files
    as `tasks[<i>][options][file]`); the files are written to `workdir`."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise bad_request("Malformed JSON body") from None
        return (body.get("tasks") if isinstance(body, dict) else None), {}
    form = await request.form(max_fields=MAX_FORM_FIELDS, max_files=studio.MAX_TASKS)
    try:
        tasks: dict[int, dict] = {}
        uploads: dict[int, tuple[Path, str]] = {}
        for key, value in form.multi_items():
            match = _TASK_FIELD.match(key)
            if match is None:
                continue
            index, part, option = int(match.group(1)), match.group(2), match.group(3)
            task = tasks.setdefault(index, {"options": {}})
            if isinstance(value, UploadFile):
                if option == "file" and index not in uploads:
                    path = workdir / f"task-{index}{Path(value.filename or '').suffix.lower()[:10]}"
                    with path.open("wb") as handle:
                        shutil.copyfileobj(value.file, handle, 1024 * 1024)
                    uploads[index] = (path, value.filename or path.name)
            elif part == "name":
                task["name"] = value
            elif option in ("start", "end"):
                task["options"][option] = value
        if sorted(tasks) != list(range(len(tasks))):  # tasks[0], tasks[2]: not an array
            return None, uploads
        return [tasks[i] for i in sorted(tasks)] or None, uploads
    finally:
        await form.close()
