"""`python -m bench` (`make bench`): throughput and latency of API routes on SQLite and PostgreSQL,
and the other suites (`--suites`).

    python -m bench [--duration 10] [--connections 20] [--backend sqlite|postgres|all]
                    [--routes /api/v1/config,/api/v1/videos,/api/v1/users/me] [--warmup 1]
                    [--suites api,static-files,transcoding,uploads,search,federation] [--seconds 20] [--repeat 1]
                    [--upload-mib 1024] [--seed-videos 100000] [--seed-channels 1000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bench import federation, search, transcoding, uploads
from bench.instances import BACKENDS, REPO_ROOT, Unavailable, running_server
from bench.report import print_table, write_results
from bench.server import TRIVIAL_PATH

DEFAULT_ROUTES = ("/api/v1/config", "/api/v1/videos", "/api/v1/users/me")
AUTHENTICATED_PREFIX = "/api/v1/users/me"   # routes measured as a logged-in root; the others anonymously
SUITES = ("api", "static-files",            # static-files: HLS byte ranges against a sendfile server
          "transcoding",                     # transcoding: the one-decode ladder against one ffmpeg per resolution
          "uploads",                         # uploads: a 1 GiB resumable upload against a minimal upload sink
          "search",                          # search: the video list and a two-word search on 100,000 videos
          "federation")                      # federation: one new video fanned out to 1,000 followers on 200 servers


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per route (10)")
    parser.add_argument("--connections", type=int, default=20, help="concurrent keep-alive connections (20)")
    parser.add_argument("--warmup", type=float, default=1.0,
                        help="seconds of unmeasured load before each route (1)")
    parser.add_argument("--backend", choices=(*BACKENDS, "all"), default="all")
    parser.add_argument("--routes", default=",".join(DEFAULT_ROUTES),
                        help="comma-separated paths; 'videos' is short for /api/v1/videos")
    parser.add_argument("--results-dir", type=Path, default=REPO_ROOT / "bench" / "results")
    parser.add_argument("--keep", action="store_true", help="keep the servers' data directories and logs")
    parser.add_argument("--suites", default=",".join(SUITES), help=f"comma-separated, among {', '.join(SUITES)}")
    transcoding.add_arguments(parser)
    uploads.add_arguments(parser)
    search.add_arguments(parser)
    federation.add_arguments(parser)
    args = parser.parse_args(argv)
    args.suites = [suite.strip() for suite in args.suites.split(",") if suite.strip()]
    if unknown := set(args.suites) - set(SUITES):
        parser.error(f"unknown suites: {', '.join(sorted(unknown))}")
    if args.duration <= 0 or args.connections <= 0 or args.warmup < 0:
        parser.error("--duration and --connections must be positive, --warmup not negative")
    args.routes = [route if route.startswith("/") else "/api/v1/" + route
                   for route in (part.strip() for part in args.routes.split(",")) if route]
    return args


def load(server, path: str, args: argparse.Namespace, token: str | None) -> dict:
    """One route under load, driven from a separate process so client and server do not share a loop."""
    headers = {"Authorization": f"Bearer {token}"} if token and path.startswith(AUTHENTICATED_PREFIX) else {}
    settings = {"host": "127.0.0.1", "port": server.port, "path": path, "connections": args.connections,
                "duration": args.duration, "warmup": args.warmup, "headers": headers}
    finished = subprocess.run([sys.executable, "-m", "bench.loadgen", json.dumps(settings)], cwd=REPO_ROOT,
                              capture_output=True, text=True, timeout=args.warmup + args.duration + 120)
    if finished.returncode != 0:
        raise RuntimeError(f"load generator failed on {path}:\n{finished.stderr}")
    return json.loads(finished.stdout)


def measure_backend(backend: str, args: argparse.Namespace) -> list[dict]:
    with running_server(backend, keep=args.keep) as server:
        token = server.root.token if any(r.startswith(AUTHENTICATED_PREFIX) for r in args.routes) else None
        rows = []
        for path in [TRIVIAL_PATH, *args.routes]:
            print(f"  {backend}: {path} ...", file=sys.stderr, flush=True)
            rows.append(load(server, path, args, token))
        if any(row["errors"] for row in rows):
            print(f"  {backend}: some requests failed; server log tail:\n{server.log_tail(20)}",
                  file=sys.stderr)
    baseline = rows[0]["req_per_s"] or None
    for row in rows:
        row["ratio_to_trivial"] = row["req_per_s"] / baseline if baseline else None
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    status = run_api_suite(args) if "api" in args.suites else 0
    if "static-files" in args.suites:
        from bench import static_files

        static_files.run(args)
    if "transcoding" in args.suites:
        transcoding.run(args)
    if "uploads" in args.suites:
        uploads.run(args)
    if "search" in args.suites:
        status = search.run(args, load) or status
    if "federation" in args.suites:
        status = federation.run(args) or status
    return status


def run_api_suite(args: argparse.Namespace) -> int:
    backends = BACKENDS if args.backend == "all" else (args.backend,)
    results: dict[str, list[dict]] = {}
    skipped: dict[str, str] = {}
    for backend in backends:
        try:
            results[backend] = measure_backend(backend, args)
        except Unavailable as exc:
            if args.backend != "all":
                print(f"cannot benchmark {backend}: {exc}", file=sys.stderr)
                return 2
            skipped[backend] = str(exc)
            print(f"skipping {backend}: {exc}", file=sys.stderr)
            continue
        print_table(backend, results[backend], args)
    path = write_results(args, results, skipped)
    print(f"\nresults written to {path}")
    return 0 if results else 2


if __name__ == "__main__":
    sys.exit(main())
