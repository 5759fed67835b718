"""Resumable upload sessions (PeerTube's uploadx protocol, peertube-internals §3.2).

A session is a row plus a data file under `layout.resumable_uploads_dir`. The row's `bytes_written`
is only advanced after the bytes are fsynced, and the file is cut back to it when a process died
between writing and recording: the acknowledged prefix is always exactly what is on disk, so an
upload resumes correctly after a crash or a restart, from any process.

Life of a session: open (init) → chunks → complete → claimed for processing (`completed_at` set,
`result` empty) → done (`result` holds the answer, remembered a while for a re-sent last chunk).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import re
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path, PurePath

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import UploadSession
from vidpub.errors import ProblemError, invalid_param, not_found
from vidpub.services.uploads.multipart import ReceivedFile
from vidpub.services.uploads.writer import StreamWriter
from vidpub.storage import layout

LIFETIME = timedelta(hours=1)           # without activity (PeerTube's resumable session lifetime)
COMPLETED_MEMORY = timedelta(minutes=15)  # a finished upload still answers its re-sent last chunk
PROCESSING_LEASE = timedelta(minutes=10)  # a claim older than this belongs to a process that died
RETRY_AFTER_S = 300
IMAGES_KEY = "_images"                  # metadata_json: images sent with a multipart init


class Kind:
    VIDEO = "video"
    SOURCE_REPLACE = "source-replace"


def upload_id(kind: str, user_id: int, identity: dict) -> str:
    """Deterministic, so that re-sending the same init finds the session to resume (as uploadx)."""
    material = json.dumps([kind, user_id, identity], sort_keys=True, default=str)
    return hashlib.sha256(material.encode()).hexdigest()[:32]


def _suffix(filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()
    return suffix if suffix[1:].isalnum() and len(suffix) <= 10 else ""


def data_path(config: Config, upload: UploadSession) -> Path:
    return layout.resumable_uploads_dir(config) / f"{upload.user_id}-{upload.id}{_suffix(upload.filename)}"


def image_paths(config: Config, upload: UploadSession) -> dict[str, tuple[Path, str]]:
    """field → (stored path, client file name) of images sent with the init."""
    images = (upload.metadata_json or {}).get(IMAGES_KEY) or {}
    directory = layout.resumable_uploads_dir(config)
    return {field: (directory / entry["stored"], entry["filename"]) for field, entry in images.items()}


def session_files(config: Config, upload: UploadSession) -> list[Path]:
    return [data_path(config, upload)] + [path for path, _ in image_paths(config, upload).values()]


def remove_paths(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def remove_files(config: Config, upload: UploadSession) -> None:
    remove_paths(session_files(config, upload))


def is_done(upload: UploadSession) -> bool:
    return upload.result is not None


def is_processing(upload: UploadSession) -> bool:
    return (upload.result is None and upload.completed_at is not None
            and upload.completed_at > utcnow() - PROCESSING_LEASE)


def being_processed() -> ProblemError:
    return ProblemError(503, "The upload is already being processed", headers={"Retry-After": str(RETRY_AFTER_S)})


def range_header(bytes_written: int) -> dict[str, str]:
    """uploadx's progress header; absent while nothing is stored."""
    return {"Range": f"bytes=0-{bytes_written - 1}"} if bytes_written > 0 else {}


# -- opening ----------------------------------------------------------------------------------------

async def open_session(session: AsyncSession, config: Config, *, kind: str, user_id: int, filename: str, size: int,
                       mime: str, metadata: dict, identity: dict, video_id: int | None = None,
                       images: dict[str, ReceivedFile] | None = None) -> tuple[UploadSession, bool]:
    """The session for this upload, created or found again; True when it resumes one that already
    holds bytes (PeerTube answers 200 then, 201 for a new one). Images given are moved in."""
    identifier = upload_id(kind, user_id, identity)
    now = utcnow()
    upload = await session.get(UploadSession, identifier, with_for_update=True)
    if upload is not None and (is_done(upload) or upload.expires_at < now):
        remove_files(config, upload)
        await session.delete(upload)
        await session.flush()
        upload = None
    resumed = False
    if upload is None:
        upload = UploadSession(id=identifier, user_id=user_id, kind=kind, filename=filename, mime_type=mime,
                               size=size, bytes_written=0, video_id=video_id, created_at=now)
        session.add(upload)
        path = data_path(config, upload)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.open("wb").close()
    else:
        await reconcile(session, config, upload)
        resumed = upload.bytes_written > 0 or is_processing(upload)
    stored_images = {field: entry for field, entry in ((upload.metadata_json or {}).get(IMAGES_KEY) or {}).items()}
    for field, received in (images or {}).items():
        stored = f"{user_id}-{identifier}-{field}{_suffix(received.filename or '')}"
        if field in stored_images and stored_images[field]["stored"] != stored:
            (layout.resumable_uploads_dir(config) / stored_images[field]["stored"]).unlink(missing_ok=True)
        os.replace(received.path, layout.resumable_uploads_dir(config) / stored)
        stored_images[field] = {"stored": stored, "filename": received.filename}
    upload.metadata_json = {**metadata, IMAGES_KEY: stored_images}
    upload.mime_type = mime
    upload.expires_at = now + LIFETIME
    await session.flush()
    return upload, resumed


