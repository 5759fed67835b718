"""Video studio edits, one ffmpeg run per task: cut, add an intro or an outro, add a watermark.
Each task re-encodes the whole video at its own resolution and frame rate with the VOD settings;
the result is then transcoded into the ladder like a new upload."""

from __future__ import annotations

from pathlib import Path

from vidpub.media.ffmpeg import run_ffmpeg
from vidpub.media.ladder import Rendition, input_ratio, input_video_bitrate, max_audio_kbits, target_bitrate
from vidpub.media.probe import ProbeResult
from vidpub.media.transcode import VOD_NICENESS, video_encoder_args

WATERMARK_WIDTH_RATIO = 0.1     # of the video's width
WATERMARK_MARGIN_RATIO = 0.02   # from the top and right edges


def _rendition(video: ProbeResult) -> Rendition:
    fps = video.fps or 25
    bitrate = target_bitrate(video.resolution, input_ratio(video), fps, input_video_bitrate(video))
    audio_kbits = max_audio_kbits(video.audio_codec, video.audio_bitrate) if video.has_audio else -1
    return Rendition(resolution=video.resolution, fps=fps, has_video=True, has_audio=video.has_audio,
                     video_bitrate=bitrate, audio_kbits=audio_kbits)


def _encode(video: ProbeResult, threads: int, *, audio: bool) -> list[str]:
    rendition = _rendition(video)
    args = video_encoder_args(rendition, threads)
    if audio:
        args += ["-c:a", "aac", "-ac", "2"]
        if rendition.audio_kbits > 0:
            args += ["-b:a", f"{rendition.audio_kbits}k"]
    else:
        args += ["-an"]
    return args + ["-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4"]


def cut_arguments(source: Path, video: ProbeResult, destination: Path, start: int | None, end: int | None,
                  threads: int = 1) -> list[str]:
    args = []
    if start:
        args += ["-ss", str(start)]
    args += ["-i", str(source)]
    if end:
        args += ["-t", str(end - (start or 0))]
    args += ["-map", "0:v:0"] + (["-map", "0:a:0"] if video.has_audio else [])
    return args + _encode(video, threads, audio=video.has_audio) + [str(destination)]


def concat_arguments(source: Path, video: ProbeResult, other: Path, other_probe: ProbeResult,
                     destination: Path, *, other_first: bool, threads: int = 1) -> list[str]:
    """The video with another one before (intro) or after (outro) it, fitted to the video's frame
    size and rate; a side without sound gets silence."""
    width, height, fps = video.width, video.height, video.fps or 25
    fit = (f"scale={width}:{height}:force_original_aspect_ratio=decrease,"
           f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={fps:g},format=yuv420p")
    args = ["-i", str(source), "-i", str(other)]
    parts = [f"[0:v]{fit}[v0]", f"[1:v]{fit}[v1]"]
    audio_inputs = []
    for index, probed in ((0, video), (1, other_probe)):
        if probed.has_audio:
            parts.append(f"[{index}:a]aformat=sample_rates=48000:channel_layouts=stereo[a{index}]")
        else:
            parts.append(f"anullsrc=channel_layout=stereo:sample_rate=48000,"
                         f"atrim=duration={probed.duration:.3f}[a{index}]")
        audio_inputs.append(f"a{index}")
    order = [1, 0] if other_first else [0, 1]
    parts.append("".join(f"[v{i}][a{i}]" for i in order) + "concat=n=2:v=1:a=1[v][a]")
    args += ["-filter_complex", ";".join(parts), "-map", "[v]", "-map", "[a]"]
    return args + _encode(video, threads, audio=True) + [str(destination)]


def watermark_arguments(source: Path, video: ProbeResult, image: Path, destination: Path,
                        threads: int = 1) -> list[str]:
    width = max(2, int(video.width * WATERMARK_WIDTH_RATIO) // 2 * 2)
    margin_x = int(video.width * WATERMARK_MARGIN_RATIO)
    margin_y = int(video.height * WATERMARK_MARGIN_RATIO)
    graph = (f"[1:v]scale={width}:-2[mark];"
             f"[0:v][mark]overlay=x=main_w-overlay_w-{margin_x}:y={margin_y},format=yuv420p[v]")
    args = ["-i", str(source), "-i", str(image), "-filter_complex", graph, "-map", "[v]"]
    args += ["-map", "0:a:0"] if video.has_audio else []
    return args + _encode(video, threads, audio=video.has_audio) + [str(destination)]


async def run_task(binary: str, args: list[str]) -> None:
    await run_ffmpeg(binary, args, nice=VOD_NICENESS)
