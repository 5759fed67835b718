"""Static Video Files: web videos, HLS playlists and fragments, and the "lazy static" files of videos
(thumbnails, previews, captions, storyboards, torrents), at PeerTube's URLs (peertube-internals §4.6).

Public files are served straight from their directory, as PeerTube does: no database work on the hot
path of a player fetching segments. Private files (`…/private/…`) open to a video file token or to
whoever may see the video; a token is checked without the database. Only names Vidpub writes are
looked up (`SAFE_FILENAME`, UUID directories), so no request reaches outside the storage folders.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Query, Request
from fastapi.responses import Response

from vidpub.api.deps import resolve_token
from vidpub.config import Config
from vidpub.db.models import ThumbnailType
from vidpub.errors import not_found
from vidpub.services.videos import file_access, file_tokens, lookup, playlist_tokens
from vidpub.storage import layout
from vidpub.web import downloads, static_files
from vidpub.web.file_routes import get_and_head, serve_files_first
from vidpub.web.file_serving import RangeFileResponse, is_safe_filename, media_type_of

router = APIRouter(tags=["Static Video Files"])

STATIC_CACHE = "public, max-age=7200"        # PeerTube: static files 2 hours
LAZY_STATIC_CACHE = "public, max-age=172800"  # lazy static files 2 days
PRIVATE_CACHE = "private, max-age=7200"       # vidpub: never in a shared cache
REWRITTEN_PLAYLIST_CACHE = "private, no-cache"  # holds a token: per viewer, and the token expires
MAX_PLAYLIST_BYTES = 4 << 20
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")

FileTokenQuery = Annotated[str | None, Query(alias="videoFileToken", max_length=200)]
ReinjectQuery = Annotated[bool, Query(alias="reinjectVideoFileToken")]
PasswordHeader = Annotated[str | None, Header(alias=lookup.VIDEO_PASSWORD_HEADER, max_length=100)]


def _config(request: Request) -> Config:
    return request.app.state.runtime.config


def _file_name(filename: str) -> str:
    if not is_safe_filename(filename):
        raise not_found("File not found")
    return filename


def _hls_parts(path: str) -> tuple[str, str]:
    """`<video uuid>/<file>` → both parts, 404 for anything else."""
    video_uuid, _, filename = path.partition("/")
    if not _UUID.fullmatch(video_uuid):
        raise not_found("File not found")
    return video_uuid, _file_name(filename)


def private_files_open(config: Config) -> bool:
    return not config.static_files.private_files_require_auth


async def _check_private_access(request: Request, video_uuid: str | None, filename: str | None,
                                file_token: str | None, video_password: str | None) -> None:
    """Refuse a private file to callers who may not see its video. HLS files name their video by
    UUID: a token for it is checked without the database. Web videos are looked up by file name."""
    config = _config(request)
    if video_uuid is not None and file_token is not None:
        if file_tokens.check_file_token(config, file_token, video_uuid) is None:
            raise file_access.invalid_file_token()
        return
    runtime = request.app.state.runtime
    async with runtime.db.session(write=False) as session:
        if video_uuid is not None:
            video = await file_access.video_by_uuid(session, video_uuid)
        else:
            served = await file_access.web_video_file(session, filename)
            video = served.video if served else None
        if video is None:
            raise not_found("File not found")
        token = None if file_token is not None else await resolve_token(request, session)
        caller = file_access.Caller(token.user if token else None, file_token, video_password)
        await file_access.reader_of(session, config, video, caller)


# -- web videos -------------------------------------------------------------------------------------------

def _private_file(config: Config, path: Path, accel_path: str) -> Response:
    """An authorised private file: sent by Vidpub, or by nginx when it is configured to take over
    (`static_files.x_accel_redirect_prefix`, docs/nginx.md)."""
    prefix = config.static_files.get("x_accel_redirect_prefix")
    if prefix:
        headers = {"X-Accel-Redirect": prefix.rstrip("/") + accel_path, "Cache-Control": PRIVATE_CACHE}
        return Response(media_type=media_type_of(path.name), headers=headers)
    return RangeFileResponse(path, cache_control=PRIVATE_CACHE)


async def _private_web_video(request: Request, filename: str, file_token: str | None, password: str | None):
    config = _config(request)
    filename = _file_name(filename)
    if not private_files_open(config):
        await _check_private_access(request, None, filename, file_token, password)
    path = layout.web_video_path(config, filename, private=True)
    return _private_file(config, path, f"/web-videos/{filename}")


@get_and_head(router, "/static/web-videos/private/{filename}", summary="Get private Web Video file")
async def private_web_video(request: Request, filename: str, video_file_token: FileTokenQuery = None,
                            video_password: PasswordHeader = None):
    return await _private_web_video(request, filename, video_file_token, video_password)


@get_and_head(router, "/static/webseed/private/{filename}", include_in_schema=False)
async def legacy_private_web_video(request: Request, filename: str, video_file_token: FileTokenQuery = None,
                                   video_password: PasswordHeader = None):
    return await _private_web_video(request, filename, video_file_token, video_password)


@get_and_head(router, "/static/web-videos/{filename}", summary="Get public Web Video file")
async def web_video(request: Request, filename: str):
    path = layout.web_video_path(_config(request), _file_name(filename), private=False)
    return RangeFileResponse(path, cache_control=STATIC_CACHE)


@get_and_head(router, "/static/webseed/{filename}", include_in_schema=False)
async def legacy_web_video(request: Request, filename: str):
    return await web_video(request, filename)


# -- HLS --------------------------------------------------------------------------------------------------

async def _private_hls(request: Request, video_uuid: str, filename: str, file_token: str | None,
                       reinject: bool, password: str | None) -> Response:
    config = _config(request)
    if not private_files_open(config):
        await _check_private_access(request, video_uuid, None, file_token, password)
    path = layout.hls_dir(config, video_uuid, private=True) / filename
    if reinject and file_token and filename.endswith(".m3u8"):
        return _rewritten_playlist(path, file_token)
    return _private_file(config, path, f"/streaming-playlists/hls/{video_uuid}/{filename}")


def _rewritten_playlist(path: Path, file_token: str) -> Response:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_PLAYLIST_BYTES + 1)
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        raise not_found("File not found") from None
    if len(raw) > MAX_PLAYLIST_BYTES:
        raise not_found("File not found")
    text = playlist_tokens.reinject_file_token(raw.decode("utf-8", "replace"), file_token)
    return Response(text.encode(), media_type=media_type_of(path.name),
                    headers={"Cache-Control": REWRITTEN_PLAYLIST_CACHE})


@get_and_head(router, "/static/streaming-playlists/hls/private/{videoUUID}/{filename}",
              summary="Get private HLS video file (PeerTube's actual path)")
async def private_hls_file(request: Request, videoUUID: str, filename: str,  # noqa: N803 - PeerTube's name
                           video_file_token: FileTokenQuery = None, reinject: ReinjectQuery = False,
                           video_password: PasswordHeader = None):
    video_uuid, filename = _hls_parts(f"{videoUUID}/{filename}")
    return await _private_hls(request, video_uuid, filename, video_file_token, reinject, video_password)


@get_and_head(router, "/static/streaming-playlists/hls/private/{filename:path}",
              summary="Get private HLS video file")
async def private_hls_file_spec_path(request: Request, filename: str, video_file_token: FileTokenQuery = None,
                                     reinject: ReinjectQuery = False, video_password: PasswordHeader = None):
    """The 7.0 spec's path, whose `filename` is in fact `<video uuid>/<file>`."""
    video_uuid, filename = _hls_parts(filename)
    return await _private_hls(request, video_uuid, filename, video_file_token, reinject, video_password)


