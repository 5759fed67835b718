"""Benchmark 7(c): HLS byte-range segment requests, Vidpub against a minimal static file server.

One run, one file, the same requests for both servers:
- the file is a 60 s 720p HLS rendition made like PeerTube's (fragmented MP4, single file, 4 s
  segments, x264 at PeerTube's 720p average bitrate), placed in a fresh Vidpub's public HLS directory
  (`storage/streaming-playlists/hls/<uuid>/`);
- each request is `GET /static/streaming-playlists/hls/<uuid>/<file>` with the `Range` of one segment
  of its playlist (`#EXT-X-BYTERANGE`), picked at random — what a player sends — over N keep-alive
  connections for the measured duration (`bench.range_load`);
- the yardstick serves the same file from the same directory: Python's `http.server` with
  `socket.sendfile` (`bench.minimal_static_server`), always; and nginx (one worker, `sendfile on`)
  when an `nginx` binary is on the PATH, as a second row.

Reported: requests/s, MB/s of body, latency, and Vidpub's ratio to the `http.server` yardstick.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path

import httpx

from bench.instances import REPO_ROOT, running_server
from tests.support.postgres import free_port

CLIP_SECONDS = 60
CLIP_HEIGHT = 720
SEGMENT_SECONDS = 4
VIDEO_BITRATE = "3M"   # PeerTube's 720p average at 30 fps is ≈3.04 Mbit/s (peertube-internals §4.4)


@dataclass
class Rendition:
    directory: Path
    fragmented: Path
    ranges: list[tuple[int, int]]   # (offset, length) of each segment


def make_rendition(directory: Path) -> Rendition:
    """A fragmented-MP4 HLS rendition with PeerTube's muxing options and its byte ranges."""
    import imageio_ffmpeg

    directory.mkdir(parents=True, exist_ok=True)
    stem = f"{uuid.uuid4()}-{CLIP_HEIGHT}"
    fragmented, playlist = directory / f"{stem}-fragmented.mp4", directory / f"{stem}.m3u8"
    width = CLIP_HEIGHT * 16 // 9
    subprocess.run([
        imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
        "-f", "lavfi", "-i", f"testsrc2=size={width}x{CLIP_HEIGHT}:rate=30:duration={CLIP_SECONDS}",
        "-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=48000:duration={CLIP_SECONDS}",
        "-c:v", "libx264", "-preset", "veryfast", "-b:v", VIDEO_BITRATE, "-maxrate", VIDEO_BITRATE,
        "-bufsize", "6M", "-g", "60", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "128k",
        "-f", "hls", "-hls_time", str(SEGMENT_SECONDS), "-hls_list_size", "0", "-hls_playlist_type", "vod",
        "-hls_segment_type", "fmp4", "-hls_flags", "single_file", "-hls_segment_filename", str(fragmented),
        str(playlist)], check=True)
    ranges = [(int(offset), int(length)) for length, offset in
              re.findall(r"#EXT-X-BYTERANGE:(\d+)@(\d+)", playlist.read_text())]
    if not ranges:
        raise RuntimeError(f"ffmpeg wrote no byte ranges in {playlist}")
    return Rendition(directory, fragmented, ranges)


