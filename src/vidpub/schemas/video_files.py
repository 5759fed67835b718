"""A video's playable files as PeerTube shows them: web videos (`files`) and HLS playlists
(`streamingPlaylists[].files`), each file with its URLs, torrent and magnet link.

Local files get URLs below the instance URL (private videos' files under the `private/` paths);
remote files (and files in object storage) carry the URLs stored on their rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from vidpub.config import Config
from vidpub.db.models import Video, VideoFile, VideoStreamingPlaylist
from vidpub.schemas.common import ApiModel
from vidpub.services import torrents
from vidpub.services.videos.files import hls_resolution_playlist_filename
from vidpub.storage import layout


class ResolutionLabel(ApiModel):
    id: int
    label: str


class VideoFileJson(ApiModel):
    id: int
    resolution: ResolutionLabel
    magnetUri: str | None
    size: int
    torrentUrl: str | None
    torrentDownloadUrl: str | None
    fileUrl: str
    fileDownloadUrl: str
    fps: float
    width: int | None
    height: int | None
    metadataUrl: str | None
    hasAudio: bool
    hasVideo: bool
    storage: int


class HlsFileJson(VideoFileJson):
    # 8.x: every file of a streaming playlist names its resolution playlist
    playlistUrl: str


class Redundancy(ApiModel):
    baseUrl: str


class StreamingPlaylistJson(ApiModel):
    id: int
    type: int
    playlistUrl: str
    segmentsSha256Url: str
    redundancies: list[Redundancy]
    files: list[HlsFileJson]


def resolution_label(resolution: int) -> ResolutionLabel:
    return ResolutionLabel(id=resolution, label="Audio only" if resolution == 0 else f"{resolution}p")


def _sorted_by_resolution(files: Iterable[VideoFile]) -> list[VideoFile]:
    return sorted(files, key=lambda file: (-file.resolution, file.id))


def _common_fields(config: Config, video: Video, file: VideoFile, file_url: str,
                   download_url: str) -> dict:
    if file.torrent_filename and not video.remote:
        torrent_url = config.url + layout.torrent_url_path(file.torrent_filename)
    else:
        torrent_url = file.torrent_url
    torrent_download_url = (config.url + layout.torrent_download_url_path(file.torrent_filename)
                            if file.torrent_filename else torrent_url)
    magnet = (torrents.magnet_uri(config, file.info_hash, video.name, torrent_url, file_url)
              if file.info_hash and torrent_url else None)
    metadata_url = file.metadata_url if video.remote else (
        config.url + layout.file_metadata_url_path(video.uuid, file.id))
    return dict(
        id=file.id, resolution=resolution_label(file.resolution), magnetUri=magnet, size=file.size,
        torrentUrl=torrent_url, torrentDownloadUrl=torrent_download_url, fileUrl=file_url,
        fileDownloadUrl=download_url, fps=file.fps, width=file.width, height=file.height,
        metadataUrl=metadata_url, hasAudio=file.has_audio, hasVideo=file.has_video, storage=file.storage)


def web_video_file_url(config: Config, video: Video, file: VideoFile) -> str:
    if file.file_url:  # remote, or in object storage
        return file.file_url
    return config.url + layout.web_video_url_path(file.filename, layout.in_private_directory(video.privacy))


def web_video_files_json(config: Config, video: Video, files: Iterable[VideoFile]) -> list[VideoFileJson]:
    out = []
    for file in _sorted_by_resolution(files):
        file_url = web_video_file_url(config, video, file)
        download_url = file_url if video.remote else config.url + layout.web_video_download_url_path(file.filename)
        out.append(VideoFileJson(**_common_fields(config, video, file, file_url, download_url)))
    return out


def _hls_url(config: Config, video: Video, filename: str) -> str:
    return config.url + layout.hls_url_path(video.uuid, filename, layout.in_private_directory(video.privacy))


def streaming_playlists_json(config: Config, video: Video, playlists: Iterable[VideoStreamingPlaylist],
                             redundancy_urls: Mapping[int, list[str]] | None = None) -> list[StreamingPlaylistJson]:
    """`playlists` come with their `files` loaded; `redundancy_urls`: the base URLs of the known
    copies of each playlist (video redundancy), by playlist id."""
    out = []
    for playlist in playlists:
        remote_base = None
        if playlist.playlist_url:  # remote: the files sit beside the master playlist
            remote_base = playlist.playlist_url.rsplit("/", 1)[0]
        files = []
        for file in _sorted_by_resolution(playlist.files):
            resolution_playlist = hls_resolution_playlist_filename(file.filename)
            if remote_base is not None:
                file_url = file.file_url or f"{remote_base}/{file.filename}"
                playlist_url = f"{remote_base}/{resolution_playlist}"
                download_url = file_url
            else:
                file_url = file.file_url or _hls_url(config, video, file.filename)
                playlist_url = _hls_url(config, video, resolution_playlist)
                download_url = config.url + layout.hls_file_download_url_path(file.filename)
            files.append(HlsFileJson(playlistUrl=playlist_url,
                                     **_common_fields(config, video, file, file_url, download_url)))
        out.append(StreamingPlaylistJson(
            id=playlist.id, type=playlist.type,
            playlistUrl=playlist.playlist_url or _hls_url(config, video, playlist.playlist_filename),
            segmentsSha256Url=playlist.segments_sha256_url or _hls_url(config, video,
                                                                       playlist.segments_sha256_filename),
            redundancies=[Redundancy(baseUrl=url) for url in (redundancy_urls or {}).get(playlist.id, [])],
            files=files))
    return out
