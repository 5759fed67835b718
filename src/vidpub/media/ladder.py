"""Which renditions a video gets, and the encoder targets of each (peertube-internals §4.3, §4.4).

Pure functions of the probed input and the `transcoding` configuration: no I/O, so the rules are
unit-tested with PeerTube's own numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vidpub.media.probe import ProbeResult

AUDIO_ONLY = 0  # PeerTube's `VideoResolution.H_NOVIDEO`
# PeerTube's candidate order (it is also the order its per-resolution jobs are queued in)
CANDIDATE_ORDER = (0, 480, 360, 720, 240, 144, 1080, 1440, 2160)
VOD_RESOLUTIONS = (0, 144, 240, 360, 480, 720, 1080, 1440, 2160)

# An audio upload becomes a 480p video of its preview image at 25 fps ("merge audio").
MERGE_AUDIO_RESOLUTION = 480
MERGE_AUDIO_FPS = 25

GOP_SECONDS = 2
PRESET = "veryfast"
MAX_AUDIO_KBITS = 384

# bits per pixel of each resolution bucket: (average, max, min)
_BITS_PER_PIXEL = {
    2160: (0.08, 0.14, 0.02),
    1440: (0.09, 0.16, 0.02),
    1080: (0.10, 0.17, 0.02),
    720: (0.11, 0.19, 0.02),
    480: (0.12, 0.22, 0.02),
    360: (0.15, 0.26, 0.02),
    240: (0.17, 0.29, 0.02),
    144: (0.19, 0.32, 0.02),
    0: (0.0, 0.0, 0.0),
}
# when the formula gives 0 (audio-only): bits/s
_FALLBACK_BITRATE = {"average": 192_000, "max": 256_000, "min": 10_000}


# -- resolutions ---------------------------------------------------------------------------------------

def to_even(value: int) -> int:
    return value if value % 2 == 0 else value + 1


def enabled_resolutions(resolutions: Mapping[str, Any]) -> set[int]:
    """`transcoding.resolutions` as numbers: {'0p': False, '480p': True, ...} -> {480}."""
    return {r for r in VOD_RESOLUTIONS if resolutions.get(f"{r}p") is True}


def resolutions_to_transcode(input_resolution: int, enabled: set[int], *, include_input: bool,
                             strict_lower: bool, has_audio: bool) -> list[int]:
    """Enabled resolutions an input can give, never upscaling, in PeerTube's candidate order."""
    chosen: list[int] = []
    for resolution in CANDIDATE_ORDER:
        if resolution not in enabled or input_resolution < resolution:
            continue
        if strict_lower and input_resolution == resolution:
            continue
        if resolution == AUDIO_ONLY and not has_audio:
            continue
        chosen.append(resolution)
    if include_input and to_even(input_resolution) not in chosen:
        chosen.append(to_even(input_resolution))
    return chosen


def original_resolution(input_resolution: int, enabled: set[int], always_transcode_original: bool) -> int:
    """The top rendition: the input's own resolution (rounded to even) when
    `always_transcode_original_resolution`, else the highest enabled resolution the input allows."""
    if always_transcode_original:
        return to_even(input_resolution)
    candidates = resolutions_to_transcode(input_resolution, enabled, include_input=False,
                                          strict_lower=False, has_audio=True)
    if not candidates or candidates == [AUDIO_ONLY]:
        return to_even(input_resolution)
    return max(candidates)


# -- frame rates ----------------------------------------------------------------------------------------

def _closest_framerate(fps: float, choices: list[float]) -> float:
    """The biggest choice dividing the input rate (frames are then dropped evenly), else the choice
    leaving the smallest remainder (ties: the biggest)."""
    descending = sorted(set(choices), reverse=True)
    for choice in descending:
        if fps % choice == 0:
            return choice
    return min(descending, key=lambda choice: fps % choice)  # min keeps the first (biggest) of ties


