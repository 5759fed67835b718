"""A playlist's miniature: an uploaded image, or a copy of its first video's miniature.

Files are written under new names before the rows change; `FileChanges` removes the new files when
the transaction fails, and the replaced ones only once it committed. Served by the same route as the
video miniatures (`/lazy-static/thumbnails/<file>`).
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import (Thumbnail, ThumbnailType, Video, VideoPlaylist, VideoPlaylistElement, VideoPrivacy,
                              VideoState)
from vidpub.errors import invalid_param
from vidpub.media import thumbnails as media_thumbnails
from vidpub.services.uploads.validation import check_image
from vidpub.storage import layout

THUMBNAIL_FIELD = "thumbnailfile"
# A generated miniature is shown to everyone who sees the playlist: it is only taken from a video
# that anyone may see (PeerTube copies the first video's whatever its privacy).
SHAREABLE_PRIVACIES = (VideoPrivacy.PUBLIC, VideoPrivacy.UNLISTED)


@dataclass
class NewThumbnail:
    filename: str
    width: int
    height: int


@dataclass
class FileChanges:
    created: list[Path] = field(default_factory=list)
    obsolete: list[Path] = field(default_factory=list)

    def discard(self) -> None:
        """The transaction failed: remove what was written for it."""
        _remove(self.created)
        self.created.clear()

    def committed(self) -> None:
        """The transaction committed: remove what it replaced."""
        _remove(self.obsolete)
        self.obsolete.clear()


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def new_filename() -> str:
    return f"playlist-{uuid.uuid4()}.jpg"


async def render_upload(config: Config, path: Path, client_name: str | None, changes: FileChanges) -> NewThumbnail:
    """An uploaded `thumbnailfile`, cropped to the miniature size; 400 naming the field if it is not
    a usable image."""
    check_image(path, client_name, THUMBNAIL_FIELD)
    filename = new_filename()
    destination = layout.thumbnail_path(config, filename)
    changes.created.append(destination)
    miniature_size, _ = media_thumbnails.thumbnail_sizes(config)
    try:
        width, height = await asyncio.to_thread(media_thumbnails.fit_image, path, destination, miniature_size)
    except (OSError, ValueError):
        raise invalid_param(THUMBNAIL_FIELD, client_name, "This image cannot be read") from None
    return NewThumbnail(filename, width, height)


def replace(config: Config, playlist: VideoPlaylist, new: NewThumbnail | None, generated: bool,
            changes: FileChanges) -> None:
    if playlist.thumbnail_filename:
        changes.obsolete.append(layout.thumbnail_path(config, playlist.thumbnail_filename))
    playlist.thumbnail_filename = new.filename if new else None
    playlist.thumbnail_width = new.width if new else None
    playlist.thumbnail_height = new.height if new else None
    playlist.thumbnail_generated = generated and new is not None


async def _first_video_miniature(session: AsyncSession, playlist_id: int) -> Thumbnail | None:
    query = (sa.select(Thumbnail)
             .join(Video, Video.id == Thumbnail.video_id)
             .join(VideoPlaylistElement, VideoPlaylistElement.video_id == Video.id)
             .where(VideoPlaylistElement.video_playlist_id == playlist_id, Thumbnail.type == ThumbnailType.MINIATURE,
                    Thumbnail.on_disk.is_(True), Video.privacy.in_(SHAREABLE_PRIVACIES),
                    Video.state == VideoState.PUBLISHED)
             .order_by(VideoPlaylistElement.position).limit(1))
    return (await session.execute(query)).scalar_one_or_none()


async def regenerate(session: AsyncSession, config: Config, playlist: VideoPlaylist, changes: FileChanges) -> None:
    """Copy the first shareable video's miniature (or drop the generated one when none is left).
    An uploaded miniature is never replaced this way."""
    if playlist.thumbnail_filename and not playlist.thumbnail_generated:
        return
    source = await _first_video_miniature(session, playlist.id)
    if source is None:
        if playlist.thumbnail_filename:
            replace(config, playlist, None, True, changes)
        return
    filename = new_filename()
    destination = layout.thumbnail_path(config, filename)
    changes.created.append(destination)
    try:
        await asyncio.to_thread(_copy, layout.thumbnail_path(config, source.filename), destination)
    except OSError:
        return  # the video's file is gone: the playlist keeps what it had
    replace(config, playlist, NewThumbnail(filename, source.width, source.height), True, changes)


def _copy(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