async def find_session(session: AsyncSession, config: Config, upload_id_value: str | None, user_id: int,
                       kind: str) -> UploadSession:
    """The caller's live session `upload_id`; 404 otherwise (someone else's session is not found either)."""
    if not upload_id_value:
        raise invalid_param("upload_id", upload_id_value, "Should have an upload id", "query")
    upload = None
    if re.fullmatch(r"[0-9a-f]{32}", upload_id_value):
        upload = await session.get(UploadSession, upload_id_value)
    if upload is None or upload.user_id != user_id or upload.kind != kind:
        raise not_found("Upload not found")
    if upload.expires_at < utcnow() and not is_processing(upload):
        remove_files(config, upload)
        await session.delete(upload)
        await session.commit()
        raise not_found("Upload not found (expired)")
    return upload


async def reconcile(session: AsyncSession, config: Config, upload: UploadSession) -> None:
    """Make the file and the row agree on the acknowledged size (after a crash they may not)."""
    if is_done(upload):
        return
    path = data_path(config, upload)
    try:
        on_disk = path.stat().st_size
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.open("wb").close()
        on_disk = 0
    if on_disk > upload.bytes_written:
        os.truncate(path, upload.bytes_written)   # bytes never acknowledged: the client sends them again
    elif on_disk < upload.bytes_written:
        upload.bytes_written = on_disk
        await session.flush()


async def cancel(session: AsyncSession, config: Config, upload: UploadSession) -> None:
    if is_processing(upload):
        raise being_processed()
    remove_files(config, upload)
    await session.delete(upload)
    await session.commit()


async def forget(session: AsyncSession, identifier: str, files: list[Path]) -> None:
    """Drop a session whose upload was refused while processing (nothing of it is kept). Takes
    plain values: after a rollback the session's objects cannot be read any more."""
    await session.rollback()
    remove_paths(files)
    await session.execute(sa.delete(UploadSession).where(UploadSession.id == identifier))
    await session.commit()


# -- chunks -------------------------------------------------------------------------------------------

_CONTENT_RANGE = re.compile(r"^bytes (?:(\d+)-(\d+)|\*)/(\d+)$")


def parse_content_range(value: str | None, content_length: int | None, size: int) -> tuple[int, int] | None:
    """(first, last) byte of a chunk, or None for a progress query (`bytes */total`, empty body)."""
    if value is None:
        if not content_length:
            return None
        raise invalid_param("Content-Range", value, "Should have a Content-Range with the chunk", "headers")
    match = _CONTENT_RANGE.match(value.strip())
    if match is None:
        raise invalid_param("Content-Range", value, "Should be 'bytes <first>-<last>/<total>' or 'bytes */<total>'",
                            "headers")
    first, last, total = match.groups()
    if int(total) != size:
        raise invalid_param("Content-Range", value, f"The total should be the declared upload size ({size})",
                            "headers")
    if first is None:
        return None
    first, last = int(first), int(last)
    if last < first:
        raise invalid_param("Content-Range", value, "The last byte should not come before the first", "headers")
    if last >= size:
        raise ProblemError(409, f"The chunk goes past the declared upload size ({size} bytes)")
    if content_length is not None and content_length != last - first + 1:
        raise invalid_param("Content-Length", content_length, "Should be the length of the Content-Range", "headers")
    return first, last


_receiving: set[str] = set()


@contextlib.contextmanager
def _exclusive(identifier: str):
    """One chunk at a time per session in this process (a second one is asked to retry)."""
    if identifier in _receiving:
        raise ProblemError(429, "Another chunk of this upload is being received", headers={"Retry-After": "1"})
    _receiving.add(identifier)
    try:
        yield
    finally:
        _receiving.discard(identifier)