def output_fps(input_fps: float, resolution: int, *, is_original: bool, max_fps: float) -> float:
    """PeerTube's rules: the top rendition keeps the source rate; renditions below 720p are brought
    to a standard rate (24/25/30) when above 30; nothing above `transcoding.fps.max` (then 50/60)."""
    if resolution == AUDIO_ONLY:
        return 0
    standard = [v for v in (24, 25, 30) if v <= max_fps] or [max_fps]
    hd_standard = [v for v in (50, 60, max_fps) if v <= max_fps]
    average = min(30, max_fps)
    fps = input_fps
    if not is_original and resolution < 720 and fps > average:
        fps = _closest_framerate(fps, standard)
    if fps < 0.1:
        raise ValueError(f"cannot transcode a video at {fps} fps")
    fps = max(fps, 1)
    if fps > max_fps:
        fps = _closest_framerate(fps, hd_standard)
    return fps


# -- bitrates -------------------------------------------------------------------------------------------

def _bucket(resolution: int) -> tuple[float, float, float]:
    for bucket in sorted(_BITS_PER_PIXEL, reverse=True):
        if bucket <= resolution:
            return _BITS_PER_PIXEL[bucket]
    return _BITS_PER_PIXEL[0]


def _theoretical(resolution: int, ratio: float, fps: float, index: int) -> int:
    other_side = resolution / ratio if 0 < ratio < 1 else resolution * ratio
    return math.floor(resolution * other_side * fps * _bucket(resolution)[index])


def average_bitrate(resolution: int, ratio: float, fps: float) -> int:
    return _theoretical(resolution, ratio, fps, 0) or _FALLBACK_BITRATE["average"]


def max_bitrate(resolution: int, ratio: float, fps: float) -> int:
    return _theoretical(resolution, ratio, fps, 1) or _FALLBACK_BITRATE["max"]


def min_bitrate(resolution: int, ratio: float, fps: float) -> int:
    return _theoretical(resolution, ratio, fps, 2) or _FALLBACK_BITRATE["min"]


def target_bitrate(resolution: int, ratio: float, fps: float, input_bitrate: int | None) -> int:
    """max(min theoretical, min(average theoretical, input + 30 %)): never more than the source had."""
    target = average_bitrate(resolution, ratio, fps)
    if input_bitrate:
        target = min(target, input_bitrate * 1.3)
    return int(max(min_bitrate(resolution, ratio, fps), target))


def max_audio_kbits(codec: str | None, bitrate: int | None) -> int:
    """The AAC bitrate cap in kbit/s, or -1: the AAC input may be copied as it is."""
    if not bitrate:
        return MAX_AUDIO_KBITS if codec == "flac" else 256
    if codec == "aac":
        return MAX_AUDIO_KBITS if bitrate > MAX_AUDIO_KBITS * 1000 else -1
    if codec == "flac":
        return MAX_AUDIO_KBITS
    return min(MAX_AUDIO_KBITS, round(bitrate / 1000))


# -- quick transcode ------------------------------------------------------------------------------------

def input_ratio(probe: ProbeResult) -> float:
    """PeerTube's ratio of an input: long side over short side (never below 1)."""
    if not probe.has_video or not probe.width or not probe.height:
        return 16 / 9
    return max(probe.width, probe.height) / min(probe.width, probe.height)


def input_video_bitrate(probe: ProbeResult) -> int | None:
    return probe.video_bitrate or (probe.metadata.get("format") or {}).get("bit_rate") or None


def can_copy_audio(probe: ProbeResult) -> bool:
    if not probe.has_audio:
        return True
    if probe.audio_codec != "aac" or not probe.audio_bitrate:
        return False
    if max_audio_kbits("aac", probe.audio_bitrate) != -1:
        return False
    return probe.audio_layout not in (None, "", "unknown", "quad")


def can_copy_video(probe: ProbeResult, max_fps: float, keyframe_interval: float | None) -> bool:
    """The input's video stream can be kept as is (PeerTube's quick transcode): H.264 yuv420p at a
    sane rate and bitrate. Vidpub also wants keyframes at least every 2 s, without which 4 s HLS
    segments cannot be cut (and rotated inputs, whose display matrix a copy would not apply)."""
    bitrate = input_video_bitrate(probe)
    if not probe.has_video or not bitrate or probe.rotation:
        return False
    if probe.video_codec != "h264" or probe.pix_fmt != "yuv420p":
        return False
    if probe.fps < 2 or probe.fps > max_fps:
        return False
    if bitrate > max_bitrate(probe.resolution, input_ratio(probe), probe.fps):
        return False
    return keyframe_interval is not None and keyframe_interval <= GOP_SECONDS + 0.01


