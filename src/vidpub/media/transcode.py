"""The one-decode ladder: a single ffmpeg process decodes the source once and encodes every rendition.

PeerTube runs one ffmpeg per resolution and per format, each decoding the whole source again.
Here the decoded frames are `split` in one filter graph into a scaled branch per resolution, each
feeding its own libx264 encoder and its own HLS output (fragmented MP4, one byte-range file per
rendition). Web videos (progressive faststart MP4) are then remuxed from those files with
`-c copy` rather than encoded a second time; without HLS they are written directly instead.
"""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import av

from vidpub.media.ffmpeg import run_ffmpeg
from vidpub.media.ladder import PRESET, Ladder, Rendition
from vidpub.storage import layout

HLS_SEGMENT_SECONDS = 4
VOD_NICENESS = 15
KEYFRAME_SCAN_SECONDS = 20


@dataclass
class RenditionFiles:
    """Where one rendition is written (in the work directory, under its final file names)."""
    rendition: Rendition
    hls_playlist: Path | None = None     # <uuid>-<res>.m3u8
    hls_fragmented: Path | None = None   # <uuid>-<res>-fragmented.mp4
    web_video: Path | None = None        # <uuid>-<res>.mp4

    @property
    def resolution(self) -> int:
        return self.rendition.resolution


@dataclass
class TranscodeJob:
    input_path: Path
    ladder: Ladder
    outputs: list[RenditionFiles]
    duration: float
    threads: int = 1
    image_path: Path | None = None       # merge audio: the still image shown
    extra_input_args: list[str] = field(default_factory=list)

    @property
    def hls(self) -> bool:
        return any(o.hls_playlist for o in self.outputs)

    @property
    def web_videos(self) -> bool:
        return any(o.web_video for o in self.outputs)


def plan_outputs(ladder: Ladder, workdir: Path, *, hls: bool, web_videos: bool) -> list[RenditionFiles]:
    """File names (PeerTube's) of every rendition of the ladder, in `workdir`."""
    if not hls and not web_videos:
        raise ValueError("neither HLS nor web videos are enabled")
    outputs = []
    for rendition in ladder.renditions:
        files = RenditionFiles(rendition)
        if hls:
            playlist, fragmented = layout.hls_resolution_names(rendition.resolution)
            files.hls_playlist, files.hls_fragmented = workdir / playlist, workdir / fragmented
        # split-audio mode: the audio rendition exists for HLS only; web videos carry their audio
        if web_videos and not (ladder.split_audio and not rendition.has_video):
            files.web_video = workdir / layout.web_video_filename(rendition.resolution)
        if files.hls_playlist or files.web_video:
            outputs.append(files)
    return outputs


# -- the command ----------------------------------------------------------------------------------------

def frame_rate(fps: float) -> str:
    """A rate as ffmpeg takes it, exact for the NTSC rates a probe reports as floats (29.97... is
    30000/1001, not 2997/100, which would drop a frame every half minute)."""
    rate = Fraction(fps).limit_denominator(1001)
    return str(rate.numerator) if rate.denominator == 1 else f"{rate.numerator}/{rate.denominator}"


def _scale(resolution: int, portrait: bool) -> str:
    return f"scale=w={resolution}:h=-2" if portrait else f"scale=w=-2:h={resolution}"


def filter_graph(job: TranscodeJob) -> tuple[str, dict[int, str]]:
    """The filter graph: the decoded video split into one branch per encoded rendition.
    Returns the graph and the output label of each resolution."""
    ladder = job.ladder
    encoded = [o.rendition for o in job.outputs if o.rendition.has_video and not o.rendition.copy_video]
    if not encoded:
        return "", {}
    source = "[0:v:0]"
    labels = {r.resolution: f"v{r.resolution}" for r in encoded}
    parts = []
    if len(encoded) > 1:
        parts.append(f"{source}split={len(encoded)}" + "".join(f"[in{r.resolution}]" for r in encoded))
        inputs = {r.resolution: f"[in{r.resolution}]" for r in encoded}
    else:
        inputs = {encoded[0].resolution: source}
    for rendition in encoded:
        chain = []
        if rendition.fps != ladder.input_fps:
            chain.append(f"fps={frame_rate(rendition.fps)}")
        chain += [_scale(rendition.resolution, ladder.is_portrait), "format=yuv420p"]
        parts.append(f"{inputs[rendition.resolution]}{','.join(chain)}[{labels[rendition.resolution]}]")
    return ";".join(parts), labels


def video_encoder_args(rendition: Rendition, threads: int, still_image: bool = False) -> list[str]:
    """PeerTube's x264 VOD settings. Keyframes come exactly every 2 s (no scene-cut keyframes):
    every rendition then starts each 4 s HLS segment on a keyframe at the same instant, which is
    what a player switching renditions needs."""
    if rendition.copy_video:
        return ["-c:v", "copy"]
    gop = rendition.gop
    args = ["-c:v", "libx264", "-preset", PRESET, "-maxrate:v", str(rendition.video_bitrate),
            "-bufsize:v", str(rendition.video_bitrate * 2), "-b_strategy", "1", "-bf", "16",
            "-r", frame_rate(rendition.fps), "-g", str(gop), "-keyint_min", str(gop), "-sc_threshold", "0",
            "-pix_fmt", "yuv420p", "-threads", str(threads)]
    if still_image:
        args += ["-tune", "stillimage"]
    return args


