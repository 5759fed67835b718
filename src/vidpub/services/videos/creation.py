"""Creating a local video: its row (with tags, passwords, schedule), then its input file.

The input file becomes the video's first web-video file with its torrent right away — PeerTube's
"upload window": clients (and PeerTube's own tools) can play and seed the upload before transcoding
ends. Slow work (moving/linking the file, hashing the torrent, extracting thumbnails) is done by
`prepare_input_file` before any row is written, so a caller can keep its write transaction short;
`attach_input_file` is the one-call form of prepare + attach.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import uuid as uuid_module
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (FileFormat, FileStream, ScheduleVideoUpdate, Tag, Thumbnail, ThumbnailType, User,
                              Video, VideoChannel, VideoChapter, VideoFile, VideoPassword, VideoSource, VideoState)
from vidpub.errors import ProblemError, invalid_param
from vidpub.media import thumbnails
from vidpub.media.probe import ProbeResult
from vidpub.schemas.video_create import VideoAttributes
from vidpub.services import torrents
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.storage import layout

log = logging.getLogger("vidpub.videos.creation")

CHAPTER_TITLE_MAX = 100
AUDIO_BACKGROUND_COLOR = (32, 32, 40)


# -- the row ------------------------------------------------------------------------------------------

async def find_channel_for_upload(session: AsyncSession, user: User, channel_id: int) -> VideoChannel:
    """The local channel `channel_id`, if `user` may publish in it: 400 when unknown, 403 when it
    belongs to someone else (moderators and admins may publish in any local channel, as in PeerTube)."""
    channel = (await session.execute(
        sa.select(VideoChannel).options(selectinload(VideoChannel.account))
        .where(VideoChannel.id == channel_id))).scalar_one_or_none()
    if channel is None or channel.actor.server_id is not None:
        raise invalid_param("channelId", channel_id, 'Unknown video "video channel" for this instance.')
    if channel.account.user_id != user.id and not has_right(user.role, UserRight.MANAGE_ANY_VIDEO_CHANNEL):
        raise ProblemError(403, "Cannot publish in a video channel of another user")
    return channel


async def tags_by_name(session: AsyncSession, names: list[str]) -> list[Tag]:
    """Existing tags plus new ones (PeerTube shares one row per tag name)."""
    if not names:
        return []
    found = {tag.name: tag for tag in (await session.execute(
        sa.select(Tag).where(Tag.name.in_(names)))).scalars()}
    tags = []
    for name in names:
        tag = found.get(name)
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
            found[name] = tag
        tags.append(tag)
    return tags


async def create_video_record(session: AsyncSession, config: Config, user: User, attrs: VideoAttributes, *,
                              state: int) -> Video:
    """The video row with its tags, passwords and scheduled update; no files yet. Flushed (it has
    an id), not committed."""
    channel = await find_channel_for_upload(session, user, attrs.channelId)
    video_uuid = str(uuid_module.uuid4())
    now = utcnow()
    video = Video(
        uuid=video_uuid, name=attrs.name, category=attrs.category, licence=attrs.effective_licence(config),
        language=attrs.language, privacy=attrs.effective_privacy(), nsfw=bool(attrs.nsfw),
        nsfw_flags=attrs.nsfwFlags or 0, nsfw_summary=attrs.nsfwSummary, description=attrs.description,
        support=attrs.support, duration=0, remote=False, is_live=False,
        url=f"{config.url}/videos/watch/{video_uuid}", channel_id=channel.id, state=state,
        wait_transcoding=bool(attrs.waitTranscoding), comments_policy=attrs.effective_comments_policy(config),
        download_enabled=attrs.effective_download_enabled(config), published_at=now,
        originally_published_at=attrs.originallyPublishedAt, created_at=now, updated_at=now)
    video.tags = await tags_by_name(session, attrs.tags or [])
    session.add(video)
    await session.flush()
    for password in attrs.effective_passwords():
        session.add(VideoPassword(video_id=video.id, password=password))
    if attrs.scheduleUpdate is not None:
        session.add(ScheduleVideoUpdate(video_id=video.id, update_at=attrs.scheduleUpdate.updateAt,
                                        privacy=attrs.scheduleUpdate.privacy))
    for chapter in chapters_from_description(attrs.description):
        session.add(VideoChapter(video_id=video.id, **chapter))
    await session.flush()
    return video


_TIMECODE_LINE = re.compile(r"^\s*(?:(\d{1,2}):)?(\d{1,2}):(\d{2})\s+[-–—:]?\s*(\S.*)$")


def chapters_from_description(description: str | None) -> list[dict]:
    """Chapters written in the description, one per line as `[h:]mm:ss Title`, PeerTube's convention.
    Only a list starting at 0:00 with at least two entries counts (a lone time is not a chapter list)."""
    if not description:
        return []
    chapters: dict[int, str] = {}
    for line in description.splitlines():
        match = _TIMECODE_LINE.match(line)
        if match:
            hours, minutes, seconds, title = match.groups()
            timecode = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
            chapters.setdefault(timecode, title.strip()[:CHAPTER_TITLE_MAX])
    if len(chapters) < 2 or 0 not in chapters:
        return []
    return [{"timecode": t, "title": title} for t, title in sorted(chapters.items())]


# -- the input file -----------------------------------------------------------------------------------

@dataclass
class PreparedInput:
    """Files written for a new input file, not yet recorded in the database."""
    probe: ProbeResult
    input_filename: str
    private: bool
    web_video: dict                      # VideoFile columns
    kept_original_filename: str | None
    thumbnails: list[dict]               # Thumbnail columns
    created: list[Path] = field(default_factory=list)

    def discard(self) -> None:
        """Remove every file written for this input (the transaction recording it failed)."""
        for path in self.created:
            with contextlib.suppress(OSError):
                path.unlink()
        self.created.clear()


def _place(source: Path, destination: Path, *, move: bool) -> None:
    """Hard-link (or move) `source` to `destination`; copy when they are on different file systems."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        if move:
            os.replace(source, destination)
        else:
            os.link(source, destination)
        return
    except OSError:
        pass
    shutil.copyfile(source, destination)
    if move:
        source.unlink(missing_ok=True)


