"""Benchmark 7(a): the one-decode ladder against PeerTube's model, on the same source and settings.

- The source: a generated 1080p30 clip shaped like a camera upload (moving test pattern with film
  grain, H.264 High at ~12 Mbit/s, AAC stereo), `--seconds` long (20).
- The ladder: PeerTube's rules with every resolution up to 1080p enabled (1080, 720, 480, 360, 240,
  144), HLS as in PeerTube's default configuration, x264 `veryfast` at PeerTube's bitrate targets,
  `transcoding.threads` (1) per encoder.
- (a) Vidpub: one ffmpeg process decodes the source once and encodes all six renditions
  (`media/transcode.py`, the command the `video-transcoding` job runs).
- (b) PeerTube's model: one ffmpeg process per resolution, each decoding the whole source again,
  with exactly the same per-rendition encoder options and outputs.

Both run without niceness, one after the other, `--repeat` times (alternating which goes first).
Measured: wall time, and CPU time of the ffmpeg processes (their user + system time, from
`getrusage(RUSAGE_CHILDREN)`). The issue's target: (a) uses at most 0.75x the CPU time of (b).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from vidpub.media import transcode
from vidpub.media.ffmpeg import ffmpeg_binary
from vidpub.media.ladder import plan_ladder
from vidpub.media.probe import probe

TARGET_RATIO = 0.75
LADDER = {"resolutions": {f"{r}p": True for r in (144, 240, 360, 480, 720, 1080)},
          "always_transcode_original_resolution": True, "fps": {"max": 60},
          "hls": {"split_audio_and_video": False}}


def make_source(path: Path, seconds: float) -> Path:
    """A camera-like 1080p upload: grain makes the encoder (and the decoder) work as on real footage."""
    subprocess.run([
        ffmpeg_binary(None), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={seconds}",
        "-vf", "noise=alls=10:allf=t+u", "-c:v", "libx264", "-preset", "faster", "-profile:v", "high",
        "-b:v", "12M", "-maxrate", "12M", "-bufsize", "24M", "-g", "60", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-b:a", "128k", "-shortest", str(path)], check=True)
    return path


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def plan(source: Path, workdir: Path, threads: int) -> transcode.TranscodeJob:
    probed = probe(source)
    ladder = plan_ladder(probed, LADDER, keyframe_interval=transcode.keyframe_interval(source))
    outputs = transcode.plan_outputs(ladder, workdir, hls=True, web_videos=False)
    return transcode.TranscodeJob(input_path=source, ladder=ladder, outputs=outputs, duration=probed.duration,
                                  threads=threads)


async def one_decode(job: transcode.TranscodeJob) -> None:
    await transcode.transcode(ffmpeg_binary(None), job, nice=0)


async def per_resolution(job: transcode.TranscodeJob) -> None:
    """PeerTube's model: a job per resolution, each reading and decoding the source again."""
    for output in job.outputs:
        single = transcode.TranscodeJob(input_path=job.input_path, ladder=job.ladder, outputs=[output],
                                        duration=job.duration, threads=job.threads)
        await transcode.transcode(ffmpeg_binary(None), single, nice=0)


def measure(name: str, runner, source: Path, scratch: Path, threads: int) -> dict:
    workdir = scratch / name
    shutil.rmtree(workdir, ignore_errors=True)
    job = plan(source, workdir, threads)
    cpu_before, wall_before = children_cpu(), time.perf_counter()
    asyncio.run(runner(job))
    wall, cpu = time.perf_counter() - wall_before, children_cpu() - cpu_before
    outputs = sorted((o.resolution, o.hls_fragmented.stat().st_size) for o in job.outputs)
    shutil.rmtree(workdir, ignore_errors=True)
    return {"model": name, "wall_s": wall, "cpu_s": cpu, "renditions": [r for r, _ in outputs],
            "bytes": sum(size for _, size in outputs)}


def run(args: argparse.Namespace) -> dict:
    scratch = Path(tempfile.mkdtemp(prefix="vidpub-bench-transcoding-"))
    try:
        print(f"\ntranscoding: generating a {args.seconds:g} s 1080p30 source ...", flush=True)
        source = make_source(scratch / "source.mp4", args.seconds)
        probed = probe(source)
        runs = []
        for index in range(args.repeat):
            order = [("one-decode", one_decode), ("per-resolution", per_resolution)]
            for name, runner in (order if index % 2 == 0 else order[::-1]):
                print(f"  {name} (run {index + 1}/{args.repeat}) ...", flush=True)
                runs.append(measure(name, runner, source, scratch, args.threads))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    summary = {}
    for name in ("one-decode", "per-resolution"):
        mine = [r for r in runs if r["model"] == name]
        summary[name] = {"wall_s": sum(r["wall_s"] for r in mine) / len(mine),
                         "cpu_s": sum(r["cpu_s"] for r in mine) / len(mine),
                         "renditions": mine[0]["renditions"]}
    cpu_ratio = summary["one-decode"]["cpu_s"] / summary["per-resolution"]["cpu_s"]
    wall_ratio = summary["one-decode"]["wall_s"] / summary["per-resolution"]["wall_s"]
    result = {"source": {"seconds": args.seconds, "size": f"{probed.width}x{probed.height}",
                         "fps": probed.fps, "video_bitrate": probed.video_bitrate, "bytes": probed.size},
              "threads": args.threads, "repeat": args.repeat, "runs": runs, "summary": summary,
              "cpu_ratio": cpu_ratio, "wall_ratio": wall_ratio, "target_cpu_ratio": TARGET_RATIO}
    print_summary(result)
    write(args, result)
    return result


def print_summary(result: dict) -> None:
    source = result["source"]
    print(f"\ntranscoding: {source['size']} {source['fps']:g} fps, {source['seconds']:g} s, "
          f"{(source['video_bitrate'] or 0) / 1e6:.1f} Mbit/s; ladder "
          f"{result['summary']['one-decode']['renditions'][::-1]} as HLS, x264 veryfast, "
          f"{result['threads']} thread(s) per encoder, mean of {result['repeat']} run(s)")
    print(f"{'model':<16} {'wall s':>8} {'cpu s':>8}")
    for name, row in result["summary"].items():
        print(f"{name:<16} {row['wall_s']:>8.2f} {row['cpu_s']:>8.2f}")
    verdict = "meets" if result["cpu_ratio"] <= TARGET_RATIO else "MISSES"
    print(f"one-decode / per-resolution: CPU {result['cpu_ratio']:.3f} "
          f"({verdict} the {TARGET_RATIO} target), wall {result['wall_ratio']:.3f}")


def write(args: argparse.Namespace, result: dict) -> Path:
    started = datetime.now(UTC)
    directory = args.results_dir
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"transcoding-{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    machine = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
               "ffmpeg": ffmpeg_binary(None)}
    path.write_text(json.dumps({"suite": "transcoding", "started": started.isoformat(), "machine": machine,
                                **result}, indent=2))
    print(f"results written to {path}")
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="transcoding: length of the 1080p source (20)")
    parser.add_argument("--repeat", type=int, default=1, help="transcoding: runs of each model, averaged (1)")
    parser.add_argument("--threads", type=int, default=1,
                        help="transcoding: x264 threads per encoder, as `transcoding.threads` (1)")