def audio_encoder_args(rendition: Rendition) -> list[str]:
    if rendition.copy_audio:
        return ["-c:a", "copy"]
    args = ["-c:a", "aac", "-ac", "2"]  # stereo: other layouts break HLS playback in some browsers
    if rendition.audio_kbits != -1:
        args += ["-b:a", f"{rendition.audio_kbits}k"]
    return args


def hls_output_args(playlist: Path, fragmented: Path) -> list[str]:
    return ["-f", "hls", "-hls_time", str(HLS_SEGMENT_SECONDS), "-hls_list_size", "0",
            "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4", "-hls_flags", "single_file",
            "-hls_segment_filename", str(fragmented), str(playlist)]


def ffmpeg_arguments(job: TranscodeJob) -> list[str]:
    """One command line for the whole ladder."""
    ladder = job.ladder
    args: list[str] = []
    if ladder.merge_audio:
        if job.image_path is None:
            raise ValueError("merging audio needs an image")
        # the image looped for exactly the audio's length: video-only outputs would never end otherwise
        args += ["-loop", "1", "-framerate", frame_rate(ladder.input_fps), "-t", f"{job.duration:.3f}",
                 "-i", str(job.image_path)]
        audio_input = 1
    else:
        audio_input = 0
    args += [*job.extra_input_args, "-i", str(job.input_path)]
    graph, labels = filter_graph(job)
    if graph:
        args += ["-filter_complex", graph]
    direct_web = not job.hls
    for output in job.outputs:
        rendition = output.rendition
        if rendition.has_video:
            args += ["-map", "0:v:0" if rendition.copy_video else f"[{labels[rendition.resolution]}]"]
            args += video_encoder_args(rendition, job.threads, still_image=ladder.merge_audio)
        else:
            args += ["-vn"]
        if rendition.has_audio:
            args += ["-map", f"{audio_input}:a:0", *audio_encoder_args(rendition)]
        else:
            args += ["-an"]
        args += ["-max_muxing_queue_size", "1024", "-map_metadata", "-1", "-sn", "-dn"]
        if output.hls_playlist and output.hls_fragmented:
            args += hls_output_args(output.hls_playlist, output.hls_fragmented)
        elif direct_web and output.web_video:
            args += ["-movflags", "+faststart", "-f", "mp4", str(output.web_video)]
    return args


def remux_arguments(video_source: Path, destination: Path, audio_source: Path | None = None) -> list[str]:
    """A progressive faststart MP4 from fragmented MP4(s): packets copied, nothing re-encoded."""
    args = ["-i", str(video_source)]
    if audio_source is not None:
        args += ["-i", str(audio_source), "-map", "0:v:0", "-map", "1:a:0"]
    else:
        args += ["-map", "0"]
    return args + ["-c", "copy", "-map_metadata", "-1", "-movflags", "+faststart", "-f", "mp4",
                   str(destination)]


# -- running it ------------------------------------------------------------------------------------------

async def transcode(binary: str, job: TranscodeJob, *, nice: int = VOD_NICENESS,
                    timeout: float | None = None) -> None:
    """Produce every output of `job`: one decoding ffmpeg run, then copy-remuxes for web videos."""
    for output in job.outputs:
        for path in (output.hls_playlist, output.web_video):
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
    await run_ffmpeg(binary, ffmpeg_arguments(job), nice=nice, timeout=timeout)
    if not (job.hls and job.web_videos):
        return
    audio_rendition = next((o for o in job.outputs if not o.rendition.has_video), None)
    for output in job.outputs:
        if output.web_video is None:
            continue
        audio = None
        if job.ladder.split_audio and output.rendition.has_video and audio_rendition is not None:
            audio = audio_rendition.hls_fragmented
        await run_ffmpeg(binary, remux_arguments(output.hls_fragmented, output.web_video, audio),
                         nice=nice, timeout=timeout)


def keyframe_interval(path: Path, scan_seconds: float = KEYFRAME_SCAN_SECONDS) -> float | None:
    """The longest gap between keyframes in the first seconds of the video stream (packets are
    read, not decoded); None without a video stream."""
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.video:
                return None
            stream = container.streams.video[0]
            if stream.time_base is None:
                return None
            keyframes: list[float] = []
            last = 0.0
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                seconds = float(packet.pts * stream.time_base)
                last = max(last, seconds)
                if packet.is_keyframe:
                    keyframes.append(seconds)
                if seconds > scan_seconds:
                    break
    except (av.FFmpegError, OSError, ValueError):
        return None
    if not keyframes:
        return None
    keyframes.sort()
    gaps = [b - a for a, b in itertools.pairwise(keyframes)] + [last - keyframes[-1]]
    return max(gaps) if gaps else None


async def keyframe_interval_async(path: Path) -> float | None:
    return await asyncio.to_thread(keyframe_interval, path)