def input_extension(original_filename: str, input_path: Path) -> str:
    suffix = Path(original_filename).suffix or input_path.suffix
    return suffix.lower()[:10] or ".mp4"


def stream_flags(probe: ProbeResult) -> int:
    return (FileStream.VIDEO if probe.has_video else 0) | (FileStream.AUDIO if probe.has_audio else 0)


async def prepare_input_file(config: Config, input_path: Path, original_filename: str, probe: ProbeResult, *,
                             display_name: str, privacy: int, thumbnail_path: Path | None = None,
                             preview_path: Path | None = None, move: bool = False) -> PreparedInput:
    """Put the input in place as a web-video file (hard link, or move with `move=True`), keep the
    original when `transcoding.original_file.keep`, write its torrent and the thumbnails. On error
    nothing written is left behind. `input_path` itself is left alone unless `move`."""
    private = layout.in_private_directory(privacy)
    resolution = probe.resolution
    extname = input_extension(original_filename, input_path)
    filename = layout.web_video_filename(resolution, extname)
    destination = layout.web_video_path(config, filename, private)
    prepared = PreparedInput(probe=probe, input_filename=Path(original_filename).name[:255] or "video" + extname,
                             private=private, web_video={}, kept_original_filename=None, thumbnails=[])
    try:
        _place(input_path, destination, move=move)
        prepared.created.append(destination)
        if config.transcoding.original_file.keep:
            prepared.kept_original_filename = f"{layout.random_name()}{extname}"
            original = layout.original_file_path(config, prepared.kept_original_filename)
            _place(destination, original, move=False)
            prepared.created.append(original)
        file_url = config.url + layout.web_video_url_path(filename, private)
        torrent_filename, info_hash = await torrents.create_torrent(config, destination, display_name, file_url,
                                                                    resolution)
        prepared.created.append(layout.torrent_path(config, torrent_filename))
        prepared.web_video = dict(
            resolution=resolution, width=probe.width or None, height=probe.height or None,
            fps=probe.fps if probe.has_video else -1, size=destination.stat().st_size, extname=extname,
            filename=filename, torrent_filename=torrent_filename, info_hash=info_hash,
            format_flags=FileFormat.WEB_VIDEO, stream_flags=stream_flags(probe), metadata_json=probe.metadata)
        prepared.thumbnails = await _make_thumbnails(config, destination, probe, thumbnail_path, preview_path,
                                                     prepared.created)
    except BaseException:
        prepared.discard()
        raise
    return prepared


