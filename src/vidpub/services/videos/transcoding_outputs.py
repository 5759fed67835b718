"""What a transcoding run produced, and recording it: probing each output, the HLS playlists
around them, their torrents, then (in the committing transaction) moving them into place and
replacing the video's file rows."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import FileFormat, FileStream, Video, VideoFile, VideoStreamingPlaylist
from vidpub.media.ladder import Rendition
from vidpub.media.probe import ProbeResult, probe
from vidpub.media.transcode import TranscodeJob
from vidpub.services import torrents
from vidpub.services.videos import files
from vidpub.services.videos.captions import hls_subtitles
from vidpub.storage import layout

HLS, WEB_VIDEO = "hls", "web-video"


@dataclass
class ProducedFile:
    kind: str                        # 'hls' or 'web-video'
    rendition: Rendition
    path: Path                       # the media file (fragmented MP4 or faststart MP4)
    probe: ProbeResult
    playlist: Path | None = None     # HLS: the resolution playlist
    size: int = 0
    torrent_filename: str | None = None
    info_hash: str | None = None

    def __post_init__(self) -> None:
        self.size = self.size or self.path.stat().st_size  # measured before the file moves

    def row(self) -> VideoFile:
        """The file's row, without its owner."""
        has_video = self.probe.has_video
        return VideoFile(
            resolution=self.rendition.resolution, width=self.probe.width if has_video else None,
            height=self.probe.height if has_video else None,
            fps=round(self.probe.fps, 3) if has_video else 0, size=self.size, extname=".mp4",
            filename=self.path.name, torrent_filename=self.torrent_filename, info_hash=self.info_hash,
            format_flags=FileFormat.FRAGMENTED if self.kind == HLS else FileFormat.WEB_VIDEO,
            stream_flags=((FileStream.VIDEO if has_video else 0)
                          | (FileStream.AUDIO if self.probe.has_audio else 0)),
            metadata_json=self.probe.metadata)


@dataclass
class OutputSet:
    produced: list[ProducedFile]
    directory: Path
    master: Path | None = None
    segments_sha256: Path | None = None
    duration: float = 0
    torrents: list[Path] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[ProducedFile]:
        return [p for p in self.produced if p.kind == kind]

    @property
    def top_size(self) -> tuple[int, int] | None:
        videos = [p for p in self.produced if p.probe.has_video]
        if not videos:
            return None
        top = max(videos, key=lambda p: p.rendition.resolution)
        return top.probe.width, top.probe.height

    def summary(self) -> list[dict]:
        return [{"format": p.kind, "resolution": p.rendition.resolution, "filename": p.path.name}
                for p in self.produced]

    async def make_torrents(self, config: Config, video_uuid: str, display_name: str, privacy: int,
                            on_created: Callable[[list[Path]], None]) -> None:
        """A torrent per file, web-seeded by the URL the file will have."""
        private = layout.in_private_directory(privacy)
        for produced in self.produced:
            if produced.kind == HLS:
                url = config.url + layout.hls_url_path(video_uuid, produced.path.name, private)
            else:
                url = config.url + layout.web_video_url_path(produced.path.name, private)
            filename, info_hash = await torrents.create_torrent(config, produced.path, display_name, url,
                                                                produced.rendition.resolution)
            produced.torrent_filename, produced.info_hash = filename, info_hash
            created = layout.torrent_path(config, filename)
            self.torrents.append(created)
            on_created([created])


def describe_outputs(job: TranscodeJob, source: ProbeResult) -> OutputSet:
    """Probe every output and write the HLS master playlist and segment hashes beside them
    (blocking: run it in a thread)."""
    produced = []
    directory = None
    for output in job.outputs:
        if output.hls_fragmented is not None:
            produced.append(ProducedFile(HLS, output.rendition, output.hls_fragmented,
                                         probe(output.hls_fragmented), playlist=output.hls_playlist))
            directory = output.hls_fragmented.parent
        if output.web_video is not None:
            produced.append(ProducedFile(WEB_VIDEO, output.rendition, output.web_video,
                                         probe(output.web_video)))
            directory = directory or output.web_video.parent
    outputs = OutputSet(produced=produced, directory=directory or job.input_path.parent)
    hls_files = outputs.of_kind(HLS)
    if hls_files:
        # the master playlist is written when recorded, with the captions the video has by then
        outputs.master = outputs.directory / layout.hls_master_filename()
        outputs.segments_sha256 = outputs.directory / layout.hls_sha256_filename()
        outputs.duration = source.duration or job.duration
        files.write_segment_hashes(outputs.directory, outputs.segments_sha256.name,
                                   [p.row() for p in hls_files])
    return outputs


def _move(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(source), destination)


async def record_outputs(session: AsyncSession, config: Config, video: Video, outputs: OutputSet,
                         formats: list[str], *, drop_web_videos: bool,
                         before_move: Callable[[list[Path]], None]) -> files.FilesSnapshot:
    """Replace the video's files of the produced formats by the new ones (moved into place now);
    returns the replaced files, to remove once the transaction committed."""
    removed = files.FilesSnapshot()
    hls_files, web_files = outputs.of_kind(HLS), outputs.of_kind(WEB_VIDEO)
    if HLS in formats and hls_files:
        removed.extend(await files.delete_hls(session, config, video, remove_directory=False))
    if (WEB_VIDEO in formats and web_files) or drop_web_videos:
        removed.extend(await files.delete_web_videos(session, config, video))

    moves: list[tuple[Path, Path]] = []
    hls_directory = files.hls_directory(config, video)
    if hls_files:
        for produced in hls_files:
            moves += [(produced.path, hls_directory / produced.path.name),
                      (produced.playlist, hls_directory / produced.playlist.name)]
        moves.append((outputs.segments_sha256, hls_directory / outputs.segments_sha256.name))
    web_directory = layout.web_videos_dir(config, files.is_private(video))
    moves += [(produced.path, web_directory / produced.path.name) for produced in web_files]
    placed = [destination for _, destination in moves]
    before_move(placed + [hls_directory / outputs.master.name] if hls_files else placed)
    for source, destination in moves:
        _move(source, destination)
    if hls_files:
        subtitles = await hls_subtitles(session, config, video.id)
        await asyncio.to_thread(files.write_master_playlist, hls_directory, outputs.master.name,
                                [p.row() for p in hls_files], outputs.duration, subtitles)

    if hls_files:
        master_path = layout.hls_url_path(video.uuid, outputs.master.name, files.is_private(video))
        master_url = config.url + master_path
        playlist = VideoStreamingPlaylist(
            video_id=video.id, playlist_filename=outputs.master.name,
            segments_sha256_filename=outputs.segments_sha256.name,
            p2p_media_loader_infohashes=files.p2p_infohashes(master_url, len(hls_files)))
        session.add(playlist)
        await session.flush()
        for produced in hls_files:
            row = produced.row()
            row.video_streaming_playlist_id = playlist.id
            session.add(row)
    for produced in web_files:
        row = produced.row()
        row.video_id = video.id
        session.add(row)
    await session.flush()
    return removed
