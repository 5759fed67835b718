"""Turning a received file into a video: PeerTube's checks, then the video with its upload window.

Both upload paths end here. The checks run in PeerTube's order (type 415, channel 400/403, quota
413, images 400, readable media 422); the file work is done before the one short transaction that
records the video, and anything written for a refused or failed upload is removed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User, Video, VideoChannel, VideoState
from vidpub.errors import ProblemError
from vidpub.media.probe import ProbeResult, UnreadableMedia, probe
from vidpub.schemas.video_create import VideoAttributes
from vidpub.services import quota
from vidpub.services.uploads import validation
from vidpub.services.videos import creation
from vidpub.services.videos.lookup import short_uuid


@dataclass
class IncomingImage:
    path: Path
    filename: str | None


@dataclass
class IncomingVideo:
    path: Path
    filename: str
    mime: str | None
    thumbnail: IncomingImage | None = None
    preview: IncomingImage | None = None

    @property
    def size(self) -> int:
        return self.path.stat().st_size


def unreadable() -> ProblemError:
    return ProblemError(422, "Video file unreadable.")


async def probe_upload(path: Path) -> ProbeResult:
    """422 "Video file unreadable." unless FFmpeg reads audio or video from the file."""
    if path.stat().st_size == 0:
        raise unreadable()
    try:
        return await asyncio.to_thread(probe, path)
    except UnreadableMedia:
        raise unreadable() from None


def check_images(incoming: IncomingVideo) -> None:
    for field, image in (("thumbnailfile", incoming.thumbnail), ("previewfile", incoming.preview)):
        if image is not None:
            validation.check_image(image.path, image.filename, field)


def upload_response(video: Video) -> dict:
    return {"video": {"id": video.id, "shortUUID": short_uuid(video.uuid), "uuid": video.uuid}}


async def check_upload(session: AsyncSession, config: Config, user: User, attrs: VideoAttributes,
                       filename: str | None, mime: str | None, size: int) -> None:
    """What can be decided from the metadata alone (also at a resumable init, before any byte)."""
    validation.check_video_file_type(config, filename, mime)
    channel = await creation.find_channel_for_upload(session, user, attrs.channelId)
    await quota.ensure_quota(session, await channel_owner(session, channel, user), size)


async def channel_owner(session: AsyncSession, channel: VideoChannel, uploader: User) -> User:
    """Whose quota an upload uses: the channel owner's, as PeerTube 8 does (a moderator publishing
    in someone's channel fills that user's quota)."""
    if channel.account.user_id == uploader.id:
        return uploader
    owner = await session.get(User, channel.account.user_id)
    return owner or uploader


async def publish(session: AsyncSession, config: Config, user: User, attrs: VideoAttributes,
                  incoming: IncomingVideo, *, on_recorded: Callable[[Video], None] | None = None) -> Video:
    """Check the received file and create its video; `incoming.path` is consumed on success.
    `on_recorded` runs inside the recording transaction (a resumable session marks itself done)."""
    await check_upload(session, config, user, attrs, incoming.filename, incoming.mime, incoming.size)
    check_images(incoming)
    await session.commit()  # nothing held while probing and hashing
    probe_result = await probe_upload(incoming.path)
    prepared = await creation.prepare_input_file(
        config, incoming.path, incoming.filename, probe_result, display_name=attrs.name,
        privacy=attrs.effective_privacy(),
        thumbnail_path=incoming.thumbnail.path if incoming.thumbnail else None,
        preview_path=incoming.preview.path if incoming.preview else None)
    try:
        video = await creation.create_video_record(session, config, user, attrs, state=VideoState.TO_TRANSCODE)
        creation.attach_prepared(session, config, video, prepared)
        await creation.add_container_chapters(session, video, probe_result)
        creation.start_processing(session, config, video)
        await session.flush()
        if on_recorded is not None:
            on_recorded(video)
        await session.commit()
    except BaseException:
        await session.rollback()
        prepared.discard()
        raise
    incoming.path.unlink(missing_ok=True)  # now only reachable as the video's web video (a hard link)
    return video
