"""Benchmark 7(b): a 1 GiB resumable upload over loopback, Vidpub against a minimal upload sink.

One run, one source file, the same chunks for both servers:
- the source is a real video (x264 + AAC) looped with stream copy to the upload size, so that Vidpub
  accepts it at the end (probe, thumbnails, torrent of the upload window);
- the client sends it as PeerTube's web client does (ngx-uploadx's dynamic chunk size: 1 MiB first,
  doubled after a chunk that took under 1 s, halved after one over 10 s, capped by
  `client.videos.resumable_upload.max_chunk_size` when the instance sets one), each chunk streamed
  from the file with its `Content-Range`;
- the yardstick takes the same chunks with Python's `http.server` writing them to disk and fsyncing
  (`bench.minimal_upload_sink`).
The server processes run no job workers (no transcoding of the gigabyte afterwards).

Reported: MB/s of the chunks (Vidpub's last chunk, which also creates the video, is reported
apart), and each server process's peak RSS growth during the upload, sampled every 20 ms from
`/proc` against its RSS just before the first request.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.instances import BENCH_CONFIG, REPO_ROOT, BenchServer, database_url
from tests.support.postgres import free_port

MiB = 1024 * 1024
READ_BLOCK = MiB
PATH = "/api/v1/videos/upload-resumable"


# -- the source ------------------------------------------------------------------------------------------

def make_source(directory: Path, size: int) -> Path:
    """A valid MP4 of about `size` bytes: a short high-bitrate clip repeated with stream copy."""
    import imageio_ffmpeg

    ffmpeg = imageio_ffmpeg.get_ffmpeg_exe()
    clip, source = directory / "clip.mp4", directory / "source.mp4"
    subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=30:duration=10",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=10",
                    "-c:v", "libx264", "-preset", "ultrafast", "-qp", "0", "-pix_fmt", "yuv420p",
                    "-c:a", "aac", "-shortest", str(clip)], check=True)
    subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-stream_loop", "-1", "-i", str(clip),
                    "-c", "copy", "-fs", str(size), "-movflags", "+faststart", str(source)], check=True)
    clip.unlink()
    return source


def make_warm_up(directory: Path) -> Path:
    import imageio_ffmpeg

    path = directory / "warm-up.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25:duration=2",
                    "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=2",
                    "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", str(path)], check=True)
    return path


# -- the client ------------------------------------------------------------------------------------------

class DynamicChunk:
    """ngx-uploadx's adaptive chunk size, which PeerTube's web client uses."""

    def __init__(self, maximum: int | None):
        self.size = MiB
        self.maximum = maximum or sys.maxsize

    def scale(self, seconds: float) -> None:
        if seconds < 1:
            self.size = min(self.maximum, self.size * 2)
        elif seconds > 10:
            self.size = max(1024, self.size // 2)


def file_part(path: Path, offset: int, length: int):
    with path.open("rb") as handle:
        handle.seek(offset)
        while length:
            block = handle.read(min(READ_BLOCK, length))
            if not block:
                return
            length -= len(block)
            yield block


@dataclass
class Transfer:
    chunks: list[dict] = field(default_factory=list)   # {first, size, seconds, status}
    answer: dict | None = None


def send_chunks(client: httpx.Client, url: str, path: Path, sizes: list[int] | None,
                maximum: int | None, before_last=None) -> Transfer:
    """PUT the whole file; `sizes` replays given chunk sizes, else they adapt as the web client's do."""
    total = path.stat().st_size
    chunking = DynamicChunk(maximum)
    transfer, first, index = Transfer(), 0, 0
    while first < total:
        size = min(sizes[index] if sizes else chunking.size, total - first)
        if first + size == total and before_last is not None:
            before_last()
        started = time.perf_counter()
        response = client.put(url, content=file_part(path, first, size), headers={
            "Content-Range": f"bytes {first}-{first + size - 1}/{total}", "Content-Length": str(size),
            "Content-Type": "application/octet-stream"})
        seconds = time.perf_counter() - started
        if response.status_code not in (200, 308):
            raise RuntimeError(f"chunk at {first} answered {response.status_code}: {response.text[:500]}")
        transfer.chunks.append({"first": first, "size": size, "seconds": seconds, "status": response.status_code})
        if response.status_code == 200 and response.content:
            transfer.answer = response.json()
        chunking.scale(seconds)
        first += size
        index += 1
    return transfer


# -- memory ----------------------------------------------------------------------------------------------

