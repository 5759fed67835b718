"""A video's source: what the uploader sent, its kept original, and replacing the video's file
(`/videos/{id}/source/replace-resumable`, when `video_file.update.enabled`)."""

from __future__ import annotations

import asyncio
import contextlib

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (FileStorage, Thumbnail, ThumbnailType, UploadSession, User, Video, VideoSource,
                              VideoState)
from vidpub.errors import ProblemError, not_found
from vidpub.schemas.video_source import video_source_details
from vidpub.services import quota
from vidpub.services.auth.rights import UserRight
from vidpub.services.uploads import publishing, resumable, sessions, validation
from vidpub.services.uploads.resumable import Finisher
from vidpub.services.uploads.sessions import Kind
from vidpub.services.videos import creation, files
from vidpub.services.videos.lookup import ensure_can_manage, get_video
from vidpub.storage import layout

EDITABLE_STATES = frozenset({VideoState.PUBLISHED, VideoState.TRANSCODING_FAILED,
                             VideoState.TO_MOVE_TO_EXTERNAL_STORAGE_FAILED})


async def latest_source(session: AsyncSession, video_id: int) -> VideoSource | None:
    return (await session.execute(
        sa.select(VideoSource).where(VideoSource.video_id == video_id)
        .order_by(VideoSource.created_at.desc(), VideoSource.id.desc()).limit(1))).scalar_one_or_none()


async def managed_local_video(session: AsyncSession, ref: str, user: User) -> Video:
    """The video `ref`, if local and managed by `user` (owner, or UPDATE_ANY_VIDEO)."""
    video = await get_video(session, ref)
    ensure_can_manage(video, user, UserRight.UPDATE_ANY_VIDEO)
    if video.remote:
        raise ProblemError(403, "Cannot manage a remote video")
    return video


async def managed_source(session: AsyncSession, ref: str, user: User) -> tuple[Video, VideoSource]:
    video = await managed_local_video(session, ref, user)
    source = await latest_source(session, video.id)
    if source is None:
        raise not_found("Video source not found")
    return video, source


async def delete_kept_original(session: AsyncSession, config: Config, ref: str, user: User) -> None:
    """Drop the kept original file of the latest source (the source's description stays)."""
    _, source = await managed_source(session, ref, user)
    filename = source.kept_original_filename
    source.kept_original_filename = None
    await session.commit()
    if filename and source.storage == FileStorage.FILE_SYSTEM:
        with contextlib.suppress(OSError):
            layout.original_file_path(config, filename).unlink()


# -- replacing the file ---------------------------------------------------------------------------------

def ensure_file_can_be_edited(video: Video) -> None:
    if video.is_live:
        raise ProblemError(400, "Cannot edit a live video")
    if video.state in (VideoState.TO_TRANSCODE, VideoState.TO_EDIT):
        raise ProblemError(409, "Cannot edit video that is already waiting for transcoding/edition")
    if video.state not in EDITABLE_STATES:
        raise ProblemError(400, "Video state is not compatible with edition")


async def replaceable_video(session: AsyncSession, config: Config, ref: str, user: User) -> Video:
    """PeerTube's checks before (and again after) receiving a replacement file."""
    if not config.video_file.update.enabled:
        raise ProblemError(403, "Updating the file of an existing video is not allowed on this instance")
    video = await managed_local_video(session, ref, user)
    ensure_file_can_be_edited(video)
    return video


async def check_replacement(session: AsyncSession, config: Config, video: Video, user: User, filename: str | None,
                            mime: str | None, size: int) -> None:
    validation.check_video_file_type(config, filename, mime)
    owner = await publishing.channel_owner(session, video.channel, user)
    await quota.ensure_quota(session, owner, size)


async def init_replace(session: AsyncSession, config: Config, user: User, ref: str, body: dict,
                       size_header: str | None, mime_header: str | None) -> tuple[UploadSession, bool]:
    video = await replaceable_video(session, config, ref, user)
    filename, size, mime = resumable.declared_file(body, size_header, mime_header)
    await check_replacement(session, config, video, user, filename, mime, size)
    identity = {"filename": filename, "size": size, "mime": mime, "lastModified": body.get("lastModified"),
                "video": video.uuid}
    upload, resumed = await sessions.open_session(
        session, config, kind=Kind.SOURCE_REPLACE, user_id=user.id, filename=filename, size=size, mime=mime,
        metadata={"filename": filename}, identity=identity, video_id=video.id)
    await session.commit()
    return upload, resumed


def replace_finisher(session: AsyncSession, config: Config, user: User, ref: str) -> Finisher:
    async def finish(upload: UploadSession) -> dict:
        video = await replaceable_video(session, config, ref, user)
        if upload.video_id != video.id:
            raise not_found("Upload not found")
        path = sessions.data_path(config, upload)
        await check_replacement(session, config, video, user, upload.filename, upload.mime_type,
                                path.stat().st_size)
        await session.commit()
        probe_result = await publishing.probe_upload(path)
        prepared = await creation.prepare_input_file(config, path, upload.filename, probe_result,
                                                     display_name=video.name, privacy=video.privacy)
        try:
            snapshot, unused_images = await _swap_files(session, config, video, prepared)
            source = await latest_source(session, video.id)
            result = video_source_details(config, source).model_dump(mode="json")
            sessions.mark_done(upload, result)
            await session.commit()
        except BaseException:
            await session.rollback()
            prepared.discard()
            raise
        path.unlink(missing_ok=True)
        await files.remove_all_files(config, snapshot)
        await asyncio.to_thread(_unlink_all, unused_images)
        return result

    return finish


def _unlink_all(paths) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


async def _swap_files(session: AsyncSession, config: Config, video: Video, prepared: creation.PreparedInput):
    """In the caller's transaction: the old files' rows go, the new input comes in as the only web
    video, thumbnails made from the old file are replaced (uploaded ones stay), and the video is
    transcoded again. Returns (files to remove after the commit, prepared images left unused)."""
    snapshot = await files.delete_web_videos(session, config, video)
    snapshot.extend(await files.delete_hls(session, config, video, remove_directory=False))
    for old in (await session.execute(sa.select(VideoSource).where(VideoSource.video_id == video.id))).scalars():
        if old.kept_original_filename and old.storage == FileStorage.FILE_SYSTEM:
            snapshot.paths.append(layout.original_file_path(config, old.kept_original_filename))
        await session.delete(old)
    await session.flush()
    creation.attach_prepared(session, config, video, prepared, replace_thumbnails=False)
    unused = []
    existing = {t.type: t for t in (await session.execute(
        sa.select(Thumbnail).where(Thumbnail.video_id == video.id))).scalars()}
    for image in prepared.thumbnails:
        place = layout.preview_path if image["type"] == ThumbnailType.PREVIEW else layout.thumbnail_path
        current = existing.get(image["type"])
        if current is not None and not current.automatically_generated:
            unused.append(place(config, image["filename"]))
            continue
        if current is not None:
            if current.on_disk:
                snapshot.paths.append(place(config, current.filename))
            await session.delete(current)
            await session.flush()
        session.add(Thumbnail(video_id=video.id, **image))
    video.input_file_updated_at = utcnow()
    creation.start_processing(session, config, video, is_new_video=False)
    await session.flush()
    return snapshot, unused
