"""Real media files for tests, generated with the same ffmpeg the server uses."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg


def ffmpeg() -> str:
    return imageio_ffmpeg.get_ffmpeg_exe()


def make_clip(path: Path, *, duration: float = 4, width: int = 640, height: int = 360, fps: int = 25,
              audio: bool = True, video: bool = True, video_codec: str = "libx264",
              audio_codec: str = "aac", extra: list[str] | None = None) -> Path:
    """A test pattern with a sine tone: `testsrc2` moves, so encoders and thumbnails have real work."""
    args = [ffmpeg(), "-hide_banner", "-loglevel", "error", "-y"]
    if video:
        args += ["-f", "lavfi", "-i", f"testsrc2=size={width}x{height}:rate={fps}:duration={duration}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={duration}"]
    if video:
        args += ["-c:v", video_codec, "-pix_fmt", "yuv420p"]
        if video_codec == "libx264":
            args += ["-preset", "ultrafast"]
    if audio:
        args += ["-c:a", audio_codec]
    args += (extra or []) + ["-shortest", str(path)]
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(args, check=True)
    return path


def make_image(path: Path, width: int = 1280, height: int = 720, color: str = "orange") -> Path:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (width, height), color).save(path)
    return path