@contextlib.contextmanager
def minimal_server(directory: Path):
    """(port, pid) of the minimal static file server serving `directory`."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.minimal_static_server", str(directory),
                                str(port)], cwd=REPO_ROOT)
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/missing", timeout=1)
                break
            time.sleep(0.1)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


NGINX_CONF = """worker_processes 1;
daemon off;
pid {work}/nginx.pid;
error_log {work}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 1000000;
    server {{
        listen 127.0.0.1:{port};
        location / {{ root {root}; default_type video/mp4; }}
    }}
}}
"""


@contextlib.contextmanager
def nginx_server(directory: Path, scratch: Path):
    """(port, pid) of nginx serving `directory` (its files in `scratch`); None without nginx."""
    binary = shutil.which("nginx")
    if binary is None:
        yield None
        return
    port = free_port()
    work = scratch / f"nginx-{port}"
    work.mkdir()
    (work / "nginx.conf").write_text(NGINX_CONF.format(work=work, port=port, root=directory))
    user = ["-g", "user root;"] if os.geteuid() == 0 else []  # workers must read the data dir
    process = subprocess.Popen([binary, "-p", str(work), "-c", str(work / "nginx.conf"), *user],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/missing", timeout=1)
                break
            time.sleep(0.1)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def check_answers(url: str, rendition: Rendition) -> None:
    """Both servers must answer a segment request with exactly the segment's bytes."""
    offset, length = rendition.ranges[len(rendition.ranges) // 2]
    response = httpx.get(url, headers={"Range": f"bytes={offset}-{offset + length - 1}"}, timeout=30)
    with rendition.fragmented.open("rb") as handle:
        handle.seek(offset)
        expected = handle.read(length)
    if response.status_code != 206 or response.content != expected:
        raise RuntimeError(f"{url} answered {response.status_code} with other bytes than the segment")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process and its live children (nginx's worker), from /proc."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
        total = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, ValueError, IndexError):
        return None
    return total + sum(cpu_seconds(int(child)) or 0 for child in children)


def load(port: int, path: str, rendition: Rendition, args: argparse.Namespace,
         pid: int | None = None) -> dict:
    """The range load on one server; with its `pid`, also the server's CPU time per request."""
    before = cpu_seconds(pid) if pid else None
    settings = {"host": "127.0.0.1", "port": port, "path": path, "ranges": rendition.ranges,
                "connections": args.connections, "duration": args.duration, "warmup": args.warmup}
    finished = subprocess.run([sys.executable, "-m", "bench.range_load", json.dumps(settings)], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=args.warmup + args.duration + 120)
    if finished.returncode != 0:
        raise RuntimeError(f"range load failed on {path}:\n{finished.stderr}")
    result = json.loads(finished.stdout)
    after = cpu_seconds(pid) if pid else None
    # the whole run, warm-up included, over the requests answered in the measured window: an upper
    # bound, comparable between servers since all run the same schedule
    total = result["requests"] * (args.warmup + args.duration) / args.duration
    result["server_cpu_us_per_request"] = (
        (after - before) / total * 1e6 if before is not None and after is not None and total else None)
    return result


def measure(args: argparse.Namespace) -> dict:
    video_uuid = str(uuid.uuid4())
    with running_server("sqlite", keep=args.keep) as server:
        hls_directory = server.data_dir / "storage" / "streaming-playlists" / "hls" / video_uuid
        print("  static files: making a 720p HLS rendition ...", file=sys.stderr, flush=True)
        rendition = make_rendition(hls_directory)
        path = f"/static/streaming-playlists/hls/{video_uuid}/{rendition.fragmented.name}"
        file_path = "/" + rendition.fragmented.name
        with (minimal_server(hls_directory) as (baseline_port, baseline_pid),
              nginx_server(hls_directory, server.workdir) as nginx):
            check_answers(server.url + path, rendition)
            check_answers(f"http://127.0.0.1:{baseline_port}{file_path}", rendition)
            print(f"  static files: Vidpub {path} ...", file=sys.stderr, flush=True)
            vidpub = load(server.port, path, rendition, args, server.process.pid)
            print("  static files: minimal static file server ...", file=sys.stderr, flush=True)
            baseline = load(baseline_port, file_path, rendition, args, baseline_pid)
            rows = [{**vidpub, "server": "vidpub"}, {**baseline, "server": "http.server + sendfile"}]
            if nginx is not None:
                check_answers(f"http://127.0.0.1:{nginx[0]}{file_path}", rendition)
                print("  static files: nginx ...", file=sys.stderr, flush=True)
                measured = load(nginx[0], file_path, rendition, args, nginx[1])
                rows.append({**measured, "server": "nginx (1 worker)"})
        size = rendition.fragmented.stat().st_size
    segment_sizes = [length for _, length in rendition.ranges]
    return {
        "file": {"size": size, "segments": len(segment_sizes),
                 "mean_segment_bytes": sum(segment_sizes) // len(segment_sizes)},
        "rows": rows,
        "ratio_req_per_s": vidpub["req_per_s"] / baseline["req_per_s"] if baseline["req_per_s"] else None,
        "ratio_mb_per_s": vidpub["mb_per_s"] / baseline["mb_per_s"] if baseline["mb_per_s"] else None,
        "ratio_server_cpu_per_request": (
            vidpub["server_cpu_us_per_request"] / baseline["server_cpu_us_per_request"]
            if vidpub["server_cpu_us_per_request"] and baseline["server_cpu_us_per_request"] else None),
    }


def print_report(result: dict, args: argparse.Namespace) -> None:
    file = result["file"]
    print(f"\nstatic files (HLS byte ranges): {args.connections} connections, {args.duration:g} s per "
          f"server; {file['segments']} segments of {file['mean_segment_bytes'] / 1e6:.2f} MB on average")
    print(f"{'server':<24}  {'req/s':>8}  {'MB/s':>8}  {'p50 ms':>7}  {'p99 ms':>7}  {'errors':>6}  "
          f"{'server cpu/req':>14}  {'client cpu':>10}")
    for row in result["rows"]:
        cpu = row.get("server_cpu_us_per_request")
        print(f"{row['server']:<24}  {row['req_per_s']:>8.1f}  {row['mb_per_s']:>8.1f}  "
              f"{row['p50_ms'] or 0:>7.2f}  {row['p99_ms'] or 0:>7.2f}  {row['errors']:>6}  "
              f"{(f'{cpu:.0f} us' if cpu else '-'):>14}  {row['client_cpu']:>10.0%}")
    if result["ratio_req_per_s"] is not None:
        print(f"Vidpub / http.server + sendfile: {result['ratio_req_per_s']:.2f} (req/s), "
              f"{result['ratio_mb_per_s']:.2f} (MB/s)")
    if result["ratio_server_cpu_per_request"] is not None:
        print(f"server CPU per request, Vidpub / http.server + sendfile: "
              f"{result['ratio_server_cpu_per_request']:.2f} (other load on the machine moves it less than "
              f"req/s)")
    for row in result["rows"]:
        if row["errors"]:
            print(f"  {row['server']}: answers {row['statuses']}, {row['transport_errors']} transport "
                  f"errors, {row['wrong_lengths']} bodies of the wrong length")


def write_result(args: argparse.Namespace, result: dict) -> Path:
    finished = datetime.now(UTC)
    document = {"benchmark": "static-files", "finished_at": finished.isoformat(timespec="seconds"),
                "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                            "cpus": os.cpu_count()},
                "settings": {"connections": args.connections, "duration_s": args.duration,
                             "warmup_s": args.warmup},
                **result}
    args.results_dir.mkdir(parents=True, exist_ok=True)
    path = args.results_dir / f"static-files-{finished:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def run(args: argparse.Namespace) -> dict:
    """Measure, print the table, write the JSON; returns the result."""
    result = measure(args)
    print_report(result, args)
    print(f"results written to {write_result(args, result)}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.static_files", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--warmup", type=float, default=1.0)
    parser.add_argument("--results-dir", type=Path, default=REPO_ROOT / "bench" / "results")
    parser.add_argument("--keep", action="store_true")
    run(parser.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
