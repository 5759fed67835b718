"""Transcoding a video: the `video-transcoding` job's work.

One run makes every rendition of the ladder from the video's best file (the kept original, else
its highest web video or HLS file) with one decoding ffmpeg process, then replaces the video's
files in one transaction and moves the video to its next state.

The job may run more than once (a worker killed mid-run is retried). Each run works in its own
directory; files are moved to their final places only in the end, listed beforehand in a manifest
(so a run cut short before its commit is undone by the next one), and recorded in the same
transaction that marks the job's result as committed (so a run cut short after it only finishes
the clean-up).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import (
    Job,
    Storyboard,
    Thumbnail,
    ThumbnailType,
    Video,
    VideoFile,
    VideoSource,
    VideoState,
)
from vidpub.jobs.queue import enqueue
from vidpub.media import transcode as media
from vidpub.media.ffmpeg import binary_for
from vidpub.media.ladder import plan_ladder
from vidpub.media.probe import ProbeResult, probe
from vidpub.services.videos import files, state
from vidpub.services.videos.transcoding_outputs import OutputSet, describe_outputs, record_outputs
from vidpub.storage import layout

log = logging.getLogger("vidpub.videos.transcoding")

TRANSCODING_JOB = "video-transcoding"
STORYBOARD_JOB = "generate-video-storyboard"
HLS, WEB_VIDEO = "hls", "web-video"
FORMAT_ALIASES = {"hls": HLS, "web-video": WEB_VIDEO, "webtorrent": WEB_VIDEO}
MANIFEST = "manifest.json"
AUDIO_BACKGROUND = (32, 32, 40)

Progress = Callable[[int], Awaitable[None]]


def configured_formats(config: Config) -> list[str]:
    formats = []
    if config.transcoding.hls.enabled:
        formats.append(HLS)
    if config.transcoding.web_videos.enabled:
        formats.append(WEB_VIDEO)
    return formats


def enqueue_transcoding(session: AsyncSession, video: Video, *, is_new_video: bool = True,
                        formats: list[str] | None = None, from_edition: bool = False) -> Job:
    """Queue the transcoding of `video` in the caller's transaction. Without `formats`, the
    configured formats are made when the job runs and the uploaded input is replaced. After a
    studio edition the input is the edited file, not the kept original."""
    payload: dict = {"videoUUID": video.uuid, "isNewVideo": is_new_video}
    if formats is not None:
        payload["formats"] = [FORMAT_ALIASES[f] for f in formats]
    if from_edition:
        payload["fromEdition"] = True
    return enqueue(session, TRANSCODING_JOB, payload)


# -- the input --------------------------------------------------------------------------------------------

@dataclass
class TranscodingInput:
    path: Path
    video_file_id: int | None     # the web video or HLS file read, when it is not the kept original


async def best_input(session: AsyncSession, config: Config, video: Video, *,
                     prefer_original: bool = True) -> TranscodingInput | None:
    """The kept original of the latest source (unless told otherwise), else the best web video,
    else the best HLS file."""
    source = None
    if prefer_original:
        source = (await session.execute(
            sa.select(VideoSource).where(VideoSource.video_id == video.id)
            .order_by(VideoSource.created_at.desc(), VideoSource.id.desc()).limit(1))).scalar_one_or_none()
    if source is not None and source.kept_original_filename:
        original = layout.original_file_path(config, source.kept_original_filename)
        if original.exists():
            return TranscodingInput(original, None)
    candidates: list[tuple[VideoFile, Path]] = []
    for file in await files.web_video_files(session, video.id):
        if files.local_file(file):
            candidates.append((file, files.web_video_path(config, video, file)))
    playlist = await files.hls_playlist(session, video.id)
    for file in playlist.files if playlist is not None else []:
        if files.local_file(file):
            candidates.append((file, files.hls_file_path(config, video, file)))
    candidates = [(f, p) for f, p in candidates if p.exists()]
    if not candidates:
        return None
    file, path = max(candidates, key=lambda item: (item[0].has_video, item[0].resolution, item[0].size))
    return TranscodingInput(path, file.id)


async def preview_image(session: AsyncSession, config: Config, video: Video) -> Path | None:
    thumbnail = (await session.execute(sa.select(Thumbnail).where(
        Thumbnail.video_id == video.id, Thumbnail.type == ThumbnailType.PREVIEW))).scalar_one_or_none()
    if thumbnail is None or not thumbnail.on_disk:
        return None
    path = layout.preview_path(config, thumbnail.filename)
    return path if path.exists() else None


def _background_image(path: Path) -> Path:
    from PIL import Image

    Image.new("RGB", (850, 480), AUDIO_BACKGROUND).save(path, "JPEG", quality=90)
    return path


# -- run bookkeeping ----------------------------------------------------------------------------------------

def workdir_of(config: Config, video_uuid: str, job_id: int) -> Path:
    return layout.transcoding_workdir(config) / f"{video_uuid}-{job_id}"


def write_manifest(workdir: Path, paths: list[Path]) -> None:
    manifest = workdir / MANIFEST
    existing = read_manifest(workdir)
    manifest.write_text(json.dumps([str(p) for p in existing + paths]))


def read_manifest(workdir: Path) -> list[Path]:
    try:
        return [Path(p) for p in json.loads((workdir / MANIFEST).read_text())]
    except (OSError, ValueError):
        return []


async def undo_uncommitted_run(config: Config, workdir: Path) -> None:
    """Remove what an earlier run of this job placed without recording it, and its work directory."""
    placed = read_manifest(workdir)
    await files.remove_all_files(config, files.FilesSnapshot(paths=placed, directories=[workdir]))


async def committed_result(db, job_id: int) -> dict | None:
    async with db.session(write=False) as session:
        result = (await session.execute(sa.select(Job.result).where(Job.id == job_id))).scalar_one_or_none()
    return result if isinstance(result, dict) and result.get("committed") else None


async def load_video(session: AsyncSession, video_uuid: str, *, for_update: bool = False) -> Video | None:
    query = sa.select(Video).where(Video.uuid == video_uuid)
    if for_update and session.bind.dialect.name == "postgresql":
        query = query.with_for_update()
    return (await session.execute(query)).scalar_one_or_none()


# -- the run ------------------------------------------------------------------------------------------------

async def run_transcoding(runtime, job_id: int, payload: dict, progress: Progress | None = None) -> dict:
    """The `video-transcoding` job. Returns the job's result."""
    config: Config = runtime.config
    video_uuid = str(payload["videoUUID"])
    is_new_video = bool(payload.get("isNewVideo", True))
    explicit_formats = payload.get("formats")
    formats = configured_formats(config)
    if explicit_formats:
        formats = [FORMAT_ALIASES[f] for f in explicit_formats]
    workdir = workdir_of(config, video_uuid, job_id)
    report = progress or _no_progress

    previous = await committed_result(runtime.db, job_id)
    if previous is not None:  # an earlier run recorded everything, then died before the end
        await _finish(config, previous, workdir)
        return previous
    await undo_uncommitted_run(config, workdir)
    workdir.mkdir(parents=True, exist_ok=True)

    try:
        async with runtime.db.session(write=False) as session:
            video = await load_video(session, video_uuid)
            if video is None:
                await undo_uncommitted_run(config, workdir)
                return {"skipped": "the video was deleted"}
            source = await best_input(session, config, video, prefer_original=not payload.get("fromEdition"))
            preview = await preview_image(session, config, video)
            display_name, privacy = video.name, video.privacy
        if source is None:
            raise RuntimeError("the video has no file to transcode")
        if not formats:
            outputs = None
        else:
            outputs = await _transcode(config, source, formats, workdir, preview, report)
            await report(85)
            await outputs.make_torrents(config, video_uuid, display_name, privacy,
                                        lambda created: write_manifest(workdir, created))
        await report(95)
        result = await _commit(runtime, job_id, video_uuid, is_new_video, formats, bool(explicit_formats),
                               outputs, workdir, from_edition=bool(payload.get("fromEdition")))
    except Exception:
        await _on_failure(runtime, video_uuid, workdir)
        raise
    if not result.get("committed"):  # the video went away meanwhile: nothing of this run is kept
        await undo_uncommitted_run(config, workdir)
        return result
    await _finish(config, result, workdir)
    return result