def rss_bytes(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system time of the process and of its finished children (ffmpeg for thumbnails)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


class RssSampler:
    def __init__(self, pid: int, interval: float = 0.02):
        self.pid, self.interval = pid, interval
        self.baseline = rss_bytes(pid)
        self.peak = self.marked_peak = self.baseline
        self.cpu_start = cpu_seconds(pid)
        self.cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(OSError, RuntimeError):
                self.peak = max(self.peak, rss_bytes(self.pid))
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.cpu = cpu_seconds(self.pid) - self.cpu_start

    def mark(self) -> None:
        """Remember the peak so far (the receiving phase, before the last chunk creates the video)."""
        self.peak = max(self.peak, rss_bytes(self.pid))
        self.marked_peak = self.peak

    @property
    def growth(self) -> int:
        return self.peak - self.baseline


# -- the two servers ---------------------------------------------------------------------------------------

@contextlib.contextmanager
def vidpub_server(keep: bool):
    """`bench.server` on SQLite without job workers (nothing transcodes the gigabyte afterwards)."""
    workdir = Path(tempfile.mkdtemp(prefix="vidpub-bench-uploads-"))
    try:
        with database_url("sqlite", workdir) as url:
            server = BenchServer(workdir, url, {**BENCH_CONFIG, "jobs": {**BENCH_CONFIG["jobs"], "in_process": False}})
            server.start()
            try:
                yield server
            finally:
                server.stop()
    finally:
        if keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def vidpub_run(server, http: httpx.Client, channel: int, maximum: int | None, source: Path, index: int) -> dict:
    os.sync()  # start with no dirty pages of earlier writes (the source, earlier runs) to flush
    with RssSampler(server.process.pid) as memory:
        started = time.perf_counter()
        transfer = upload(http, channel, source, f"upload benchmark {index}", maximum, memory.mark)
        elapsed = time.perf_counter() - started
    return {"server": "vidpub", "transfer": transfer, "elapsed": elapsed, "rss_baseline": memory.baseline,
            "rss_peak": memory.peak, "rss_growth": memory.growth,
            "rss_growth_receiving": memory.marked_peak - memory.baseline, "cpu_seconds": memory.cpu}


def upload(http: httpx.Client, channel: int, source: Path, name: str, maximum: int | None,
           before_last=None) -> Transfer:
    init = http.post(PATH, json={"name": name, "channelId": channel, "filename": source.name, "privacy": 1},
                     headers={"X-Upload-Content-Length": str(source.stat().st_size),
                              "X-Upload-Content-Type": "video/mp4"})
    if init.status_code != 201:
        raise RuntimeError(f"init answered {init.status_code}: {init.text}")
    transfer = send_chunks(http, init.headers["location"], source, None, maximum, before_last)
    if not transfer.answer or "video" not in transfer.answer:
        raise RuntimeError(f"the upload did not create a video: {transfer.answer}")
    return transfer


@contextlib.contextmanager
def sink_server(directory: Path):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "bench.minimal_upload_sink", str(directory), str(port)],
                               cwd=REPO_ROOT)
    try:
        deadline = time.time() + 20
        while time.time() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            time.sleep(0.1)
        yield process, port
    finally:
        process.terminate()
        process.wait(timeout=10)


def sink_run(process, http: httpx.Client, directory: Path, source: Path, sizes: list[int]) -> dict:
    target = directory / "upload.bin"
    target.unlink(missing_ok=True)
    os.sync()
    with RssSampler(process.pid) as memory:
        started = time.perf_counter()
        transfer = send_chunks(http, "/upload", source, sizes, None)
        elapsed = time.perf_counter() - started
    if target.stat().st_size != source.stat().st_size:
        raise RuntimeError(f"the sink stored {target.stat().st_size} bytes of {source.stat().st_size}")
    return {"server": "http.server sink", "transfer": transfer, "elapsed": elapsed, "rss_baseline": memory.baseline,
            "rss_peak": memory.peak, "rss_growth": memory.growth, "cpu_seconds": memory.cpu}


def best_of(runs: list[dict]) -> dict:
    """The fastest run's figures, with the largest memory growth seen in any run."""
    rows = [summarise(run) for run in runs]
    best = dict(max(rows, key=lambda row: row["mb_per_s"] or 0))
    best["rss_growth_mb"] = max(row["rss_growth_mb"] for row in rows)
    best["rss_growth_receiving_mb"] = max(row["rss_growth_receiving_mb"] for row in rows)
    best["runs_mb_per_s"] = [round(row["mb_per_s"] or 0, 1) for row in rows]
    return best


def summarise(run: dict) -> dict:
    chunks = run["transfer"].chunks
    data_chunks = chunks[:-1] if run["server"] == "vidpub" and len(chunks) > 1 else chunks
    data_bytes = sum(c["size"] for c in data_chunks)
    data_seconds = sum(c["seconds"] for c in data_chunks)
    total = sum(c["size"] for c in chunks)
    return {
        "server": run["server"], "chunks": len(chunks), "largest_chunk": max(c["size"] for c in chunks),
        "mb_per_s": data_bytes / data_seconds / 1e6 if data_seconds else None,
        "end_to_end_mb_per_s": total / run["elapsed"] / 1e6,
        "last_chunk_seconds": chunks[-1]["seconds"], "last_chunk_bytes": chunks[-1]["size"],
        "rss_baseline_mb": run["rss_baseline"] / 1e6, "rss_peak_mb": run["rss_peak"] / 1e6,
        "rss_growth_mb": run["rss_growth"] / 1e6,
        "rss_growth_receiving_mb": run.get("rss_growth_receiving", run["rss_growth"]) / 1e6,
        "server_cpu_seconds": run["cpu_seconds"],
        "chunk_sizes": [c["size"] for c in chunks],
        "chunk_seconds": [round(c["seconds"], 3) for c in chunks],
    }


