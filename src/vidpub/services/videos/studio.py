"""The video studio: an owner cuts a video or adds an intro, an outro or a watermark.

The request is checked as PeerTube checks it (tasks, files, the video's state, rights, quota), the
task files are kept under `tmp-persistent/studio/`, the video goes to TO_EDIT and a
`video-studio-edition` job runs the tasks one after the other. Its result replaces the video's
files (as a new input: one web video) and is transcoded again into the ladder.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePath

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import FileFormat, Job, User, VideoFile, VideoState
from vidpub.errors import ProblemError, bad_request, invalid_param
from vidpub.jobs.queue import enqueue
from vidpub.media import studio as media
from vidpub.media.ffmpeg import binary_for
from vidpub.media.probe import UnreadableMedia, probe
from vidpub.services import quota, torrents
from vidpub.services.auth.rights import UserRight
from vidpub.services.uploads.validation import allowed_extensions
from vidpub.services.videos import creation, files, state
from vidpub.services.videos.file_admin import local_video
from vidpub.services.videos.lookup import ensure_can_manage
from vidpub.services.videos.transcoding import best_input, committed_result, enqueue_transcoding, load_video
from vidpub.storage import layout

log = logging.getLogger("vidpub.videos.studio")

STUDIO_JOB = "video-studio-edition"
TASK_NAMES = ("cut", "add-intro", "add-outro", "add-watermark")
MAX_TASKS = 10
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")
FILE_TASKS = ("add-intro", "add-outro", "add-watermark")

REQUEST_BODY = {"requestBody": {"required": True, "content": {
    media_type: {"schema": {"type": "object", "properties": {"tasks": {"type": "array", "items": {
        "type": "object", "properties": {"name": {"type": "string", "enum": list(TASK_NAMES)},
                                         "options": {"type": "object"}}}}}}}
    for media_type in ("application/x-www-form-urlencoded", "multipart/form-data", "application/json")}}}


@dataclass
class StudioTask:
    name: str
    start: int | None = None
    end: int | None = None
    file: Path | None = None           # an uploaded intro, outro or watermark
    original_filename: str | None = None

    def payload(self) -> dict:
        out: dict = {"name": self.name, "options": {}}
        if self.name == "cut":
            out["options"] = {k: v for k, v in (("start", self.start), ("end", self.end)) if v is not None}
        elif self.file is not None:
            out["options"] = {"file": str(self.file)}
        return out


def studio_enabled(config: Config) -> bool:
    return bool(config.video_studio.enabled)


def ensure_enabled(config: Config) -> None:
    if not studio_enabled(config):
        raise bad_request("Video studio is disabled on this instance")


def _int_option(value) -> int | None | bool:
    """An integer ≥ 0, None when absent, False when present but not such an integer."""
    if value is None or value == "":
        return None
    try:
        number = int(str(value))
    except ValueError:
        return False
    return number if number >= 0 else False


def parse_tasks(config: Config, raw_tasks: object, uploads: dict[int, tuple[Path, str]]) -> list[StudioTask]:
    """The tasks of a request (`uploads`: index -> (spooled file, its name)); 400 when invalid."""
    if not isinstance(raw_tasks, list) or not 1 <= len(raw_tasks) <= MAX_TASKS:
        raise invalid_param("tasks", None, "Should have a valid array of tasks")
    tasks = []
    for index, raw in enumerate(raw_tasks):
        name = raw.get("name") if isinstance(raw, dict) else None
        options = raw.get("options") if isinstance(raw, dict) else None
        task = _parse_task(name, options if isinstance(options, dict) else {}, uploads.get(index),
                           allowed_extensions(config))
        if task is None:
            raise bad_request(f"Task {name} is invalid")
        tasks.append(task)
    return tasks


def _parse_task(name, options: dict, upload: tuple[Path, str] | None,
                video_extensions: list[str]) -> StudioTask | None:
    if name == "cut":
        start, end = _int_option(options.get("start")), _int_option(options.get("end"))
        if start is False or end is False or (start is None and end is None):
            return None
        if start is not None and end is not None and end <= start:
            return None
        return StudioTask("cut", start=start, end=end)
    if name in FILE_TASKS:
        if upload is None:
            return None
        path, filename = upload
        suffix = PurePath(filename).suffix.lower()
        if suffix not in (IMAGE_EXTENSIONS if name == "add-watermark" else video_extensions):
            return None
        return StudioTask(name, file=path, original_filename=filename)
    return None


def ensure_file_can_be_edited(video) -> None:
    if video.is_live:
        raise bad_request("Cannot edit a live video")
    if video.state in (VideoState.TO_TRANSCODE, VideoState.TO_EDIT):
        raise ProblemError(409, "Cannot edit video that is already waiting for transcoding/edition")
    if video.state not in (VideoState.PUBLISHED, VideoState.TO_MOVE_TO_EXTERNAL_STORAGE_FAILED,
                           VideoState.TO_MOVE_TO_FILE_SYSTEM_FAILED, VideoState.TRANSCODING_FAILED):
        raise bad_request("Video state is not compatible with edition")


async def create_edition(session: AsyncSession, config: Config, user: User, ref: str,
                         tasks: list[StudioTask]) -> None:
    """Check the request, keep the task files and queue the edition; the video goes to TO_EDIT."""
    ensure_enabled(config)
    video = await local_video(session, ref)
    source = await best_input(session, config, video, prefer_original=False)
    video_probe = await asyncio.to_thread(probe, source.path) if source else None
    is_audio = video_probe is not None and not video_probe.has_video
    for task in tasks:
        if is_audio and task.name in FILE_TASKS:
            raise bad_request(f"Task {task.name} is invalid: video does not contain a video stream")
        if task.name in ("add-intro", "add-outro"):
            try:
                task_probe = await asyncio.to_thread(probe, task.file)
            except UnreadableMedia:
                raise bad_request(f"Task {task.name} is invalid") from None
            if not task_probe.has_video:
                raise bad_request(f"Task {task.name} is invalid: input file does not contain a video stream")
    ensure_file_can_be_edited(video)
    ensure_can_manage(video, user, UserRight.UPDATE_ANY_VIDEO)
    if source is None:
        raise bad_request("Cannot edit a video without files")
    added = sum(task.file.stat().st_size for task in tasks if task.name in ("add-intro", "add-outro"))
    await quota.ensure_quota(session, user, added)

    kept: list[Path] = []
    directory = config.storage_path("tmp_persistent") / "studio"
    directory.mkdir(parents=True, exist_ok=True)
    try:
        for task in tasks:
            if task.file is not None:
                extension = PurePath(task.original_filename or "").suffix.lower()
                destination = directory / f"{layout.random_name()}{extension}"
                shutil.move(str(task.file), destination)
                kept.append(destination)
                task.file = destination
        previous_state = video.state
        video.state = VideoState.TO_EDIT
        enqueue(session, STUDIO_JOB, {"videoUUID": video.uuid, "previousState": previous_state,
                                      "tasks": [task.payload() for task in tasks]})
        await session.commit()
    except BaseException:
        for path in kept:
            path.unlink(missing_ok=True)
        raise


# -- the job ----------------------------------------------------------------------------------------

async def run_edition(runtime, job_id: int, payload: dict) -> dict:
    """Apply the tasks, then make the result the video's only file and transcode it again."""
    config: Config = runtime.config
    video_uuid = str(payload["videoUUID"])
    task_files = [Path(task["options"]["file"]) for task in payload.get("tasks", [])
                  if task.get("options", {}).get("file")]
    workdir = layout.transcoding_workdir(config) / f"studio-{video_uuid}-{job_id}"
    previous = await committed_result(runtime.db, job_id)
    if previous is not None:  # a run recorded its result, then died: applying the tasks again would cut twice
        await files.remove_all_files(config, files.FilesSnapshot(paths=task_files, directories=[workdir]))
        return previous
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    try:
        async with runtime.db.session(write=False) as session:
            video = await load_video(session, video_uuid)
            if video is None:
                return {"skipped": "the video was deleted"}
            source = await best_input(session, config, video, prefer_original=False)
        if source is None:
            raise RuntimeError("the video has no file to edit")
        current = source.path
        binary, threads = binary_for(config), int(config.transcoding.threads)
        for index, task in enumerate(payload.get("tasks", [])):
            current = await _apply(binary, threads, task, current, workdir / f"step-{index}.mp4")
        result = await _replace_files(runtime, job_id, video_uuid, current)
    except Exception:
        await _restore_state(runtime, video_uuid, payload.get("previousState", VideoState.PUBLISHED))
        raise
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    await files.remove_all_files(config, files.FilesSnapshot(paths=task_files))
    return result


