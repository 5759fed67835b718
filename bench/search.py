"""`--suites search`: the video list and the search on a large catalogue (issue 4's benchmark).

For each backend, a fresh server is seeded with `bench/seed.py` (100,000 published videos across 1,000
channels by default), then the usual closed-loop load runs on the trivial route, the front page
(`/api/v1/videos?count=15&sort=-publishedAt`), the default list (`/api/v1/videos`) and a two-word
search; once per count of API processes in `--search-processes` (the server restarts on the same
data: 1 is `make serve`'s shape, more is `listen.processes`). The table gives req/s, p50/p99 and the
ratio to the trivial route of the same server; the JSON goes to `bench/results/search-<UTC timestamp>.json`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import quote

from bench.instances import BACKENDS, REPO_ROOT, Unavailable, running_server
from bench.report import print_table
from bench.seed import TWO_WORD_SEARCH
from bench.server import TRIVIAL_PATH
from vidpub import __version__

ROUTES = ("/api/v1/videos?count=15&sort=-publishedAt", "/api/v1/videos",
          f"/api/v1/search/videos?search={quote(TWO_WORD_SEARCH)}")
SEED_TIMEOUT_S = 3600


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed-videos", type=int, default=100_000, help="videos seeded for --suites search")
    parser.add_argument("--seed-channels", type=int, default=1_000, help="channels seeded for --suites search")
    parser.add_argument("--search-processes", default=f"1,{os.cpu_count() or 1}" if (os.cpu_count() or 1) > 1 else "1",
                        help="comma-separated counts of API processes measured by --suites search (1,<cpus>)")


def seed(server, args: argparse.Namespace) -> str:
    url = server.config["database"]["url"]
    finished = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--database-url", url, "--base-url", server.url,
         "--videos", str(args.seed_videos), "--channels", str(args.seed_channels)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=SEED_TIMEOUT_S)
    if finished.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{finished.stderr[-3000:]}")
    return finished.stderr.strip().splitlines()[-1].strip()


def measure_backend(backend: str, args: argparse.Namespace, load: Callable) -> tuple[dict[str, list[dict]], str]:
    """{"<n> processes": rows} for each count of API processes, on one seeded catalogue."""
    counts = [int(count) for count in str(args.search_processes).split(",") if count.strip()]
    results = {}
    with running_server(backend, keep=args.keep) as server:
        print(f"  {backend}: seeding {args.seed_videos} videos ...", file=sys.stderr, flush=True)
        summary = seed(server, args)
        print(f"  {backend}: {summary}", file=sys.stderr, flush=True)
        for processes in counts:
            if processes != server.processes:
                server.stop()
                server.processes = processes
                server.start()
            label = f"{processes} process{'es' if processes > 1 else ''}"
            rows = []
            for path in (TRIVIAL_PATH, *ROUTES):
                print(f"  {backend}, {label}: {path} ...", file=sys.stderr, flush=True)
                rows.append(load(server, path, args, None))
            if any(row["errors"] for row in rows):
                print(f"  {backend}: some requests failed; server log tail:\n{server.log_tail(20)}", file=sys.stderr)
            baseline = rows[0]["req_per_s"] or None
            for row in rows:
                row["ratio_to_trivial"] = row["req_per_s"] / baseline if baseline else None
            results[label] = rows
    return results, summary


def run(args: argparse.Namespace, load: Callable) -> int:
    backends = BACKENDS if args.backend == "all" else (args.backend,)
    results, seeded, skipped = {}, {}, {}
    for backend in backends:
        try:
            results[backend], seeded[backend] = measure_backend(backend, args, load)
        except Unavailable as exc:
            skipped[backend] = str(exc)
            print(f"skipping {backend}: {exc}", file=sys.stderr)
            continue
        print(f"\n{backend}, seeded: {seeded[backend]}")
        for label, rows in results[backend].items():
            print_table(f"{backend}, {label}", rows, args)
    finished = datetime.now(UTC)
    document = {
        "vidpub_version": __version__, "finished_at": finished.isoformat(timespec="seconds"),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(), "cpus": os.cpu_count()},
        "settings": {"connections": args.connections, "duration_s": args.duration, "warmup_s": args.warmup,
                     "seed_videos": args.seed_videos, "seed_channels": args.seed_channels, "routes": list(ROUTES),
                     "api_processes": args.search_processes},
        "seeded": seeded, "backends": results, "skipped_backends": skipped,
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    path = args.results_dir / f"search-{finished:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    print(f"\nresults written to {path}")
    return 0 if results else 2
