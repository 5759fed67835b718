"""`GET /videos/{id}/source`: what the uploader sent (PeerTube's VideoSource)."""

from __future__ import annotations

from typing import Any

from vidpub.config import Config
from vidpub.db.models import VideoSource
from vidpub.schemas.common import ApiModel, Timestamp
from vidpub.schemas.video_files import ResolutionLabel, resolution_label
from vidpub.storage import layout


class VideoSourceDetails(ApiModel):
    inputFilename: str
    filename: str                       # the 7.0 spec's deprecated name of inputFilename, still documented
    resolution: ResolutionLabel | None
    size: int | None
    width: int | None
    height: int | None
    fps: float | None
    fileDownloadUrl: str | None         # only while the original is kept
    metadata: dict[str, Any] | None     # PeerTube 8: the file's probe (streams, format, chapters)
    createdAt: Timestamp


def video_source_details(config: Config, source: VideoSource) -> VideoSourceDetails:
    resolution = resolution_label(source.resolution) if source.resolution is not None else None
    download = (config.url + layout.original_file_download_url_path(source.kept_original_filename)
                if source.kept_original_filename else None)
    return VideoSourceDetails(
        inputFilename=source.input_filename, filename=source.input_filename, resolution=resolution,
        size=source.size, width=source.width, height=source.height, fps=source.fps, fileDownloadUrl=download,
        metadata=source.metadata_json, createdAt=source.created_at)