async def _apply(binary: str, threads: int, task: dict, source: Path, destination: Path) -> Path:
    video = await asyncio.to_thread(probe, source)
    options = task.get("options") or {}
    name = task.get("name")
    if name == "cut":
        args = media.cut_arguments(source, video, destination, options.get("start"), options.get("end"),
                                   threads)
    elif name in ("add-intro", "add-outro"):
        other = Path(options["file"])
        other_probe = await asyncio.to_thread(probe, other)
        args = media.concat_arguments(source, video, other, other_probe, destination,
                                      other_first=name == "add-intro", threads=threads)
    elif name == "add-watermark":
        args = media.watermark_arguments(source, video, Path(options["file"]), destination, threads)
    else:
        raise ValueError(f"unknown studio task {name!r}")
    await media.run_task(binary, args)
    return destination


async def _replace_files(runtime, job_id: int, video_uuid: str, edited: Path) -> dict:
    """The edited file becomes the video's only (web video) file; then transcoding, or publication."""
    config: Config = runtime.config
    edited_probe = await asyncio.to_thread(probe, edited)
    async with runtime.db.session(write=False) as session:
        video = await load_video(session, video_uuid)
        if video is None:
            return {"skipped": "the video was deleted"}
        private, name = files.is_private(video), video.name
    filename = layout.web_video_filename(edited_probe.resolution)
    destination = layout.web_video_path(config, filename, private)
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(edited), destination)
    url = config.url + layout.web_video_url_path(filename, private)
    torrent_filename, info_hash = await torrents.create_torrent(config, destination, name, url,
                                                                edited_probe.resolution)
    try:
        async with runtime.db.transaction() as session:
            video = await load_video(session, video_uuid, for_update=True)
            if video is None:
                raise LookupError("the video was deleted")
            removed = await files.delete_web_videos(session, config, video)
            removed.extend(await files.delete_hls(session, config, video))
            session.add(VideoFile(
                video_id=video.id, resolution=edited_probe.resolution, width=edited_probe.width,
                height=edited_probe.height, fps=round(edited_probe.fps, 3), size=destination.stat().st_size,
                extname=".mp4", filename=filename, torrent_filename=torrent_filename, info_hash=info_hash,
                format_flags=FileFormat.WEB_VIDEO, stream_flags=creation.stream_flags(edited_probe),
                metadata_json=edited_probe.metadata))
            video.duration = round(edited_probe.duration)
            # an edited video goes through transcoding again, as a new input would
            if state.next_state(config, None) == VideoState.TO_TRANSCODE:
                video.state = VideoState.TO_TRANSCODE
                enqueue_transcoding(session, video, is_new_video=False, from_edition=True)
            else:
                state.publish(video, is_new_video=False, session=session, after_edition=True)
            result = {"committed": True, "videoUUID": video_uuid, "filename": filename,
                      "duration": edited_probe.duration}
            await session.execute(sa.update(Job).where(Job.id == job_id).values(result=result))
    except BaseException:
        await files.remove_all_files(config, files.FilesSnapshot(
            paths=[destination, layout.torrent_path(config, torrent_filename)]))
        raise
    await files.remove_all_files(config, removed)
    return result


async def _restore_state(runtime, video_uuid: str, previous_state: int) -> None:
    try:
        async with runtime.db.transaction() as session:
            video = await load_video(session, video_uuid, for_update=True)
            if video is not None and video.state == VideoState.TO_EDIT:
                video.state = previous_state
    except Exception:
        log.exception("could not restore the state of %s after a failed edition", video_uuid)
