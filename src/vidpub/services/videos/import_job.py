"""The work of a `video-import` job: download the media with yt-dlp, check it, and hand it to the
video as its input file (which enqueues transcoding), or record why it failed.

    PENDING ──job starts──▶ PROCESSING ──▶ SUCCESS  (video: TO_IMPORT ─▶ TO_TRANSCODE / PUBLISHED)
       └─cancel─▶ CANCELLED       └──────▶ FAILED   (video: TO_IMPORT ─▶ TO_IMPORT_FAILED)

A run cut short (worker stopped, lease lost) leaves the import PROCESSING and is run again from the
start. The download runs in its own thread; it stops at the next block of data once the job is
cancelled or `import.videos.timeout` is over, and its temporary files go with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import shutil
import threading
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from vidpub.config import Config
from vidpub.db.models import User, Video, VideoImport, VideoImportState, VideoState
from vidpub.media.ffmpeg import binary_for
from vidpub.media.probe import UnreadableMedia, probe
from vidpub.services import notifications, quota
from vidpub.services.uploads.validation import MAX_VIDEO_FILE_SIZE
from vidpub.services.videos import creation, imports, remote_media
from vidpub.storage import layout

log = logging.getLogger("vidpub.imports")

RUNNABLE_STATES = (VideoImportState.PENDING, VideoImportState.PROCESSING)


class ImportFailed(Exception):
    """The import failed for a reason recorded on it (the job fails with the same message)."""


@dataclass(frozen=True)
class ImportWork:
    import_id: int
    target_url: str
    video_id: int
    video_name: str
    privacy: int
    thumbnail_url: str | None
    max_bytes: int


async def run_import(runtime, import_id: int) -> dict[str, Any]:
    work = await _start(runtime, import_id)
    if work is None:
        return {"skipped": True}
    config = runtime.config
    workdir = config.storage_path("tmp") / "video-imports" / f"{import_id}-{uuid.uuid4().hex[:8]}"
    cancelled = threading.Event()
    download = None
    deadline = asyncio.timeout(config.duration("import.videos.timeout"))
    try:
        async with deadline:
            download = _in_own_thread(functools.partial(
                remote_media.download, work.target_url, workdir,
                allow_private=imports.allow_private_addresses(config),
                selector=imports.format_selector(config), max_bytes=work.max_bytes, ffmpeg=binary_for(config),
                cancelled=cancelled), cancelled, workdir)
            # shielded: giving up must not mark the download finished while its thread still writes
            path, remote = await asyncio.shield(download)
            await _store(runtime, work, path, remote, workdir)
    except TimeoutError:
        if not deadline.expired():
            log.exception("video import %s failed", import_id)
        await _fail(runtime, work, "The import took longer than the instance allows (import.videos.timeout)"
                    if deadline.expired() else "The import failed because of an internal error")
    except (remote_media.RemoteMediaError, ImportFailed) as exc:
        await _fail(runtime, work, str(exc))
    except UnreadableMedia:
        await _fail(runtime, work, "Video file unreadable.")
    except asyncio.CancelledError:
        raise  # worker stopping or lease lost: the import stays PROCESSING and runs again
    except Exception:
        log.exception("video import %s failed", import_id)
        await _fail(runtime, work, "The import failed because of an internal error")
    finally:
        cancelled.set()
        if download is None or download.done():
            await asyncio.to_thread(shutil.rmtree, workdir, True)
        # else: the download thread removes the directory once it stops
    return {"videoImportId": import_id}


def _in_own_thread(call, cancelled: threading.Event, workdir: Path) -> asyncio.Future:
    """Run a long blocking call in a thread of its own (not the shared pool); when the caller gave
    up on it (`cancelled`), the thread cleans `workdir` up itself when it ends."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(outcome: str, value) -> None:
        if not future.done():
            getattr(future, outcome)(value)

    def run() -> None:
        try:
            result = call()
        except BaseException as exc:  # noqa: BLE001  (handed to the awaiting coroutine)
            outcome, value = "set_exception", exc
        else:
            outcome, value = "set_result", result
        if cancelled.is_set():
            shutil.rmtree(workdir, ignore_errors=True)
        with contextlib.suppress(RuntimeError):  # the loop is gone: nobody waits any more
            loop.call_soon_threadsafe(settle, outcome, value)

    threading.Thread(target=run, name="video-import-download", daemon=True).start()
    return future


async def _start(runtime, import_id: int) -> ImportWork | None:
    """Mark the import PROCESSING and read what the download needs; None when there is nothing to do
    (cancelled, deleted, or its video is gone)."""
    async with runtime.db.transaction() as session:
        record = await session.get(VideoImport, import_id, with_for_update=True)
        if record is None or record.state not in RUNNABLE_STATES:
            return None
        video = await session.get(Video, record.video_id) if record.video_id is not None else None
        if video is None:
            record.state, record.error = VideoImportState.FAILED, "The video of this import was deleted"
            return None
        record.state = VideoImportState.PROCESSING
        record.attempts += 1
        user = await session.get(User, record.user_id)
        max_bytes = MAX_VIDEO_FILE_SIZE
        if user.video_quota != quota.UNLIMITED:
            used, _ = await quota.quota_used(session, user.id)
            max_bytes = min(max_bytes, max(0, user.video_quota - used - 1))
        return ImportWork(import_id=record.id, target_url=record.target_url, video_id=video.id,
                          video_name=video.name, privacy=video.privacy, max_bytes=max_bytes,
                          thumbnail_url=(record.attributes or {}).get("thumbnailUrl"))


