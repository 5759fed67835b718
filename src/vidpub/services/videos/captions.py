"""Captions of a video: one WebVTT file per language, with its one-segment HLS playlist.

Files live in `storage.captions` (`<uuid>-<language>.vtt` and `<uuid>-<language>.m3u8`) and are served
at `/lazy-static/video-captions/<file>`. The playlist lets the HLS master playlist offer the caption
as a subtitles rendition (`#EXT-X-MEDIA:TYPE=SUBTITLES`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User, Video, VideoCaption
from vidpub.errors import ProblemError, bad_request, invalid_param, not_found
from vidpub.services import constants
from vidpub.media import hls
from vidpub.services.videos import files
from vidpub.services.videos.caption_formats import InvalidCaption, to_webvtt
from vidpub.services.videos.lookup import ensure_can_manage, ensure_can_see, get_video
from vidpub.storage import layout

log = logging.getLogger("vidpub.captions")

CAPTION_FIELD = "captionfile"


def caption_language_label(language: str) -> str:
    return constants.video_languages().get(language, "Unknown")


def ensure_valid_language(language: str) -> None:
    if language not in constants.video_languages():
        raise invalid_param("captionLanguage", language, "Should have a valid caption language", "params")


def playlist_filename(caption_filename: str) -> str:
    """The caption's HLS playlist is named after its WebVTT file: `<uuid>-<language>.m3u8`."""
    return Path(caption_filename).with_suffix(".m3u8").name


def caption_playlist(duration: int, caption_filename: str) -> str:
    """A one-segment VOD playlist wrapping the WebVTT file, named relative to the playlist (both are
    served from the same directory)."""
    seconds = max(int(duration), 1)
    return ("#EXTM3U\n"
            f"#EXT-X-TARGETDURATION:{seconds}\n"
            "#EXT-X-VERSION:3\n"
            "#EXT-X-PLAYLIST-TYPE:VOD\n"
            "#EXT-X-MEDIA-SEQUENCE:0\n"
            f"#EXTINF:{seconds},\n"
            f"{caption_filename}\n"
            "#EXT-X-ENDLIST\n")


def write_caption_playlist(config: Config, duration: int, caption: VideoCaption) -> str:
    """(Re)write the HLS playlist of a caption — after a caption upload, or when the video's duration
    changed — and return its file name (store it in `caption.m3u8_filename`)."""
    name = caption.m3u8_filename or playlist_filename(caption.filename)
    _write_atomically(layout.caption_path(config, name), caption_playlist(duration, caption.filename))
    return name


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def remove_caption_files(config: Config, filenames: list[str | None]) -> None:
    for name in filenames:
        if name:
            with contextlib.suppress(FileNotFoundError):
                layout.caption_path(config, name).unlink()


# -- reading ------------------------------------------------------------------------------------------

async def list_captions(session: AsyncSession, ref: str, user: User | None,
                        video_password: str | None) -> tuple[Video, list[VideoCaption]]:
    video = await get_video(session, ref)
    await ensure_can_see(session, video, user, video_password)
    return video, await captions_of(session, video.id)


async def captions_of(session: AsyncSession, video_id: int) -> list[VideoCaption]:
    rows = await session.execute(sa.select(VideoCaption).where(VideoCaption.video_id == video_id)
                                 .order_by(VideoCaption.language))
    return list(rows.scalars())


def hls_subtitles_of(base_url: str, captions: list[VideoCaption]) -> list[hls.Subtitle]:
    """The subtitle renditions a master playlist lists (`#EXT-X-MEDIA:TYPE=SUBTITLES`): the caption
    playlists live outside the video's HLS directory, so their URLs are absolute."""
    return [hls.Subtitle(name=caption_language_label(caption.language), language=caption.language,
                         uri=base_url + layout.caption_url_path(caption.m3u8_filename))
            for caption in captions if caption.m3u8_filename]


async def hls_subtitles(session: AsyncSession, config: Config, video_id: int) -> list[hls.Subtitle]:
    return hls_subtitles_of(config.url, await captions_of(session, video_id))


