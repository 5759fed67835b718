"""Video Download: files as attachments named after the video (`/download/…`), with PeerTube's rules —
whoever may see the video may download it unless its owner turned downloads off; kept originals
are for the owner and moderators; each download counts in the video's `downloads`.

A resumed download (a range not starting at byte 0) is not counted again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from vidpub.api.deps import MAX_ID, enforce_rate_limit, resolve_token
from vidpub.db.models import FileStorage, User, Video, VideoFile
from vidpub.errors import invalid_param, not_found
from vidpub.media.ffmpeg import binary_for
from vidpub.media.mux import mux_to_stream
from vidpub.services.videos import file_access, lookup
from vidpub.services.videos.file_access import ServedFile
from vidpub.storage import layout
from vidpub.web.file_routes import get_and_head
from vidpub.web.file_serving import RangeFileResponse, attachment, is_safe_filename

router = APIRouter(tags=["Video Download"])

MAX_GENERATE_FILES = 2
NO_STORE = "private, no-cache"

FileTokenQuery = Annotated[str | None, Query(alias="videoFileToken", max_length=200)]
PasswordHeader = Annotated[str | None, Header(alias=lookup.VIDEO_PASSWORD_HEADER, max_length=100)]


def _download_name(video: Video, file: VideoFile, suffix: str = "") -> str:
    return f"{video.name}-{file.resolution}p{suffix}{file.extname}"


async def _authorise(request: Request, find, name: str, file_token: str | None,
                     password: str | None) -> tuple[ServedFile, User | None]:
    """The file and the user reading it, or the error PeerTube answers."""
    if not is_safe_filename(name):
        raise not_found("File not found")
    runtime = request.app.state.runtime
    async with runtime.db.session(write=False) as session:
        served = await find(session, name)
        if served is None or served.video.remote:
            raise not_found("File not found")
        token = None if file_token is not None else await resolve_token(request, session)
        caller = file_access.Caller(token.user if token else None, file_token, password)
        reader = await file_access.reader_of(session, runtime.config, served.video, caller)
    return served, reader


def _counting(request: Request, video_id: int):
    """`on_start` hook: count a download that starts at the first byte."""

    async def count(status: int, first: int | None) -> None:
        if status == 200 or (status == 206 and first == 0):
            async with request.app.state.runtime.db.transaction() as session:
                await file_access.count_download(session, video_id)

    return count


def _file_path(request: Request, served: ServedFile) -> Path:
    config = request.app.state.runtime.config
    file = served.file
    if file.storage != FileStorage.FILE_SYSTEM:
        raise not_found("File not found")  # object storage is served by its own URLs
    private = layout.in_private_directory(served.video.privacy)
    if served.is_hls:
        return layout.hls_dir(config, served.video.uuid, private) / file.filename
    return layout.web_video_path(config, file.filename, private)


@get_and_head(router, "/download/web-videos/{filename}", include_in_schema=False)
async def download_web_video(request: Request, filename: str, video_file_token: FileTokenQuery = None,
                             video_password: PasswordHeader = None):
    served, reader = await _authorise(request, file_access.web_video_file, filename, video_file_token,
                                      video_password)
    file_access.ensure_download_enabled(served.video, reader)
    return RangeFileResponse(_file_path(request, served), cache_control=NO_STORE,
                        download_name=_download_name(served.video, served.file),
                        on_start=_counting(request, served.video.id))


@get_and_head(router, "/download/streaming-playlists/hls/videos/{filename}",
              include_in_schema=False)
async def download_hls_file(request: Request, filename: str, video_file_token: FileTokenQuery = None,
                            video_password: PasswordHeader = None):
    served, reader = await _authorise(request, file_access.hls_file, filename, video_file_token,
                                      video_password)
    file_access.ensure_download_enabled(served.video, reader)
    return RangeFileResponse(_file_path(request, served), cache_control=NO_STORE,
                        download_name=_download_name(served.video, served.file, "-hls"),
                        on_start=_counting(request, served.video.id))


@get_and_head(router, "/download/torrents/{filename}", include_in_schema=False)
async def download_torrent(request: Request, filename: str, video_file_token: FileTokenQuery = None,
                           video_password: PasswordHeader = None):
    served, reader = await _authorise(request, file_access.torrent_file, filename, video_file_token,
                                      video_password)
    file_access.ensure_download_enabled(served.video, reader)
    path = layout.torrent_path(request.app.state.runtime.config, served.file.torrent_filename)
    return RangeFileResponse(path, cache_control=NO_STORE,
                        download_name=f"{served.video.name}-{served.file.resolution}p.torrent")


@get_and_head(router, "/download/original-video-files/{filename}", include_in_schema=False)
async def download_original(request: Request, filename: str, video_file_token: FileTokenQuery = None,
                            video_password: PasswordHeader = None):
    served, reader = await _authorise(request, file_access.original_file, filename, video_file_token,
                                      video_password)
    file_access.ensure_can_download_original(served.video, reader)
    source = served.source
    if source.storage != FileStorage.FILE_SYSTEM:
        raise not_found("File not found")
    path = layout.original_file_path(request.app.state.runtime.config, source.kept_original_filename)
    return RangeFileResponse(path, cache_control=NO_STORE, download_name=source.input_filename)


def parse_file_ids(values: list[str]) -> list[int]:
    """`videoFileIds=1,2` or `videoFileIds=1&videoFileIds=2`: at most two ids."""
    ids: list[int] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            if not (part.isascii() and part.isdigit()) or not 0 < int(part) <= MAX_ID:
                raise invalid_param("videoFileIds", values, "Should have valid video file ids", "query")
            if int(part) not in ids:
                ids.append(int(part))
    if not ids or len(ids) > MAX_GENERATE_FILES:
        raise invalid_param("videoFileIds", values,
                            f"Should have between 1 and {MAX_GENERATE_FILES} video file ids", "query")
    return ids


def _pick_streams(files: list[ServedFile]) -> tuple[ServedFile, ServedFile]:
    """(file giving the video stream, file giving the audio stream); 400 when two files cannot make
    one video of a video stream and an audio stream."""
    if len(files) == 1:
        return files[0], files[0]
    ids = [f.file.id for f in files]
    video = next((f for f in files if f.file.has_video), None)
    if video is None:
        raise invalid_param("videoFileIds", ids, "None of these files has a video stream", "query")
    audio = next(f for f in files if f is not video)
    if not audio.file.has_audio:
        raise invalid_param("videoFileIds", ids,
                            "Give one file with the video stream and one with the audio stream", "query")
    return video, audio


@router.get("/download/videos/generate/{videoId}", summary="Download video file",
            response_class=StreamingResponse, responses={200: {"content": {"video/mp4": {}}}})
async def generate_download(request: Request, videoId: str,  # noqa: N803 - PeerTube's name
                            video_file_ids: Annotated[list[str], Query(alias="videoFileIds")],
                            video_file_token: FileTokenQuery = None, video_password: PasswordHeader = None):
    """A MP4 with at most one video and one audio stream taken from the video's files (PeerTube uses it
    to join an HLS rendition with the separate audio rendition)."""
    await enforce_rate_limit(request, "download_generate_video")
    file_ids = parse_file_ids(video_file_ids)
    runtime = request.app.state.runtime
    async with runtime.db.session(write=False) as session:
        video = await lookup.find_video(session, videoId)
        if video is None or video.remote:
            raise not_found("Video not found")
        token = None if video_file_token is not None else await resolve_token(request, session)
        caller = file_access.Caller(token.user if token else None, video_file_token, video_password)
        reader = await file_access.reader_of(session, runtime.config, video, caller)
        file_access.ensure_download_enabled(video, reader)
        files = await file_access.files_of_video(session, video, file_ids)
    video_source, audio_source = _pick_streams(files)
    resolution = max(f.file.resolution for f in files)
    name = f"{video.name}-{resolution}p.mp4"
    if len(files) == 1:  # nothing to join: the file itself, with ranges and validators
        return RangeFileResponse(_file_path(request, video_source), media_type="video/mp4", cache_control=NO_STORE,
                            download_name=name, on_start=_counting(request, video.id))
    paths = [_file_path(request, video_source), _file_path(request, audio_source)]
    if not all(path.is_file() for path in paths):
        raise not_found("File not found")
    async with runtime.db.transaction() as session:
        await file_access.count_download(session, video.id)
    stream = mux_to_stream(binary_for(runtime.config), paths[0], paths[1])
    return StreamingResponse(stream, media_type="video/mp4",
                             headers={"Content-Disposition": attachment(name), "Cache-Control": NO_STORE})