# -- the plan -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rendition:
    resolution: int            # 0: audio only
    fps: float                 # 0 for audio only
    has_video: bool
    has_audio: bool
    video_bitrate: int = 0     # target (maxrate) in bits/s
    copy_video: bool = False
    copy_audio: bool = False
    audio_kbits: int = -1      # -1: encoder default (or copy)

    @property
    def gop(self) -> int:
        return max(1, round(self.fps * GOP_SECONDS))


@dataclass
class Ladder:
    renditions: list[Rendition]   # highest resolution first; the audio-only one last
    is_portrait: bool
    merge_audio: bool             # audio input: the video track is made from a still image
    split_audio: bool             # HLS: video renditions without audio + one audio rendition
    input_fps: float
    notes: list[str] = field(default_factory=list)

    @property
    def top(self) -> Rendition:
        return self.renditions[0]

    @property
    def video_renditions(self) -> list[Rendition]:
        return [r for r in self.renditions if r.has_video]


def plan_ladder(probe: ProbeResult, transcoding: Mapping[str, Any], *, split_audio: bool | None = None,
                keyframe_interval: float | None = None) -> Ladder:
    """Every rendition one transcoding run makes of this input, with its encoder targets."""
    enabled = enabled_resolutions(transcoding.get("resolutions") or {})
    max_fps = float((transcoding.get("fps") or {}).get("max") or 60)
    always_original = bool(transcoding.get("always_transcode_original_resolution", True))
    if split_audio is None:
        split_audio = bool((transcoding.get("hls") or {}).get("split_audio_and_video"))
    merge_audio = not probe.has_video
    if merge_audio and not probe.has_audio:
        raise ValueError("the input has neither audio nor video")
    split_audio = split_audio and probe.has_audio

    input_resolution = MERGE_AUDIO_RESOLUTION if merge_audio else probe.resolution
    source_fps = MERGE_AUDIO_FPS if merge_audio else probe.fps
    ratio = (850 / 480) if merge_audio else input_ratio(probe)
    bitrate_in = None if merge_audio else input_video_bitrate(probe)
    top_resolution = original_resolution(input_resolution, enabled, always_original)
    lower = resolutions_to_transcode(top_resolution, enabled, include_input=False, strict_lower=True,
                                     has_audio=probe.has_audio)
    lower = [r for r in lower if r <= input_resolution]

    audio_copy = probe.has_audio and can_copy_audio(probe)
    audio_kbits = -1
    if probe.has_audio and not audio_copy:
        audio_kbits = max_audio_kbits(probe.audio_codec, probe.audio_bitrate)
    video_audio = probe.has_audio and not split_audio

    def video_rendition(resolution: int, is_original: bool) -> Rendition:
        fps = output_fps(source_fps, resolution, is_original=is_original, max_fps=max_fps)
        copy = (is_original and not merge_audio and resolution == probe.resolution and fps == probe.fps
                and can_copy_video(probe, max_fps, keyframe_interval))
        return Rendition(resolution=resolution, fps=fps, has_video=True, has_audio=video_audio,
                         video_bitrate=target_bitrate(resolution, ratio, fps, bitrate_in), copy_video=copy,
                         copy_audio=audio_copy and video_audio,
                         audio_kbits=audio_kbits if video_audio else -1)

    renditions = [video_rendition(top_resolution, True)]
    lower_videos = sorted((r for r in lower if r != AUDIO_ONLY), reverse=True)
    renditions += [video_rendition(r, False) for r in lower_videos]
    if probe.has_audio and (split_audio or AUDIO_ONLY in lower):
        renditions.append(Rendition(resolution=AUDIO_ONLY, fps=0, has_video=False, has_audio=True,
                                    copy_audio=audio_copy, audio_kbits=audio_kbits))
    return Ladder(renditions=renditions, is_portrait=probe.is_portrait and not merge_audio,
                  merge_audio=merge_audio, split_audio=split_audio, input_fps=source_fps)


def scaled_size(width: int, height: int, resolution: int) -> tuple[int, int]:
    """The frame size ffmpeg's `scale=w=-2:h=<res>` (portrait: `w=<res>:h=-2`) gives."""
    if height > width:
        return resolution, max(2, round(height * resolution / width / 2) * 2)
    return max(2, round(width * resolution / height / 2) * 2), resolution