async def receive_chunk(session: AsyncSession, config: Config, upload: UploadSession, content_range: str | None,
                        content_length: int | None, body: AsyncIterator[bytes]) -> None:
    """Append one chunk at the session's offset and record the new size once it is on disk. A body
    cut short (client gone) keeps what arrived; the client asks for the progress and goes on."""
    chunk = parse_content_range(content_range, content_length, upload.size)
    with _exclusive(upload.id):
        await reconcile(session, config, upload)
        offset = upload.bytes_written
        await session.commit()  # no transaction (nor SQLite write lock) held while bytes arrive
        if chunk is None:
            return
        first, last = chunk
        if first != offset:
            raise ProblemError(409, f"The chunk should start at byte {offset}",
                               headers=range_header(offset))
        expected = last - first + 1
        path = data_path(config, upload)
        writer = StreamWriter(os.open(path, os.O_WRONLY), offset)
        too_long = synced = False
        try:
            async for piece in body:
                if writer.written + len(piece) > expected:
                    too_long = True
                    await writer.write(piece[:expected - writer.written])
                    break
                await writer.write(piece)
            await writer.sync()
            synced = True
        finally:
            if not synced:  # the body broke off: keep (durably) what did arrive
                with contextlib.suppress(Exception):
                    await writer.sync()
            await writer.close()
            stored = min(path.stat().st_size, last + 1)
            await _record_progress(session, upload, offset, stored)
        if too_long:
            raise invalid_param("Content-Range", content_range, "The body is longer than its Content-Range",
                                "headers")


async def _record_progress(session: AsyncSession, upload: UploadSession, offset: int, new_size: int) -> None:
    now = utcnow()
    result = await session.execute(
        sa.update(UploadSession).where(UploadSession.id == upload.id, UploadSession.bytes_written == offset)
        .values(bytes_written=new_size, expires_at=now + LIFETIME, updated_at=now)
        .execution_options(synchronize_session=False))
    await session.commit()
    if result.rowcount != 1:
        raise ProblemError(409, "The upload changed while this chunk was received")
    set_committed_value(upload, "bytes_written", new_size)
    set_committed_value(upload, "expires_at", now + LIFETIME)


# -- completion ---------------------------------------------------------------------------------------

async def claim(session: AsyncSession, upload: UploadSession) -> bool:
    """Take the finished upload for processing; False if another request holds it."""
    now = utcnow()
    result = await session.execute(
        sa.update(UploadSession)
        .where(UploadSession.id == upload.id, UploadSession.result.is_(None),
               UploadSession.bytes_written == UploadSession.size,
               sa.or_(UploadSession.completed_at.is_(None), UploadSession.completed_at < now - PROCESSING_LEASE))
        .values(completed_at=now, expires_at=now + LIFETIME)
        .execution_options(synchronize_session=False))
    await session.commit()
    if result.rowcount == 1:
        set_committed_value(upload, "completed_at", now)
        return True
    return False


async def release(session: AsyncSession, identifier: str) -> None:
    """Processing failed unexpectedly: the client may send the last chunk again."""
    await session.rollback()
    await session.execute(sa.update(UploadSession).where(UploadSession.id == identifier)
                          .values(completed_at=None).execution_options(synchronize_session=False))
    await session.commit()


def mark_done(upload: UploadSession, result: dict) -> None:
    """Record the answer (in the transaction that creates what the upload became)."""
    now = utcnow()
    upload.result = result
    upload.completed_at = now
    upload.expires_at = now + COMPLETED_MEMORY


# -- clean-up -----------------------------------------------------------------------------------------

async def purge_expired(session: AsyncSession, config: Config) -> int:
    """Remove sessions past their expiry (and their files), then data files no session owns."""
    now = utcnow()
    expired = (await session.execute(sa.select(UploadSession).where(UploadSession.expires_at < now))).scalars().all()
    removed = 0
    for upload in expired:
        if is_processing(upload):
            continue
        remove_files(config, upload)
        await session.delete(upload)
        removed += 1
    await session.commit()
    known = set((await session.execute(sa.select(UploadSession.user_id, UploadSession.id))).all())
    directory = layout.resumable_uploads_dir(config)
    if directory.is_dir():
        removed += await asyncio.to_thread(_remove_orphans, directory, {f"{u}-{i}" for u, i in known})
    return removed


def _remove_orphans(directory: Path, prefixes: set[str]) -> int:
    removed = 0
    cutoff = time.time() - LIFETIME.total_seconds()
    for path in directory.iterdir():
        key = "-".join(path.name.split("-", 2)[:2]).split(".", 1)[0]
        if key in prefixes:
            continue
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < cutoff:
                path.unlink()
                removed += 1
    return removed
