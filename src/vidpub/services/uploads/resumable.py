"""The resumable protocol's steps for new videos (and, through `continue_upload`, any kind of
session: the source replacement uses the same chunk handling with its own finishing step)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import UploadSession, User
from vidpub.errors import ProblemError, invalid_param
from vidpub.schemas.video_create import VideoAttributes
from vidpub.services.uploads import publishing, sessions, validation
from vidpub.services.uploads.multipart import ReceivedFile
from vidpub.services.uploads.sessions import Kind

Finisher = Callable[[UploadSession], Awaitable[dict | None]]


@dataclass
class Progress:
    """Where a session stands after a request: still incomplete (`bytes_written`) or done (`result`)."""
    upload: UploadSession
    done: bool
    result: dict | None = None


def declared_file(body: dict, size_header: str | None, mime_header: str | None) -> tuple[str, int, str]:
    """(file name, size, MIME type) announced by an init request."""
    filename = validation.check_filename(body.get("filename") if isinstance(body.get("filename"), str) else None)
    size = validation.parse_declared_size(size_header, "X-Upload-Content-Length")
    if not mime_header or not mime_header.strip():
        raise invalid_param("X-Upload-Content-Type", mime_header, "Should have the MIME type of the file", "headers")
    return filename, size, mime_header.strip()[:255]


async def init_video_upload(session: AsyncSession, config: Config, user: User, body: dict, size_header: str | None,
                            mime_header: str | None, images: dict[str, ReceivedFile]) -> tuple[UploadSession, bool]:
    """Validate everything PeerTube validates at init (metadata, type, channel, quota for the
    announced size, images) and open or find the session. Returns (session, resumed)."""
    attrs = VideoAttributes.parse(body)
    filename, size, mime = declared_file(body, size_header, mime_header)
    await publishing.check_upload(session, config, user, attrs, filename, mime, size)
    for field, received in images.items():
        validation.check_image(received.path, received.filename, field)
    # what was validated, not the raw body (unknown keys are dropped, as PeerTube does)
    metadata = {**attrs.model_dump(mode="json", exclude_none=True), "filename": filename}
    identity = {"filename": filename, "size": size, "mime": mime, "lastModified": body.get("lastModified"),
                "name": attrs.name, "channelId": attrs.channelId}
    upload, resumed = await sessions.open_session(
        session, config, kind=Kind.VIDEO, user_id=user.id, filename=filename, size=size, mime=mime,
        metadata=metadata, identity=identity, images=images)
    await session.commit()
    return upload, resumed


async def continue_upload(session: AsyncSession, config: Config, user: User, upload_id: str | None, kind: str,
                          content_range: str | None, content_length: int | None, body: AsyncIterator[bytes],
                          finish: Finisher) -> Progress:
    """One PUT: a chunk or a progress query. Once every byte is stored the upload is claimed and
    `finish` turns it into its result; a refused upload (4xx) is forgotten with its files, an
    unexpected failure releases the claim so that the client can send its last chunk again."""
    upload = await sessions.find_session(session, config, upload_id, user.id, kind)
    if sessions.is_done(upload):
        return Progress(upload, True, upload.result)
    if sessions.is_processing(upload):
        raise sessions.being_processed()
    await sessions.receive_chunk(session, config, upload, content_range, content_length, body)
    if upload.bytes_written < upload.size:
        return Progress(upload, False)
    if not await sessions.claim(session, upload):
        await session.refresh(upload)
        if sessions.is_done(upload):
            return Progress(upload, True, upload.result)
        raise sessions.being_processed()
    identifier, files = upload.id, sessions.session_files(config, upload)
    try:
        result = await finish(upload)
    except ProblemError as exc:
        if exc.status < 500:
            await sessions.forget(session, identifier, files)
        else:
            await sessions.release(session, identifier)
        raise
    except BaseException:
        await sessions.release(session, identifier)
        raise
    sessions.remove_paths(files)
    return Progress(upload, True, result)


async def cancel_upload(session: AsyncSession, config: Config, user: User, upload_id: str | None, kind: str) -> None:
    upload = await sessions.find_session(session, config, upload_id, user.id, kind)
    await sessions.cancel(session, config, upload)


def video_finisher(session: AsyncSession, config: Config, user: User) -> Finisher:
    """Create the video of a completed new-video session (its metadata checked again: the
    channel or the quota may have changed since the init)."""

    async def finish(upload: UploadSession) -> dict:
        metadata = {key: value for key, value in (upload.metadata_json or {}).items() if key != sessions.IMAGES_KEY}
        attrs = VideoAttributes.parse(metadata)
        images = sessions.image_paths(config, upload)
        thumbnail, preview = images.get("thumbnailfile"), images.get("previewfile")
        incoming = publishing.IncomingVideo(
            path=sessions.data_path(config, upload), filename=upload.filename, mime=upload.mime_type,
            thumbnail=publishing.IncomingImage(*thumbnail) if thumbnail else None,
            preview=publishing.IncomingImage(*preview) if preview else None)
        result: dict = {}

        def record(video) -> None:
            result.update(publishing.upload_response(video))
            sessions.mark_done(upload, result)

        await publishing.publish(session, config, user, attrs, incoming, on_recorded=record)
        return result

    return finish
