"""Moving a video's files between the public and the private directories when its privacy changes
(public/unlisted ⇄ private/internal/password-protected), as PeerTube does: the public routes serve
a directory without asking who calls, so a private video's files must not be in it.

Called after the privacy change committed. Each move is a rename on one filesystem (atomic: a
player sees the file at the old URL or the new one, never half of it), and moving again after a
crash finishes the job (what is already at its destination is left there). The torrents' web seeds
name the file's URL, so they are rewritten too — the info hash does not cover web seeds and stays.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import sqlalchemy as sa
import torf
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.models import FileStorage, Video, VideoFile, VideoStreamingPlaylist
from vidpub.services.videos.files import p2p_infohashes
from vidpub.storage import layout

log = logging.getLogger("vidpub.videos.privacy_files")


def _move(source: Path, destination: Path) -> None:
    """Rename `source` to `destination`; a directory already (partly) there is merged into."""
    if not source.exists():
        return  # moved before, or never written: nothing to do
    destination.parent.mkdir(parents=True, exist_ok=True)
    if source.is_dir() and destination.is_dir():
        for entry in source.iterdir():
            os.replace(entry, destination / entry.name)
        source.rmdir()
        return
    os.replace(source, destination)


def _set_web_seed(torrent_path: Path, url: str) -> None:
    if not torrent_path.is_file():
        return
    torrent = torf.Torrent.read(torrent_path)
    torrent.webseeds = [url]
    temporary = torrent_path.with_suffix(".part")
    torrent.write(temporary, overwrite=True)
    temporary.replace(torrent_path)


def _move_all(config: Config, video_uuid: str, web_files: list[VideoFile], hls_files: list[VideoFile],
              private: bool) -> None:
    for file in web_files:
        _move(layout.web_video_path(config, file.filename, not private),
              layout.web_video_path(config, file.filename, private))
    if hls_files or layout.hls_dir(config, video_uuid, not private).exists():
        _move(layout.hls_dir(config, video_uuid, not private), layout.hls_dir(config, video_uuid, private))
    for file in web_files + hls_files:
        if not file.torrent_filename:
            continue
        if file.video_streaming_playlist_id is not None:
            url = config.url + layout.hls_url_path(video_uuid, file.filename, private)
        else:
            url = config.url + layout.web_video_url_path(file.filename, private)
        try:
            _set_web_seed(layout.torrent_path(config, file.torrent_filename), url)
        except (OSError, torf.TorfError):
            log.exception("could not update the web seed of torrent %s", file.torrent_filename)


async def move_files_for_privacy(session: AsyncSession, config: Config, video: Video,
                                 old_privacy: int) -> None:
    """Put `video`'s files where its current privacy wants them, if `old_privacy` kept them elsewhere;
    updates the HLS playlist's P2P info hashes (they derive from its URL) and commits."""
    private = layout.in_private_directory(video.privacy)
    if private == layout.in_private_directory(old_privacy) or video.remote:
        return
    web_files = list((await session.execute(sa.select(VideoFile).where(
        VideoFile.video_id == video.id, VideoFile.storage == FileStorage.FILE_SYSTEM))).scalars())
    playlist = (await session.execute(
        sa.select(VideoStreamingPlaylist).options(selectinload(VideoStreamingPlaylist.files))
        .where(VideoStreamingPlaylist.video_id == video.id))).scalar_one_or_none()
    hls_files = [f for f in playlist.files if f.storage == FileStorage.FILE_SYSTEM] if playlist else []
    await asyncio.to_thread(_move_all, config, video.uuid, web_files, hls_files, private)
    if playlist is not None and playlist.playlist_filename:
        master_url = config.url + layout.hls_url_path(video.uuid, playlist.playlist_filename, private)
        playlist.p2p_media_loader_infohashes = p2p_infohashes(master_url, len(playlist.files))
        await session.commit()
