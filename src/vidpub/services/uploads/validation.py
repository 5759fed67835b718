"""What may be uploaded (peertube-internals §3.3): extensions and MIME types by configuration, sizes,
and the images sent along with a video."""

from __future__ import annotations

from pathlib import Path, PurePath

from PIL import Image, UnidentifiedImageError

from vidpub.config import Config
from vidpub.errors import ProblemError, invalid_param

BASE_EXTENSIONS = (".mp4", ".webm", ".ogv")
ADDITIONAL_EXTENSIONS = (".ogg", ".mkv", ".mov", ".qt", ".mqv", ".m4v", ".flv", ".f4v", ".wmv", ".avi", ".3gp",
                         ".3gpp", ".3g2", ".3gpp2", ".nut", ".mts", ".ts", ".m2ts", ".mpv", ".m2v", ".m1v", ".mpg",
                         ".mpe", ".mpeg", ".vob", ".mxf")
AUDIO_EXTENSIONS = (".mp3", ".ogg", ".wma", ".wav", ".flac", ".aac", ".m4a", ".ac3")

BASE_MIME_TYPES = frozenset({"video/mp4", "video/webm", "video/ogg"})
# With additional extensions PeerTube also takes the generic type browsers send for unknown files.
ADDITIONAL_MIME_TYPES = frozenset({"application/octet-stream", "application/mxf", "application/x-matroska"})
AUDIO_MIME_TYPES = frozenset({"application/ogg"})

# No hard maximum in PeerTube's core; this is its ceiling for a partial (resumable) upload.
MAX_VIDEO_FILE_SIZE = 50 * 1024**3

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".webp")
IMAGE_MAX_BYTES = 8 * 1024 * 1024   # CONSTRAINTS_FIELDS.VIDEOS.IMAGE.FILE_SIZE
IMAGE_MAX_PIXELS = 40_000_000


def allows_additional(config: Config) -> bool:
    return bool(config.transcoding.enabled and config.transcoding.allow_additional_extensions)


def allows_audio(config: Config) -> bool:
    return bool(config.transcoding.enabled and config.transcoding.allow_audio_files)


def allowed_extensions(config: Config) -> list[str]:
    extensions = list(BASE_EXTENSIONS)
    if allows_additional(config):
        extensions += ADDITIONAL_EXTENSIONS
    if allows_audio(config):
        extensions += [ext for ext in AUDIO_EXTENSIONS if ext not in extensions]
    return extensions


def mime_allowed(config: Config, mime: str) -> bool:
    mime = mime.split(";", 1)[0].strip().lower()
    if mime in BASE_MIME_TYPES:
        return True
    if allows_additional(config) and (mime.startswith("video/") or mime in ADDITIONAL_MIME_TYPES):
        return True
    return allows_audio(config) and (mime.startswith("audio/") or mime in AUDIO_MIME_TYPES)


def unsupported_file(config: Config) -> ProblemError:
    return ProblemError(415, "This file is not supported. Please, make sure it is of the following type: "
                             + ", ".join(allowed_extensions(config)))


def check_video_file_type(config: Config, filename: str | None, mime: str | None) -> None:
    """415 unless both the file name's extension and the MIME type are on the allow-list."""
    extension = PurePath(filename or "").suffix.lower()
    if extension not in allowed_extensions(config) or not mime or not mime_allowed(config, mime):
        raise unsupported_file(config)


def file_too_large() -> ProblemError:
    return ProblemError(413, f"The video file is larger than the maximum of {MAX_VIDEO_FILE_SIZE} bytes",
                        "max_file_size_reached", headers={"X-File-Maximum-Size": str(MAX_VIDEO_FILE_SIZE)})


def parse_declared_size(value: str | None, header: str) -> int:
    """A byte count announced by the client: 400 when missing or not a number, 413 past the ceiling."""
    if value is None or not value.strip().isdigit():
        raise invalid_param(header, value, "Should have the file size in bytes", "headers")
    size = int(value.strip())
    if size == 0:
        raise invalid_param(header, value, "The video file is empty", "headers")
    if size > MAX_VIDEO_FILE_SIZE:
        raise file_too_large()
    return size


def check_filename(filename: str | None, field: str = "filename") -> str:
    name = PurePath((filename or "").replace("\\", "/")).name.strip()
    if not name or len(name) > 255 or "\x00" in name:
        raise invalid_param(field, filename, "Should have a valid file name")
    return name


def unsupported_image(field: str, filename: str | None) -> ProblemError:
    message = ("This image is not supported or too large. Please, make sure it is of the following type: "
               + ", ".join(IMAGE_EXTENSIONS))
    return invalid_param(field, filename, message)


def check_image(path: Path, filename: str | None, field: str) -> None:
    """A `thumbnailfile`/`previewfile`: allowed extension, at most 8 MB, and really an image."""
    if PurePath(filename or "").suffix.lower() not in IMAGE_EXTENSIONS:
        raise unsupported_image(field, filename)
    if path.stat().st_size > IMAGE_MAX_BYTES or path.stat().st_size == 0:
        raise unsupported_image(field, filename)
    try:
        with Image.open(path) as image:
            if image.width * image.height > IMAGE_MAX_PIXELS:
                raise unsupported_image(field, filename)
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unsupported_image(field, filename) from None