def measure(args: argparse.Namespace) -> dict:
    """Vidpub and the sink take turns (`--upload-repeat` rounds, the sink replaying the chunk sizes
    of Vidpub's run): the disk's write-back state varies from run to run, the best round counts."""
    size = int(args.upload_mib * MiB)
    vidpub_runs, sink_runs = [], []
    with tempfile.TemporaryDirectory(prefix="vidpub-bench-upload-") as directory:
        workdir = Path(directory)
        print(f"  uploads: making a {args.upload_mib:g} MiB source video ...", file=sys.stderr, flush=True)
        source = make_source(workdir, size)
        warm_up = make_warm_up(workdir)
        (workdir / "sink").mkdir()
        with vidpub_server(args.keep) as server, sink_server(workdir / "sink") as (sink, sink_port):
            client = server.root
            channel = client.get("/api/v1/users/me").json()["videoChannels"][0]["id"]
            maximum = client.get("/api/v1/config").json()["client"]["videos"]["resumableUpload"]["maxChunkSize"]
            with httpx.Client(base_url=server.url, timeout=None,
                              headers={"Authorization": f"Bearer {client.token}"}) as vidpub_http, \
                    httpx.Client(base_url=f"http://127.0.0.1:{sink_port}", timeout=None) as sink_http:
                # one small upload first: what the first upload of a process loads once (codecs, image
                # and torrent code, query compilation) is not memory that grows with an upload
                upload(vidpub_http, channel, warm_up, "warm-up", maximum)
                for index in range(args.upload_repeat):
                    print(f"  uploads: round {index + 1}: Vidpub, then the sink ...", file=sys.stderr, flush=True)
                    vidpub_runs.append(vidpub_run(server, vidpub_http, channel, maximum, source, index))
                    sizes = [c["size"] for c in vidpub_runs[-1]["transfer"].chunks]
                    sink_runs.append(sink_run(sink, sink_http, workdir / "sink", source, sizes))
        file_size = source.stat().st_size
    rows = [best_of(vidpub_runs), best_of(sink_runs)]
    return {"file": {"size": file_size}, "max_chunk_size": maximum, "rows": rows,
            "ratio_mb_per_s": rows[0]["mb_per_s"] / rows[1]["mb_per_s"] if rows[1]["mb_per_s"] else None,
            "ratio_end_to_end": rows[0]["end_to_end_mb_per_s"] / rows[1]["end_to_end_mb_per_s"]}


def print_report(result: dict) -> None:
    print(f"\nuploads (resumable, loopback): {result['file']['size'] / MiB:.0f} MiB, chunks as PeerTube's web "
          f"client sizes them")
    print(f"{'server':<18}  {'chunks':>6}  {'largest':>9}  {'MB/s':>8}  {'e2e MB/s':>8}  {'last chunk s':>12}  "
          f"{'RSS MB':>7}  {'+MB recv':>8}  {'+MB all':>8}  {'cpu s':>6}")
    for row in result["rows"]:
        print(f"{row['server']:<18}  {row['chunks']:>6}  {row['largest_chunk'] / MiB:>6.0f}MiB  "
              f"{row['mb_per_s'] or 0:>8.1f}  {row['end_to_end_mb_per_s']:>8.1f}  {row['last_chunk_seconds']:>12.2f}  "
              f"{row['rss_baseline_mb']:>7.1f}  {row['rss_growth_receiving_mb']:>8.1f}  {row['rss_growth_mb']:>8.1f}  "
              f"{row['server_cpu_seconds']:>6.2f}")
    print("MB/s: chunk bytes / chunk time (Vidpub's last chunk, which creates the video, apart); "
          "+MB recv: peak RSS growth while receiving, +MB all: including the last chunk's processing; "
          "cpu s: server process CPU time for the whole upload")
    print(f"Vidpub / sink: {result['ratio_mb_per_s']:.2f} (chunk MB/s), {result['ratio_end_to_end']:.2f} "
          f"(end to end, Vidpub's including the creation of the video)")


def write_result(args: argparse.Namespace, result: dict) -> Path:
    finished = datetime.now(UTC)
    document = {"benchmark": "uploads", "finished_at": finished.isoformat(timespec="seconds"),
                "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                            "cpus": os.cpu_count()},
                "settings": {"upload_mib": args.upload_mib, "rounds": args.upload_repeat}, **result}
    args.results_dir.mkdir(parents=True, exist_ok=True)
    path = args.results_dir / f"uploads-{finished:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--upload-mib", type=float, default=1024.0, help="uploads: size of the file in MiB (1024)")
    parser.add_argument("--upload-repeat", type=int, default=3, help="uploads: rounds, the best counts (3)")


def run(args: argparse.Namespace) -> dict:
    result = measure(args)
    print_report(result)
    print(f"results written to {write_result(args, result)}")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.uploads", description=__doc__.splitlines()[0])
    parser.add_argument("--results-dir", type=Path, default=REPO_ROOT / "bench" / "results")
    parser.add_argument("--keep", action="store_true")
    add_arguments(parser)
    run(parser.parse_args(argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())
