"""A video's files on disk: where each one is, removing them all (video deletion), removing only the
HLS playlist or only the web videos (admin routes), rewriting the HLS playlists around what is left.

Rows are deleted in the caller's transaction; the files are removed only after it committed (a
rollback must not leave rows pointing at nothing). Callers therefore take a `FilesSnapshot` with
the rows, commit, then pass it to `remove_all_files`.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import logging
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.models import (
    FileStorage,
    Storyboard,
    Thumbnail,
    ThumbnailType,
    Video,
    VideoCaption,
    VideoFile,
    VideoSource,
    VideoStreamingPlaylist,
)
from vidpub.media import hls
from vidpub.storage import layout

log = logging.getLogger("vidpub.videos.files")

P2P_MEDIA_LOADER_PEER_VERSION = 2


@dataclass
class FilesSnapshot:
    """Files and directories to remove once the transaction that dropped their rows committed."""
    paths: list[Path] = field(default_factory=list)
    directories: list[Path] = field(default_factory=list)

    def extend(self, other: FilesSnapshot) -> FilesSnapshot:
        self.paths += other.paths
        self.directories += other.directories
        return self


# -- where files are ------------------------------------------------------------------------------------

def hls_resolution_playlist_filename(fragmented_filename: str) -> str:
    """`<uuid>-<res>-fragmented.mp4` is described by `<uuid>-<res>.m3u8` (PeerTube's naming)."""
    stem = fragmented_filename.rsplit(".", 1)[0]
    return f"{stem.removesuffix('-fragmented')}.m3u8"


def is_private(video: Video) -> bool:
    return layout.in_private_directory(video.privacy)


def web_video_path(config: Config, video: Video, file: VideoFile) -> Path:
    return layout.web_video_path(config, file.filename, is_private(video))


def hls_directory(config: Config, video: Video) -> Path:
    return layout.hls_dir(config, video.uuid, is_private(video))


def hls_file_path(config: Config, video: Video, file: VideoFile) -> Path:
    return hls_directory(config, video) / file.filename


def local_file(file: VideoFile) -> bool:
    return file.storage == FileStorage.FILE_SYSTEM and not file.file_url


def _file_paths(config: Config, video: Video, file: VideoFile) -> list[Path]:
    paths = []
    if local_file(file):
        if file.video_streaming_playlist_id is not None:
            directory = hls_directory(config, video)
            paths += [directory / file.filename, directory / hls_resolution_playlist_filename(file.filename)]
        else:
            paths.append(web_video_path(config, video, file))
    if file.torrent_filename:
        paths.append(layout.torrent_path(config, file.torrent_filename))
    return paths


def p2p_infohashes(playlist_url: str, file_count: int) -> list[str]:
    """p2p-media-loader's swarm ids of a master playlist's renditions (what PeerTube stores)."""
    return [hashlib.sha1(f"{P2P_MEDIA_LOADER_PEER_VERSION}{playlist_url}+V{index}".encode()).hexdigest()
            for index in range(file_count)]


# -- loading -------------------------------------------------------------------------------------------

async def web_video_files(session: AsyncSession, video_id: int) -> list[VideoFile]:
    return list((await session.execute(
        sa.select(VideoFile).where(VideoFile.video_id == video_id).order_by(VideoFile.resolution.desc())
    )).scalars())


async def hls_playlist(session: AsyncSession, video_id: int) -> VideoStreamingPlaylist | None:
    return (await session.execute(
        sa.select(VideoStreamingPlaylist).options(selectinload(VideoStreamingPlaylist.files))
        .where(VideoStreamingPlaylist.video_id == video_id))).scalar_one_or_none()


# -- removal ------------------------------------------------------------------------------------------

async def snapshot_files(session: AsyncSession, config: Config, video: Video) -> FilesSnapshot:
    """Every file of a local video on disk: web videos, the HLS directory (both privacy variants),
    torrents, the kept original, thumbnails, captions, the storyboard. Take it before deleting the
    video row; pass it to `remove_all_files` after the commit."""
    snapshot = FilesSnapshot()
    for file in await web_video_files(session, video.id):
        snapshot.paths += _file_paths(config, video, file)
    playlist = await hls_playlist(session, video.id)
    if playlist is not None:
        for file in playlist.files:
            if file.torrent_filename:
                snapshot.paths.append(layout.torrent_path(config, file.torrent_filename))
    snapshot.directories += [layout.hls_dir(config, video.uuid, private) for private in (False, True)]
    snapshot.directories.append(layout.redundancy_hls_dir(config, video.uuid))  # our copy of a remote video
    for source in await _rows(session, VideoSource, video.id):
        if source.kept_original_filename and source.storage == FileStorage.FILE_SYSTEM:
            snapshot.paths.append(layout.original_file_path(config, source.kept_original_filename))
    for thumbnail in await _rows(session, Thumbnail, video.id):
        if thumbnail.on_disk:
            place = layout.preview_path if thumbnail.type == ThumbnailType.PREVIEW else layout.thumbnail_path
            snapshot.paths.append(place(config, thumbnail.filename))
    for caption in await _rows(session, VideoCaption, video.id):
        if caption.storage == FileStorage.FILE_SYSTEM and not caption.file_url:
            snapshot.paths.append(layout.caption_path(config, caption.filename))
            if caption.m3u8_filename:  # the caption's one-segment HLS playlist
                snapshot.paths.append(layout.caption_path(config, caption.m3u8_filename))
    for storyboard in await _rows(session, Storyboard, video.id):
        if not storyboard.file_url:
            snapshot.paths.append(layout.storyboard_path(config, storyboard.filename))
    return snapshot


async def _rows(session: AsyncSession, model, video_id: int) -> list:
    return list((await session.execute(sa.select(model).where(model.video_id == video_id))).scalars())


def _remove(snapshot: FilesSnapshot) -> None:
    for path in snapshot.paths:
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not remove %s: %s", path, exc)
    for directory in snapshot.directories:
        shutil.rmtree(directory, ignore_errors=True)


async def remove_all_files(config: Config, snapshot: FilesSnapshot) -> None:
    """Remove what a snapshot lists (missing files are fine: removal is idempotent)."""
    await asyncio.to_thread(_remove, snapshot)


async def delete_hls(session: AsyncSession, config: Config, video: Video, *,
                     remove_directory: bool = True) -> FilesSnapshot:
    """Drop the HLS playlist and its files' rows; returns what to remove after the commit (the
    video's HLS directory too, unless new renditions are about to be placed in it)."""
    snapshot = FilesSnapshot()
    playlist = await hls_playlist(session, video.id)
    if playlist is None:
        return snapshot
    for file in playlist.files:
        snapshot.paths += _file_paths(config, video, file)
        await session.delete(file)
    directory = hls_directory(config, video)
    snapshot.paths += [directory / playlist.playlist_filename, directory / playlist.segments_sha256_filename]
    if remove_directory:
        snapshot.directories.append(directory)
    await session.delete(playlist)
    await session.flush()
    return snapshot


async def delete_web_videos(session: AsyncSession, config: Config, video: Video) -> FilesSnapshot:
    snapshot = FilesSnapshot()
    for file in await web_video_files(session, video.id):
        snapshot.paths += _file_paths(config, video, file)
        await session.delete(file)
    await session.flush()
    return snapshot


async def delete_web_video_file(session: AsyncSession, config: Config, video: Video,
                                file: VideoFile) -> FilesSnapshot:
    snapshot = FilesSnapshot(paths=_file_paths(config, video, file))
    await session.delete(file)
    await session.flush()
    return snapshot


async def delete_hls_file(session: AsyncSession, config: Config, video: Video,
                          playlist: VideoStreamingPlaylist, file: VideoFile) -> FilesSnapshot:
    """Drop one rendition of the playlist (the whole playlist when it was the last one); the master
    playlist and the segment hashes are rewritten without it."""
    if len(playlist.files) <= 1:
        return await delete_hls(session, config, video)
    from vidpub.services.videos.captions import hls_subtitles  # captions build on this module

    snapshot = FilesSnapshot(paths=_file_paths(config, video, file))
    remaining = [f for f in playlist.files if f.id != file.id]
    await session.delete(file)
    await session.flush()
    subtitles = await hls_subtitles(session, config, video.id)
    snapshot.extend(await rewrite_hls_playlists(config, video, playlist, remaining, subtitles))
    return snapshot


async def rewrite_hls_playlists(config: Config, video: Video, playlist: VideoStreamingPlaylist,
                                files: list[VideoFile],
                                subtitles: list[hls.Subtitle] | None = None) -> FilesSnapshot:
    """Write a new master playlist and segment hashes for `files` under new names (cached copies of
    the old ones are never served stale), update the playlist row; returns the old files to remove."""
    directory = hls_directory(config, video)
    old = FilesSnapshot(paths=[directory / playlist.playlist_filename,
                               directory / playlist.segments_sha256_filename])
    master_name, sha_name = layout.hls_master_filename(), layout.hls_sha256_filename()
    await asyncio.to_thread(write_hls_playlists, directory, master_name, sha_name, files, video.duration,
                            subtitles or [])
    playlist.playlist_filename, playlist.segments_sha256_filename = master_name, sha_name
    master_url = config.url + layout.hls_url_path(video.uuid, master_name, is_private(video))
    playlist.p2p_media_loader_infohashes = p2p_infohashes(master_url, len(files))
    return old


def variant_of(directory: Path, file: VideoFile, duration: float) -> hls.Variant:
    video_codec, audio_codec = hls.codecs_of(directory / file.filename)
    return hls.Variant(playlist_filename=hls_resolution_playlist_filename(file.filename),
                       bandwidth=hls.bandwidth_bits(file.size, duration), width=file.width or 0,
                       height=file.height or 0, fps=file.fps if file.fps and file.fps > 0 else 0,
                       codecs=",".join(c for c in (video_codec, audio_codec) if c),
                       resolution=file.resolution)


def write_hls_playlists(directory: Path, master_name: str, sha_name: str, files: list[VideoFile],
                        duration: float, subtitles: list[hls.Subtitle]) -> None:
    """The master playlist and `segments-sha256.json` of the renditions in `directory`."""
    write_master_playlist(directory, master_name, files, duration, subtitles)
    write_segment_hashes(directory, sha_name, files)


def write_master_playlist(directory: Path, master_name: str, files: list[VideoFile], duration: float,
                          subtitles: list[hls.Subtitle]) -> None:
    """PeerTube's master playlist: the video renditions (the audio-only one only when it is all
    there is), the audio group in split mode, the subtitles."""
    video_files = [f for f in files if f.has_video]
    audio_files = [f for f in files if not f.has_video]
    split_audio = bool(video_files) and bool(audio_files) and not any(f.has_audio for f in video_files)
    audio_group = None
    variants = [variant_of(directory, f, duration) for f in video_files] or [
        variant_of(directory, f, duration) for f in audio_files]
    if split_audio:
        audio = variant_of(directory, audio_files[0], duration)
        audio_group = hls.AudioGroup(uri=audio.playlist_filename)
        variants = [dataclasses.replace(v, bandwidth=v.bandwidth + audio.bandwidth,
                                        codecs=f"{v.codecs},{audio.codecs}") for v in variants]
    hls.write_master_playlist(directory / master_name, variants, audio=audio_group, subtitles=subtitles)


def write_segment_hashes(directory: Path, sha_name: str, files: list[VideoFile]) -> None:
    hashes = hls.segments_sha256(
        (directory / hls_resolution_playlist_filename(f.filename), directory / f.filename) for f in files)
    hls.write_segments_sha256(directory / sha_name, hashes)
