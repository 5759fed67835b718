"""Thumbnails and previews of remote videos and miniatures of remote playlists, served "lazily" as
PeerTube does (§4.6): the row keeps the origin's URL (a thumbnail's `file_url`, a playlist's
`thumbnail_url`); the first request of `/lazy-static/thumbnails/<file>` or `/lazy-static/previews/<file>`
fetches the image from the origin (address checked as every federation request, size and time
limited), keeps it under the usual storage path and marks a thumbnail row on disk, so later requests
are plain static files and the video's (the playlist's) deletion removes it.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import sqlalchemy as sa

from vidpub.db.models import Thumbnail, ThumbnailType, VideoPlaylist
from vidpub.federation.fetch import FetchError, download_file
from vidpub.storage import layout

log = logging.getLogger("vidpub.federation.images")

MAX_IMAGE_BYTES = 10 * 1024 * 1024
_locks: dict[str, asyncio.Lock] = {}


async def _download(config, url: str, destination: Path) -> None:
    await download_file(config, url, destination, max_bytes=MAX_IMAGE_BYTES, accept="image/*")


async def _origin_url(session, kind: int, filename: str) -> tuple[str | None, bool]:
    """(the origin's URL of the image, whether it is a video's thumbnail row)."""
    url = (await session.execute(sa.select(Thumbnail.file_url).where(
        Thumbnail.filename == filename, Thumbnail.type == kind, Thumbnail.file_url.is_not(None)))).scalar_one_or_none()
    if url is not None or kind != ThumbnailType.MINIATURE:
        return url, True
    url = (await session.execute(sa.select(VideoPlaylist.thumbnail_url).where(
        VideoPlaylist.thumbnail_filename == filename))).scalar_one_or_none()
    return url, False


async def fetch_remote_thumbnail(runtime, kind: int, filename: str) -> bool:
    """Fetch the remote image of the thumbnail row named `filename` (MINIATURE or PREVIEW) into
    storage; True when it is now on disk. Unknown names and unreachable origins give False."""
    config = runtime.config
    place = layout.preview_path if kind == ThumbnailType.PREVIEW else layout.thumbnail_path
    destination = place(config, filename)
    lock = _locks.setdefault(filename, asyncio.Lock())
    try:
        async with lock:  # one download per file however many viewers ask at once
            if destination.exists():
                return True
            async with runtime.db.session(write=False) as session:
                url, of_thumbnail_row = await _origin_url(session, kind, filename)
            if url is None:
                return False
            try:
                await _download(config, url, destination)
            except FetchError as error:
                log.info("remote image %s not fetched: %s", url[:200], error)
                return False
            if of_thumbnail_row:
                async with runtime.db.transaction() as session:
                    await session.execute(sa.update(Thumbnail).where(Thumbnail.filename == filename)
                                          .values(on_disk=True))
            return True
    finally:
        if not lock.locked():
            _locks.pop(filename, None)