@get_and_head(router, "/static/streaming-playlists/hls/{videoUUID}/{filename}",
              summary="Get public HLS video file (PeerTube's actual path)")
async def hls_file(request: Request, videoUUID: str, filename: str):  # noqa: N803 - PeerTube's name
    video_uuid, filename = _hls_parts(f"{videoUUID}/{filename}")
    path = layout.hls_dir(_config(request), video_uuid, private=False) / filename
    return RangeFileResponse(path, cache_control=STATIC_CACHE)


@get_and_head(router, "/static/streaming-playlists/hls/{filename:path}", summary="Get public HLS video file")
async def hls_file_spec_path(request: Request, filename: str):
    """The 7.0 spec's path, whose `filename` is in fact `<video uuid>/<file>`."""
    video_uuid, filename = _hls_parts(filename)
    return await hls_file(request, video_uuid, filename)


@get_and_head(router, "/static/redundancy/hls/{videoUUID}/{filename}",
              summary="Get a file of this instance's copy of a remote video's HLS playlist")
async def redundancy_hls_file(request: Request, videoUUID: str, filename: str):  # noqa: N803 - PeerTube's name
    """Our copies of remote videos (video redundancy), public files as the origin's are."""
    video_uuid, filename = _hls_parts(f"{videoUUID}/{filename}")
    path = layout.redundancy_hls_dir(_config(request), video_uuid) / filename
    return RangeFileResponse(path, cache_control=STATIC_CACHE)


# -- lazy static ------------------------------------------------------------------------------------------

def _lazy_static(directory: Path, filename: str) -> RangeFileResponse:
    return RangeFileResponse(directory / _file_name(filename), cache_control=LAZY_STATIC_CACHE)


async def _remote_image(request: Request, kind: int, directory: Path, filename: str) -> RangeFileResponse:
    """A thumbnail or preview; one of a remote video is fetched from its origin on first request."""
    name = _file_name(filename)
    if not (directory / name).exists():
        from vidpub.federation.remote_images import fetch_remote_thumbnail

        await fetch_remote_thumbnail(request.app.state.runtime, kind, name)
    return _lazy_static(directory, name)


@get_and_head(router, "/lazy-static/thumbnails/{filename}", include_in_schema=False)
async def thumbnail(request: Request, filename: str):
    return await _remote_image(request, ThumbnailType.MINIATURE, _config(request).storage_path("thumbnails"),
                               filename)


@get_and_head(router, "/lazy-static/previews/{filename}", include_in_schema=False)
async def preview(request: Request, filename: str):
    return await _remote_image(request, ThumbnailType.PREVIEW, _config(request).storage_path("previews"), filename)


@get_and_head(router, "/lazy-static/video-captions/{filename}", include_in_schema=False)
async def caption(request: Request, filename: str):
    return _lazy_static(_config(request).storage_path("captions"), filename)


@get_and_head(router, "/lazy-static/storyboards/{filename}", include_in_schema=False)
async def storyboard(request: Request, filename: str):
    return _lazy_static(_config(request).storage_path("storyboards"), filename)


@get_and_head(router, "/lazy-static/torrents/{filename}", include_in_schema=False)
async def torrent(request: Request, filename: str):
    return _lazy_static(_config(request).storage_path("torrents"), filename)


FILE_PREFIXES = ("/static/", "/lazy-static/", "/download/")


def serve_first(app: FastAPI) -> None:
    """Route file requests before the API's routes (see `FileRoutesFirst`)."""
    serve_files_first(app, FILE_PREFIXES, [router, downloads.router, static_files.router])
