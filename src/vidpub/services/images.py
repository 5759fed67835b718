"""Uploaded actor images (avatars and banners): checked by content, cleaned, cut to PeerTube's sizes.

Files are written first under random names, then the rows are swapped in one transaction: if the
transaction fails the new files are removed, and the previous files are removed only once it has
committed. A failure therefore leaves neither a row without a file nor a file of a new upload.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
import warnings
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import IO, Any

import sqlalchemy as sa
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Actor, ActorImage, ActorImageType
from vidpub.errors import ProblemError

log = logging.getLogger("vidpub.images")

ACTOR_IMAGE_EXTENSIONS = [".png", ".jpeg", ".jpg", ".gif", ".webp"]
ACTOR_IMAGE_MAX_BYTES = 4 * 1024 * 1024
AVATAR_SIZES = ((1500, 1500), (600, 600), (120, 120), (48, 48))
BANNER_SIZES = ((1920, 317), (600, 100))
SIZES = {ActorImageType.AVATAR: AVATAR_SIZES, ActorImageType.BANNER: BANNER_SIZES}

# Pillow format → extension of the files we write (the source format is kept)
_OUTPUT_EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "GIF": ".gif", "WEBP": ".webp"}
MIME_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
              ".webp": "image/webp"}
# a small file can still decode to a huge bitmap: refuse beyond this many source pixels
MAX_SOURCE_PIXELS = 40_000_000
# animations are kept while all their resized frames fit in this many pixels, else the first frame is used
ANIMATION_PIXEL_BUDGET = 30_000_000


def unsupported_image(field: str, filename: str | None) -> ProblemError:
    message = ("This file is not supported or too large. Please, make sure it is of the following type: "
               + ", ".join(ACTOR_IMAGE_EXTENSIONS))
    return ProblemError(400, message, **{"invalid-params": {field: {
        "location": "body", "msg": message, "param": field, "value": filename}}})


def image_too_large(max_bytes: int) -> ProblemError:
    return ProblemError(413, f"The image is larger than the maximum of {max_bytes} bytes",
                        "max_file_size_reached", headers={"X-File-Maximum-Size": str(max_bytes)})


@dataclass(frozen=True)
class RenderedImage:
    filename: str
    width: int
    height: int


# -- Pillow work (runs in a thread) ----------------------------------------------------------------

def _bitmap(frame: Image.Image) -> Image.Image:
    return frame if frame.mode in ("RGB", "RGBA", "L") else frame.convert("RGBA")


def _fit(frame: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Centre-crop to the target ratio and resize; the result carries no metadata at all."""
    out = ImageOps.fit(_bitmap(frame), size, Image.Resampling.LANCZOS)
    out.info = {}
    return out


def _frames(source: Image.Image, size: tuple[int, int]) -> tuple[list[Image.Image], list[int]]:
    count = getattr(source, "n_frames", 1)
    if count > 1 and count * size[0] * size[1] <= ANIMATION_PIXEL_BUDGET:
        frames, durations = [], []
        for frame in ImageSequence.Iterator(source):
            durations.append(int(frame.info.get("duration") or 100))
            frames.append(_fit(frame, size))
        return frames, durations
    source.seek(0)
    return [_fit(ImageOps.exif_transpose(source), size)], []


def _save(source: Image.Image, size: tuple[int, int], path: Path) -> None:
    frames, durations = _frames(source, size)
    fmt = source.format
    if fmt == "JPEG":
        frames[0].convert("RGB").save(path, "JPEG", quality=90, optimize=True)
    elif len(frames) > 1:
        frames[0].save(path, fmt, save_all=True, append_images=frames[1:], duration=durations,
                       loop=int(source.info.get("loop", 0)), **({"disposal": 2} if fmt == "GIF" else {}))
    else:
        frames[0].save(path, fmt)


def render_actor_image(stream: IO[bytes], original_name: str | None, field: str, sizes, directory: Path,
                       ) -> list[RenderedImage]:
    """Decode `stream`, refuse anything but the allowed formats, write one cropped file per size."""
    extension = PurePath(original_name or "").suffix.lower()
    if extension and extension not in ACTOR_IMAGE_EXTENSIONS:
        raise unsupported_image(field, original_name)
    written: list[Path] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream, formats=list(_OUTPUT_EXTENSIONS)) as source:
                if source.width * source.height > MAX_SOURCE_PIXELS:
                    raise unsupported_image(field, original_name)
                source.load()
                directory.mkdir(parents=True, exist_ok=True)
                out = []
                for width, height in sizes:
                    path = directory / f"{uuid.uuid4()}{_OUTPUT_EXTENSIONS[source.format]}"
                    written.append(path)
                    _save(source, (width, height), path)
                    out.append(RenderedImage(path.name, width, height))
                return out
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning,
            OSError, SyntaxError, ValueError) as exc:
        _remove(written)
        log.info("refused an uploaded image (%s): %s", field, exc)
        raise unsupported_image(field, original_name) from None
    except BaseException:
        _remove(written)
        raise


def _remove(paths) -> None:
    for path in paths:
        try:
            Path(path).unlink(missing_ok=True)
        except OSError:
            log.warning("could not remove %s", path)


# -- use cases -------------------------------------------------------------------------------------

InTransaction = Callable[[AsyncSession], Awaitable[Any]]


async def replace_actor_images(session: AsyncSession, config: Config, actor_id: int, image_type: int,
                               stream: IO[bytes], original_name: str | None, field: str, *,
                               same_transaction: InTransaction | None = None) -> Any:
    """Give the actor a new set of images of `image_type` from an upload. `same_transaction` runs
    just before the commit (e.g. to tell other processes about an instance change); its result is
    returned."""
    directory = config.storage_path("avatars")
    rendered = await asyncio.to_thread(render_actor_image, stream, original_name, field, SIZES[image_type],
                                       directory)
    new_paths = [directory / image.filename for image in rendered]
    try:
        old_files = await _delete_rows(session, actor_id, image_type)
        session.add_all([ActorImage(actor_id=actor_id, type=image_type, filename=image.filename,
                                    width=image.width, height=image.height, on_disk=True)
                         for image in rendered])
        result = await same_transaction(session) if same_transaction is not None else None
        await session.commit()
    except BaseException:
        await session.rollback()
        _remove(new_paths)
        raise
    _remove(directory / name for name in old_files)
    return result


async def delete_actor_images(session: AsyncSession, config: Config, actor_id: int, image_type: int, *,
                              same_transaction: InTransaction | None = None) -> Any:
    old_files = await _delete_rows(session, actor_id, image_type)
    result = await same_transaction(session) if same_transaction is not None else None
    await session.commit()
    _remove(config.storage_path("avatars") / name for name in old_files)
    return result


async def _delete_rows(session: AsyncSession, actor_id: int, image_type: int) -> list[str]:
    # lock the actor so that two concurrent uploads cannot both keep their images
    await session.execute(sa.select(Actor.id).where(Actor.id == actor_id).with_for_update())
    rows = (await session.execute(sa.select(ActorImage.id, ActorImage.filename, ActorImage.on_disk).where(
        ActorImage.actor_id == actor_id, ActorImage.type == image_type))).all()
    if rows:
        await session.execute(sa.delete(ActorImage).where(ActorImage.id.in_([row.id for row in rows])))
    return [row.filename for row in rows if row.on_disk]
