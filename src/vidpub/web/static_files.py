"""Files served from disk: actor images under PeerTube's "lazy static" URLs.

Avatars and banners share one folder (`storage.avatars`), as in PeerTube. Only names that Vidpub
itself writes (a UUID and an image extension) are looked up, which rules out any path trickery.
"""

from __future__ import annotations

import re
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from vidpub.api.deps import ConfigDep
from vidpub.errors import not_found
from vidpub.services.images import MIME_TYPES

router = APIRouter(include_in_schema=False)

LAZY_STATIC_MAX_AGE_S = 2 * 24 * 3600
_IMAGE_NAME = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
                         r"\.(png|jpg|jpeg|gif|webp)$")


def _actor_image(directory: Path, filename: str) -> FileResponse:
    if not _IMAGE_NAME.fullmatch(filename):
        raise not_found("Image not found")
    path = directory / filename
    if not path.is_file():
        raise not_found("Image not found")
    return FileResponse(path, media_type=MIME_TYPES[path.suffix],
                        headers={"Cache-Control": f"public, max-age={LAZY_STATIC_MAX_AGE_S}"})


@router.get("/lazy-static/avatars/{filename}")
async def avatar(filename: str, config: ConfigDep):
    return _actor_image(config.storage_path("avatars"), filename)


@router.get("/lazy-static/banners/{filename}")
async def banner(filename: str, config: ConfigDep):
    return _actor_image(config.storage_path("avatars"), filename)
