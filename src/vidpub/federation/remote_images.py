"""Thumbnails and previews of remote videos, served "lazily" as PeerTube does (§4.6): the row keeps
the origin's URL (`file_url`, not on disk); the first request of `/lazy-static/thumbnails/<file>` or
`/lazy-static/previews/<file>` fetches the image from the origin (address checked as every federation
request, size and time limited), keeps it under the usual storage path and marks the row on disk,
so later requests are plain static files and the video's deletion removes it.
"""

from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path

import httpx
import sqlalchemy as sa

from vidpub.db.models import Thumbnail, ThumbnailType
from vidpub.federation.fetch import FetchError, check_url_allowed, http_client
from vidpub.storage import layout

log = logging.getLogger("vidpub.federation.images")

MAX_IMAGE_BYTES = 10 * 1024 * 1024
_locks: dict[str, asyncio.Lock] = {}


async def _download(config, url: str, destination: Path) -> None:
    await check_url_allowed(config, url)
    temporary = destination.with_name(destination.name + ".part")
    destination.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    try:
        async with http_client().stream("GET", url, headers={"Accept": "image/*"}) as response:
            if response.status_code != 200:
                raise FetchError(f"GET {url[:200]}: HTTP {response.status_code}", response.status_code)
            with temporary.open("wb") as out:
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > MAX_IMAGE_BYTES:
                        raise FetchError(f"image larger than {MAX_IMAGE_BYTES} bytes")
                    out.write(chunk)
        os.replace(temporary, destination)
    except httpx.HTTPError as error:
        raise FetchError(f"GET {url[:200]}: {type(error).__name__}") from None
    finally:
        temporary.unlink(missing_ok=True)


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
                url = (await session.execute(sa.select(Thumbnail.file_url).where(
                    Thumbnail.filename == filename, Thumbnail.type == kind,
                    Thumbnail.file_url.is_not(None)))).scalar_one_or_none()
            if url is None:
                return False
            try:
                await _download(config, url, destination)
            except FetchError as error:
                log.info("remote image %s not fetched: %s", url[:200], error)
                return False
            async with runtime.db.transaction() as session:
                await session.execute(sa.update(Thumbnail).where(Thumbnail.filename == filename)
                                      .values(on_disk=True))
            return True
    finally:
        if not lock.locked():
            _locks.pop(filename, None)
