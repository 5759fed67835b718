"""Reading a media file's properties with PyAV (FFmpeg's libraries): never by parsing ffmpeg's log."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import av


class UnreadableMedia(ValueError):
    """The file is not a media file FFmpeg can read (PeerTube: 422 'Video file unreadable.')."""


@dataclass
class ProbeResult:
    duration: float                     # seconds
    size: int
    format_name: str
    has_video: bool
    has_audio: bool
    width: int = 0                      # as displayed (rotation applied)
    height: int = 0
    fps: float = 0.0
    video_codec: str | None = None
    pix_fmt: str | None = None
    video_bitrate: int | None = None    # bits/s
    audio_codec: str | None = None
    audio_bitrate: int | None = None
    audio_channels: int | None = None
    audio_layout: str | None = None
    rotation: int = 0
    chapters: list[dict[str, Any]] = field(default_factory=list)  # {timecode, title}
    metadata: dict[str, Any] = field(default_factory=dict)        # ffprobe-like streams/format

    @property
    def resolution(self) -> int:
        """PeerTube's resolution: the smaller dimension (height of landscape, width of portrait)."""
        return min(self.width, self.height) if self.has_video else 0

    @property
    def is_portrait(self) -> bool:
        return self.height > self.width

    @property
    def aspect_ratio(self) -> float | None:
        return round(self.width / self.height, 4) if self.has_video and self.height else None


def _rate(value) -> float:
    if value is None:
        return 0.0
    try:
        number = float(Fraction(value)) if not isinstance(value, (int, float)) else float(value)
    except (ValueError, ZeroDivisionError, TypeError):
        return 0.0
    return number if math.isfinite(number) else 0.0


def _rotation(stream) -> int:
    for data in getattr(stream, "side_data", None) or []:
        rotation = getattr(data, "rotation", None)
        if rotation is not None:
            return int(round(rotation)) % 360
    try:
        return int(stream.metadata.get("rotate", 0)) % 360
    except (TypeError, ValueError):
        return 0


def probe(path: str | Path) -> ProbeResult:
    path = Path(path)
    try:
        container = av.open(str(path), metadata_errors="ignore")
    except (av.FFmpegError, OSError, ValueError) as exc:
        raise UnreadableMedia(str(exc)) from exc
    with container:
        video = next((s for s in container.streams.video
                      if not (s.disposition & av.stream.Disposition.attached_pic)), None)
        audio = next(iter(container.streams.audio), None)
        if video is None and audio is None:
            raise UnreadableMedia("no audio or video stream")
        duration = container.duration / av.time_base if container.duration else 0.0
        if not duration:
            stream = video or audio
            if stream.duration and stream.time_base:
                duration = float(stream.duration * stream.time_base)
        result = ProbeResult(
            duration=max(0.0, duration), size=path.stat().st_size, format_name=container.format.name,
            has_video=video is not None, has_audio=audio is not None)
        streams = []
        if video is not None:
            ctx = video.codec_context
            rotation = _rotation(video)
            width, height = ctx.width or 0, ctx.height or 0
            if rotation in (90, 270):
                width, height = height, width
            if not width or not height:
                raise UnreadableMedia("video stream without dimensions")
            result.width, result.height, result.rotation = width, height, rotation
            result.fps = _rate(video.average_rate) or _rate(video.guessed_rate) or _rate(video.base_rate)
            result.video_codec = ctx.name
            result.pix_fmt = ctx.format.name if ctx.format else None
            result.video_bitrate = ctx.bit_rate or video.bit_rate or None
            streams.append({"index": video.index, "codec_type": "video", "codec_name": ctx.name,
                            "width": ctx.width, "height": ctx.height, "pix_fmt": result.pix_fmt,
                            "r_frame_rate": str(video.average_rate or video.guessed_rate or ""),
                            "avg_frame_rate": str(video.average_rate or ""),
                            "bit_rate": result.video_bitrate, "rotation": rotation})
        if audio is not None:
            ctx = audio.codec_context
            result.audio_codec = ctx.name
            result.audio_bitrate = ctx.bit_rate or audio.bit_rate or None
            result.audio_channels = ctx.channels
            result.audio_layout = ctx.layout.name if ctx.layout else None
            streams.append({"index": audio.index, "codec_type": "audio", "codec_name": ctx.name,
                            "channels": ctx.channels, "channel_layout": result.audio_layout,
                            "sample_rate": ctx.sample_rate, "bit_rate": result.audio_bitrate})
        result.chapters = _chapters(container)
        result.metadata = {
            "streams": streams,
            "format": {"filename": path.name, "format_name": container.format.name,
                       "duration": result.duration, "size": result.size,
                       "bit_rate": container.bit_rate or None, "nb_streams": len(container.streams)},
            "chapters": [{"start_time": c["timecode"], "tags": {"title": c["title"]}} for c in result.chapters],
        }
    return result


def _chapters(container) -> list[dict[str, Any]]:
    chapters = []
    for chapter in container.chapters() if callable(getattr(container, "chapters", None)) else []:
        start = float(chapter["start"] * chapter["time_base"]) if isinstance(chapter, dict) else 0
        title = (chapter.get("metadata") or {}).get("title", "") if isinstance(chapter, dict) else ""
        chapters.append({"timecode": int(start), "title": str(title)[:100]})
    return chapters
