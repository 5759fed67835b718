"""Thumbnails (miniature, 280x157) and previews (850x480) of a video, as PeerTube sizes them."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from PIL import Image, ImageOps

from vidpub.config import Config
from vidpub.media.ffmpeg import binary_for, run_ffmpeg

FRAMES_TO_ANALYZE = 50


def thumbnail_sizes(config: Config) -> tuple[tuple[int, int], tuple[int, int]]:
    """(miniature, preview) sizes from `thumbnails.sizes`."""
    sizes = [(int(s["width"]), int(s["height"])) for s in config.thumbnails.sizes]
    return sizes[0], sizes[1]


async def extract_frame(config: Config, video_path: Path, duration: float, destination: Path) -> None:
    """The most representative of ~50 frames around the middle (ffmpeg's `thumbnail` filter)."""
    start = max(0.0, duration / 2 - 1) if duration > 4 else 0.0
    await run_ffmpeg(binary_for(config), [
        "-ss", f"{start:.3f}", "-i", str(video_path), "-vf", f"thumbnail={FRAMES_TO_ANALYZE}",
        "-frames:v", "1", "-q:v", "2", str(destination)], nice=10, timeout=300)


def fit_image(source: Path, destination: Path, size: tuple[int, int]) -> tuple[int, int]:
    """Crop to the aspect ratio and resize to `size`, as JPEG; returns the final size."""
    with Image.open(source) as image:
        image = ImageOps.exif_transpose(image).convert("RGB")
        fitted = ImageOps.fit(image, size, Image.Resampling.LANCZOS)
        destination.parent.mkdir(parents=True, exist_ok=True)
        fitted.save(destination, "JPEG", quality=85, optimize=True)
        return fitted.size


async def generate_from_video(config: Config, video_path: Path, duration: float,
                              miniature: Path, preview: Path) -> None:
    """Write both images from one extracted frame."""
    (miniature_size, preview_size) = thumbnail_sizes(config)
    with tempfile.TemporaryDirectory(dir=config.storage_path("tmp")) as workdir:
        frame = Path(workdir) / "frame.jpg"
        await extract_frame(config, video_path, duration, frame)
        await asyncio.to_thread(fit_image, frame, miniature, miniature_size)
        await asyncio.to_thread(fit_image, frame, preview, preview_size)


async def generate_from_image(config: Config, image_path: Path, destination: Path, kind: str) -> tuple[int, int]:
    """An uploaded `thumbnailfile`/`previewfile` fitted to the miniature or preview size."""
    miniature_size, preview_size = thumbnail_sizes(config)
    return await asyncio.to_thread(fit_image, image_path, destination,
                                   miniature_size if kind == "miniature" else preview_size)