async def _no_progress(_: int) -> None:
    return None


async def _transcode(config: Config, source: TranscodingInput, formats: list[str], workdir: Path,
                     preview: Path | None, report: Progress) -> OutputSet:
    probed: ProbeResult = await asyncio.to_thread(probe, source.path)
    interval = await media.keyframe_interval_async(source.path)
    ladder = plan_ladder(probed, config.transcoding, keyframe_interval=interval)
    outputs_dir = workdir / "out"
    job = media.TranscodeJob(
        input_path=source.path, ladder=ladder, duration=probed.duration,
        outputs=media.plan_outputs(ladder, outputs_dir, hls=HLS in formats, web_videos=WEB_VIDEO in formats),
        threads=int(config.transcoding.threads))
    if ladder.merge_audio:
        job.image_path = preview or await asyncio.to_thread(_background_image, workdir / "background.jpg")
    await report(10)
    await media.transcode(binary_for(config), job, nice=media.VOD_NICENESS)
    await report(75)
    return await asyncio.to_thread(describe_outputs, job, probed)


async def _commit(runtime, job_id: int, video_uuid: str, is_new_video: bool, formats: list[str],
                  explicit: bool, outputs: OutputSet | None, workdir: Path,
                  from_edition: bool = False) -> dict:
    """Place the new files and record them, the old files' removal, the state change and the job's
    result in one transaction."""
    config: Config = runtime.config
    async with runtime.db.transaction() as session:
        video = await load_video(session, video_uuid, for_update=True)
        if video is None:
            return {"skipped": "the video was deleted"}
        removed = files.FilesSnapshot()
        if outputs is not None:
            removed = await record_outputs(session, config, video, outputs, formats,
                                           drop_web_videos=not explicit and WEB_VIDEO not in formats,
                                           before_move=lambda paths: write_manifest(workdir, paths))
            if outputs.top_size is not None:
                width, height = outputs.top_size
                video.aspect_ratio = round(width / height, 4) if height else video.aspect_ratio
        previous_state = video.state
        state.after_transcoding(config, video, is_new_video=is_new_video, session=session,
                                after_edition=from_edition)
        # new content (an upload, a replaced source, an edition) gets a new storyboard; an admin's
        # re-transcoding of the same content only makes a missing one
        wants_storyboard = config.storyboards.enabled and not video.is_live
        if wants_storyboard and (not explicit or await _lacks_storyboard(session, video)):
            enqueue(session, STORYBOARD_JOB, {"videoUUID": video.uuid})
        result = {"committed": True, "videoUUID": video.uuid, "state": video.state,
                  "previousState": previous_state, "files": outputs.summary() if outputs else [],
                  "remove": [str(p) for p in removed.paths],
                  "removeDirectories": [str(d) for d in removed.directories]}
        await session.execute(sa.update(Job).where(Job.id == job_id).values(result=result))
    return result


