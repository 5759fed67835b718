"""Editing a video (`PUT /videos/{id}`): metadata, tags, privacy and passwords, scheduled update,
channel, and new thumbnail or preview images.

Images are rendered before the transaction (under new names); the rows change in one transaction;
only once it committed are the replaced images removed and, when the privacy moved the video between
public and private storage, its files moved. A failed update leaves the previous images in place.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (CommentsPolicy, ScheduleVideoUpdate, Thumbnail, ThumbnailType, User, Video,
                              VideoChannel, VideoPassword, VideoPrivacy)
from vidpub.errors import ProblemError, invalid_param
from vidpub.federation import video_jobs
from vidpub.media import thumbnails
from vidpub.schemas.video_update import VideoUpdate
from vidpub.services import notifications
from vidpub.services.uploads.validation import check_image
from vidpub.services.videos.creation import tags_by_name
from vidpub.services.videos.lookup import ensure_can_manage, get_video
from vidpub.storage import layout

IMAGE_FIELDS = {"thumbnailfile": ThumbnailType.MINIATURE, "previewfile": ThumbnailType.PREVIEW}


@dataclass
class RenderedImage:
    type: int
    filename: str
    width: int
    height: int


@dataclass
class NewImages:
    """Images rendered from the request, not recorded yet."""
    images: list[RenderedImage] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)

    def discard(self) -> None:
        for path in self.created:
            with contextlib.suppress(OSError):
                path.unlink()
        self.created.clear()


def image_path(config: Config, kind: int, filename: str) -> Path:
    return (layout.preview_path if kind == ThumbnailType.PREVIEW else layout.thumbnail_path)(config, filename)


async def render_images(config: Config, uploads: dict[str, tuple[Path, str | None]]) -> NewImages:
    """`uploads`: form field → (received file, client file name). 400 naming the field when a file
    is not a usable image."""
    rendered = NewImages()
    try:
        for field_name, (path, client_name) in uploads.items():
            kind = IMAGE_FIELDS[field_name]
            check_image(path, client_name, field_name)
            filename = layout.image_filename()
            destination = image_path(config, kind, filename)
            destination.parent.mkdir(parents=True, exist_ok=True)
            rendered.created.append(destination)
            try:
                width, height = await thumbnails.generate_from_image(
                    config, path, destination, "preview" if kind == ThumbnailType.PREVIEW else "miniature")
            except (OSError, ValueError):
                raise invalid_param(field_name, client_name, "This image cannot be read") from None
            rendered.images.append(RenderedImage(kind, filename, width, height))
    except BaseException:
        rendered.discard()
        raise
    return rendered


@dataclass
class UpdateOutcome:
    """What to do once the transaction committed."""
    old_privacy: int
    new_privacy: int
    replaced_images: list[Path] = field(default_factory=list)

    @property
    def storage_moves(self) -> bool:
        return layout.in_private_directory(self.old_privacy) != layout.in_private_directory(self.new_privacy)


async def _check_channel(session: AsyncSession, video: Video, channel_id: int) -> int:
    """A video moves only between local channels of the same account."""
    channel = (await session.execute(sa.select(VideoChannel).where(VideoChannel.id == channel_id))).scalar_one_or_none()
    if channel is None or channel.actor.server_id is not None or channel.account_id != video.channel.account_id:
        raise invalid_param("channelId", channel_id, 'Unknown video "video channel" for this account.')
    return channel.id


def _apply_fields(config: Config, video: Video, changes: VideoUpdate) -> None:
    for required in ("name", "channelId"):
        if changes.given(required) and getattr(changes, required) is None:
            raise invalid_param(required, None, f"Should have a valid {required}")
    simple = {"name": "name", "category": "category", "licence": "licence", "language": "language",
              "description": "description", "support": "support", "nsfwSummary": "nsfw_summary",
              "originallyPublishedAt": "originally_published_at"}
    for attribute, column in simple.items():
        if changes.given(attribute):
            setattr(video, column, getattr(changes, attribute))
    for attribute, column in {"nsfw": "nsfw", "downloadEnabled": "download_enabled",
                              "waitTranscoding": "wait_transcoding"}.items():
        if changes.given(attribute) and getattr(changes, attribute) is not None:
            setattr(video, column, getattr(changes, attribute))
    if changes.given("nsfwFlags"):
        video.nsfw_flags = changes.nsfwFlags or 0
    if changes.commentsPolicy is not None:
        video.comments_policy = changes.commentsPolicy
    elif changes.commentsEnabled is not None:  # deprecated since PeerTube 6.2
        video.comments_policy = CommentsPolicy.ENABLED if changes.commentsEnabled else CommentsPolicy.DISABLED


async def _apply_privacy(session: AsyncSession, video: Video, changes: VideoUpdate) -> None:
    old_privacy = video.privacy
    new_privacy = changes.privacy if changes.privacy is not None else old_privacy
    if new_privacy == VideoPrivacy.PASSWORD_PROTECTED:
        if changes.videoPasswords:
            await session.execute(sa.delete(VideoPassword).where(VideoPassword.video_id == video.id))
            session.add_all(VideoPassword(video_id=video.id, password=p) for p in changes.videoPasswords)
        elif old_privacy != VideoPrivacy.PASSWORD_PROTECTED or (
                changes.given("videoPasswords") and changes.videoPasswords is not None):
            raise invalid_param("videoPasswords", changes.videoPasswords,
                                "At least one video password is required for a password protected video")
    elif old_privacy == VideoPrivacy.PASSWORD_PROTECTED:
        await session.execute(sa.delete(VideoPassword).where(VideoPassword.video_id == video.id))
    if old_privacy == VideoPrivacy.PRIVATE and new_privacy != VideoPrivacy.PRIVATE:
        # a private video shown for the first time is published now (PeerTube's rule)
        video.published_at = utcnow()
    video.privacy = new_privacy


async def _apply_schedule(session: AsyncSession, video: Video, changes: VideoUpdate) -> None:
    if not changes.given("scheduleUpdate"):
        return
    existing = (await session.execute(sa.select(ScheduleVideoUpdate).where(
        ScheduleVideoUpdate.video_id == video.id))).scalar_one_or_none()
    if changes.scheduleUpdate is None:
        if existing is not None:
            await session.delete(existing)
        return
    if existing is None:
        existing = ScheduleVideoUpdate(video_id=video.id)
        session.add(existing)
    existing.update_at = changes.scheduleUpdate.updateAt
    existing.privacy = changes.scheduleUpdate.privacy


async def _apply_images(session: AsyncSession, config: Config, video: Video, images: NewImages) -> list[Path]:
    replaced = []
    for image in images.images:
        row = next((thumb for thumb in video.thumbnails if thumb.type == image.type), None)
        if row is None:
            row = Thumbnail(video_id=video.id, type=image.type)
            session.add(row)
        elif row.on_disk:
            replaced.append(image_path(config, image.type, row.filename))
        row.filename, row.width, row.height = image.filename, image.width, image.height
        row.on_disk, row.file_url, row.automatically_generated = True, None, False
    return replaced


async def apply_update(session: AsyncSession, config: Config, ref: str, user: User, changes: VideoUpdate,
                       images: NewImages) -> UpdateOutcome:
    """Change the video in the session's transaction and commit. The caller then runs `finish`."""
    video = await get_video(session, ref, (selectinload(Video.tags), selectinload(Video.thumbnails)))
    ensure_can_manage(video, user)
    if video.remote:
        raise ProblemError(403, "Cannot update a video of another instance")
    outcome = UpdateOutcome(old_privacy=video.privacy, new_privacy=video.privacy)
    if changes.channelId is not None and changes.channelId != video.channel_id:
        video.channel_id = await _check_channel(session, video, changes.channelId)
    _apply_fields(config, video, changes)
    await _apply_privacy(session, video, changes)
    outcome.new_privacy = video.privacy
    notifications.privacy_changed(session, video, outcome.old_privacy)
    await _apply_schedule(session, video, changes)
    if changes.given("tags"):
        video.tags = await tags_by_name(session, changes.tags or [])
    outcome.replaced_images = await _apply_images(session, config, video, images)
    video.updated_at = utcnow()
    video_jobs.privacy_changed(session, config, video, outcome.old_privacy)
    await session.commit()
    return outcome


async def finish(session: AsyncSession, config: Config, ref: str, outcome: UpdateOutcome) -> None:
    """After the commit: drop the replaced images, move the files when the privacy changed storage."""
    for path in outcome.replaced_images:
        with contextlib.suppress(OSError):
            path.unlink()
    if outcome.storage_moves:
        from vidpub.services.videos import privacy_files

        video = await get_video(session, ref)
        await privacy_files.move_files_for_privacy(session, config, video, outcome.old_privacy)