async def _refresh_master_playlist(session: AsyncSession, config: Config, video: Video) -> files.FilesSnapshot:
    """After a caption change, the video's HLS master playlist lists the captions as they are now
    (PeerTube rewrites it too). Returns the replaced playlist files, to remove after the commit."""
    playlist = await files.hls_playlist(session, video.id)
    if playlist is None or not playlist.files:
        return files.FilesSnapshot()
    subtitles = await hls_subtitles(session, config, video.id)
    return await files.rewrite_hls_playlists(config, video, playlist, list(playlist.files), subtitles)


# -- changing -----------------------------------------------------------------------------------------

async def _managed_video(session: AsyncSession, ref: str, user: User, *, lock: bool = False) -> Video:
    video = await get_video(session, ref)
    ensure_can_manage(video, user)
    if lock:
        # one caption change of a video at a time: replacing a language is delete + insert
        await session.execute(sa.select(Video.id).where(Video.id == video.id).with_for_update())
    return video


async def check_can_add(session: AsyncSession, ref: str, user: User, language: str) -> None:
    """Everything that refuses an upload before its body is read."""
    ensure_valid_language(language)
    await _managed_video(session, ref, user)


async def add_caption(session: AsyncSession, config: Config, ref: str, user: User, language: str,
                      data: bytes) -> VideoCaption:
    """Store `data` (WebVTT or SRT) as the video's caption in `language`, replacing the previous one."""
    ensure_valid_language(language)
    try:
        webvtt = await asyncio.to_thread(to_webvtt, data)
    except InvalidCaption as exc:
        raise invalid_param(CAPTION_FIELD, None, str(exc)) from None
    video = await _managed_video(session, ref, user, lock=True)
    caption = VideoCaption(video_id=video.id, language=language,
                           filename=layout.caption_filename(language), automatically_generated=False)
    written = [caption.filename]
    try:
        await asyncio.to_thread(_write_atomically, layout.caption_path(config, caption.filename), webvtt)
        caption.m3u8_filename = playlist_filename(caption.filename)
        written.append(caption.m3u8_filename)
        await asyncio.to_thread(write_caption_playlist, config, video.duration, caption)
        previous = await _caption(session, video.id, language)
        replaced = [previous.filename, previous.m3u8_filename] if previous else []
        if previous is not None:
            await session.delete(previous)
            await session.flush()
        session.add(caption)
        await session.flush()
        old_playlists = await _refresh_master_playlist(session, config, video)
        await session.commit()
    except BaseException:
        remove_caption_files(config, written)
        raise
    remove_caption_files(config, replaced)
    await files.remove_all_files(config, old_playlists)
    return caption


async def delete_caption(session: AsyncSession, config: Config, ref: str, user: User, language: str) -> None:
    ensure_valid_language(language)
    video = await _managed_video(session, ref, user, lock=True)
    caption = await _caption(session, video.id, language)
    if caption is None:
        raise not_found("Video caption not found")
    caption_files = [caption.filename, caption.m3u8_filename]
    await session.delete(caption)
    await session.flush()
    old_playlists = await _refresh_master_playlist(session, config, video)
    await session.commit()
    remove_caption_files(config, caption_files)
    await files.remove_all_files(config, old_playlists)


async def _caption(session: AsyncSession, video_id: int, language: str) -> VideoCaption | None:
    return (await session.execute(sa.select(VideoCaption).where(
        VideoCaption.video_id == video_id, VideoCaption.language == language))).scalar_one_or_none()


async def caption_files_of(session: AsyncSession, video_id: int) -> list[str]:
    """The caption files of a video (`remove_caption_files` deletes them once the video's removal is
    committed)."""
    return [name for caption in await captions_of(session, video_id)
            for name in (caption.filename, caption.m3u8_filename) if name]


# -- automatic transcription --------------------------------------------------------------------------

async def request_transcription(session: AsyncSession, config: Config, ref: str, user: User) -> None:
    """`POST /videos/{id}/captions/generate`. Vidpub ships no speech-to-text model: with
    transcription disabled (the default) the answer is PeerTube's; enabled, it is a clear refusal
    rather than a job that can only fail."""
    if not config.video_transcription.enabled:
        raise bad_request("Video transcription is disabled on this instance")
    video = await get_video(session, ref)
    ensure_can_manage(video, user)
    if video.remote:
        raise bad_request("Cannot run transcription job on a remote video")
    raise ProblemError(400, "Video transcription is enabled but this instance has no transcription engine: "
                            "Vidpub ships no speech-to-text model")