async def _store(runtime, work: ImportWork, path: Path, remote: remote_media.RemoteInfo,
                 workdir: Path) -> None:
    """Probe the download and attach it to the video. The slow part (placing the file, torrent,
    thumbnails) runs before the short transaction that records it."""
    config = runtime.config
    probe_result = await asyncio.to_thread(probe, path)
    if not probe_result.has_video and not probe_result.has_audio:
        raise UnreadableMedia("no audio or video stream")
    thumbnail, preview = await _images(config, work, workdir)
    privacy = work.privacy
    for _ in range(2):  # once more if the video changed between public and private meanwhile
        prepared = await creation.prepare_input_file(
            config, path, _input_filename(work.target_url, remote, path), probe_result,
            display_name=work.video_name, privacy=privacy, thumbnail_path=thumbnail, preview_path=preview)
        try:
            privacy = await _record_success(runtime, work, prepared, probe_result)
        except BaseException:
            prepared.discard()
            raise
        if privacy is None:
            await asyncio.to_thread(imports.remove_pending_images, config, work.import_id)
            return
        prepared.discard()
    raise ImportFailed("The video's privacy kept changing during its import")


async def _images(config: Config, work: ImportWork, workdir: Path) -> tuple[Path | None, Path | None]:
    """The images given with the request, else the remote video's thumbnail for both, else none
    (the video's own frames then)."""
    given = [imports.pending_image_path(config, work.import_id, field) for field in imports.IMAGE_FIELDS]
    thumbnail, preview = (path if path.is_file() else None for path in given)
    if (thumbnail is None or preview is None) and work.thumbnail_url:
        remote_image = workdir / "remote-thumbnail"
        if await asyncio.to_thread(remote_media.download_image, work.thumbnail_url, remote_image,
                                   allow_private=imports.allow_private_addresses(config)):
            thumbnail, preview = thumbnail or remote_image, preview or remote_image
    return thumbnail, preview


def _input_filename(target_url: str, remote: remote_media.RemoteInfo, path: Path) -> str:
    """The source file's name as the remote named it (for VideoSource)."""
    name = PurePosixPath(unquote(urlsplit(target_url).path)).name
    if not name or PurePosixPath(name).suffix.lower() != path.suffix.lower():
        name = f"{remote.remote_id or 'video'}{path.suffix}"
    return name[:255]


async def _record_success(runtime, work: ImportWork, prepared: creation.PreparedInput,
                          probe_result) -> int | None:
    """Attach the prepared file; the video's current privacy instead when it now belongs in the other
    directory (nothing recorded then)."""
    config = runtime.config
    async with runtime.db.transaction() as session:
        video = await session.get(Video, work.video_id, with_for_update=True)
        if video is None:
            raise ImportFailed("The video was deleted during its import")
        if layout.in_private_directory(video.privacy) != prepared.private:
            return video.privacy
        record = await session.get(VideoImport, work.import_id)
        owner = await session.get(User, record.user_id) if record is not None else None
        if owner is not None and owner.video_quota != quota.UNLIMITED:
            # PeerTube checks the total quota (not the daily one) with the real size, once downloaded
            used, _ = await quota.quota_used(session, owner.id)
            if not quota.fits(owner.video_quota, used, prepared.web_video["size"]):
                raise ImportFailed("The user video quota is exceeded with this video.")
        creation.attach_prepared(session, config, video, prepared)
        await creation.add_container_chapters(session, video, probe_result)
        creation.start_processing(session, config, video)
        if record is not None:  # deleted meanwhile: the video still gets its file
            record.state, record.error = VideoImportState.SUCCESS, None
            notifications.notify(session, notifications.IMPORT_FINISHED,
                                 {"videoImportId": record.id, "success": True})
    return None


async def _fail(runtime, work: ImportWork, message: str) -> None:
    """Record the failure on the import and the video, then fail the job with it."""
    log.info("video import %s failed: %s", work.import_id, message)
    async with runtime.db.transaction() as session:
        record = await session.get(VideoImport, work.import_id, with_for_update=True)
        if record is not None and record.state != VideoImportState.REJECTED:
            record.state, record.error = VideoImportState.FAILED, message
            notifications.notify(session, notifications.IMPORT_FINISHED,
                                 {"videoImportId": record.id, "success": False})
        video = await session.get(Video, work.video_id)
        if video is not None and video.state == VideoState.TO_IMPORT:
            video.state = VideoState.TO_IMPORT_FAILED
    await asyncio.to_thread(imports.remove_pending_images, runtime.config, work.import_id)
    raise ImportFailed(message)