async def _lacks_storyboard(session: AsyncSession, video: Video) -> bool:
    existing = (await session.execute(
        sa.select(Storyboard.id).where(Storyboard.video_id == video.id))).first()
    return existing is None


async def _finish(config: Config, result: dict, workdir: Path) -> None:
    """After the commit: the replaced files and the work directory go."""
    directories = [Path(d) for d in result.get("removeDirectories", [])] + [workdir]
    snapshot = files.FilesSnapshot(paths=[Path(p) for p in result.get("remove", [])], directories=directories)
    try:
        await files.remove_all_files(config, snapshot)
    except Exception:  # leftovers are harmless; the job's outcome stands
        log.exception("could not remove replaced files of %s", result.get("videoUUID"))


async def _on_failure(runtime, video_uuid: str, workdir: Path) -> None:
    """Nothing placed by this run stays; the video is marked TRANSCODING_FAILED (the reason is the
    job's error)."""
    try:
        await undo_uncommitted_run(runtime.config, workdir)
        async with runtime.db.transaction() as session:
            video = await load_video(session, video_uuid, for_update=True)
            if video is not None and video.state == VideoState.TO_TRANSCODE:
                state.transcoding_failed(video)
    except Exception:
        log.exception("could not record the transcoding failure of %s", video_uuid)