async def _make_thumbnails(config: Config, video_path: Path, probe: ProbeResult, thumbnail_path: Path | None,
                           preview_path: Path | None, created: list[Path]) -> list[dict]:
    """Miniature and preview: the uploaded images when given, else one frame of the video (audio
    files get a plain background, PeerTube's default audio image)."""
    miniature_size, preview_size = thumbnails.thumbnail_sizes(config)
    miniature_name, preview_name = layout.image_filename(), layout.image_filename()
    miniature = layout.thumbnail_path(config, miniature_name)
    preview = layout.preview_path(config, preview_name)
    for path in (miniature, preview):
        path.parent.mkdir(parents=True, exist_ok=True)
    created += [miniature, preview]
    if thumbnail_path is None or preview_path is None:
        if probe.has_video:
            await thumbnails.generate_from_video(config, video_path, probe.duration, miniature, preview)
        else:
            _plain_image(miniature, miniature_size)
            _plain_image(preview, preview_size)
    if thumbnail_path is not None:
        await thumbnails.generate_from_image(config, thumbnail_path, miniature, "miniature")
    if preview_path is not None:
        await thumbnails.generate_from_image(config, preview_path, preview, "preview")
    return [
        dict(type=ThumbnailType.MINIATURE, filename=miniature_name, width=miniature_size[0],
             height=miniature_size[1], automatically_generated=thumbnail_path is None),
        dict(type=ThumbnailType.PREVIEW, filename=preview_name, width=preview_size[0], height=preview_size[1],
             automatically_generated=preview_path is None),
    ]


def _plain_image(path: Path, size: tuple[int, int]) -> None:
    from PIL import Image

    Image.new("RGB", size, AUDIO_BACKGROUND_COLOR).save(path, "JPEG", quality=85)


def attach_prepared(session: AsyncSession, config: Config, video: Video, prepared: PreparedInput, *,
                    replace_thumbnails: bool = True) -> VideoFile:
    """Record a prepared input on `video` (flushed by the caller's commit): web-video file, source,
    thumbnails, container chapters, duration, aspect ratio, next state and the transcoding job."""
    probe = prepared.probe
    web_video = VideoFile(video_id=video.id, **prepared.web_video)
    session.add(web_video)
    session.add(VideoSource(
        video_id=video.id, input_filename=prepared.input_filename,
        kept_original_filename=prepared.kept_original_filename, resolution=probe.resolution,
        width=probe.width or None, height=probe.height or None, fps=probe.fps if probe.has_video else None,
        size=prepared.web_video["size"], metadata_json=probe.metadata))
    if replace_thumbnails:
        for thumbnail in prepared.thumbnails:
            session.add(Thumbnail(video_id=video.id, **thumbnail))
    video.duration = int(round(probe.duration))
    video.aspect_ratio = probe.aspect_ratio
    return web_video


async def add_container_chapters(session: AsyncSession, video: Video, probe: ProbeResult) -> None:
    """Chapters of the file, unless the description already gave some (PeerTube's precedence)."""
    if not probe.chapters:
        return
    existing = (await session.execute(sa.select(sa.func.count()).select_from(VideoChapter)
                                      .where(VideoChapter.video_id == video.id))).scalar_one()
    if existing:
        return
    seen: set[int] = set()
    for chapter in probe.chapters:
        if chapter["timecode"] in seen:
            continue
        seen.add(chapter["timecode"])
        session.add(VideoChapter(video_id=video.id, timecode=chapter["timecode"],
                                 title=chapter["title"][:CHAPTER_TITLE_MAX]))


def start_processing(session: AsyncSession, config: Config, video: Video, *, is_new_video: bool = True) -> None:
    """Move the video to its next state after receiving its input: TO_TRANSCODE with a transcoding
    job when transcoding is enabled, else published as is."""
    from vidpub.services.videos.state import initial_state, publish
    from vidpub.services.videos.transcoding import enqueue_transcoding

    target = initial_state(config)
    if target == VideoState.TO_TRANSCODE:
        video.state = target
        enqueue_transcoding(session, video, is_new_video=is_new_video)
        if not video.wait_transcoding:  # listed while it transcodes: peers get it now too
            from vidpub.federation import video_jobs

            video_jobs.federate_video(session, video, is_new=is_new_video)
    else:
        publish(video, is_new_video=is_new_video, session=session)


async def attach_input_file(session: AsyncSession, runtime, video: Video, input_path: Path, original_filename: str,
                            probe_result: ProbeResult, *, thumbnail_path: Path | None = None,
                            preview_path: Path | None = None) -> None:
    """Move `input_path` in as the video's first web-video file (with torrent, source record, kept
    original, thumbnails, chapters), set duration and state and enqueue transcoding, all in the
    caller's transaction. Files written are removed again if recording them fails here."""
    config = runtime.config
    prepared = await prepare_input_file(config, Path(input_path), original_filename, probe_result,
                                        display_name=video.name, privacy=video.privacy,
                                        thumbnail_path=thumbnail_path, preview_path=preview_path, move=True)
    try:
        attach_prepared(session, config, video, prepared)
        await add_container_chapters(session, video, probe_result)
        start_processing(session, config, video)
        await session.flush()
    except BaseException:
        prepared.discard()
        raise
