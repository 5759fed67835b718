"""The benchmark's output: a table per backend on stdout, and the same numbers as JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from datetime import datetime, UTC
from pathlib import Path

from vidpub import __version__

SATURATED_CLIENT = 0.9   # fraction of one core: above it the load generator may be the bottleneck


def _number(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(backend: str, rows: list[dict], args: argparse.Namespace) -> None:
    print(f"\n{backend}: {args.connections} connections, {args.duration:g} s per route "
          f"(after {args.warmup:g} s warm-up); ratio = req/s / req/s of the trivial route;\n"
          "cpu ms/req = CPU time of the rest of the machine (the server's processes) per answer")
    width = max(len(row["path"]) for row in rows)
    print(f"{'route':<{width}}  {'req/s':>9}  {'p50 ms':>8}  {'p99 ms':>8}  {'errors':>7}  {'ratio':>6}"
          f"  {'cpu ms/req':>10}")
    for row in rows:
        print(f"{row['path']:<{width}}  {_number(row['req_per_s'], 1):>9}  {_number(row['p50_ms'], 2):>8}  "
              f"{_number(row['p99_ms'], 2):>8}  {row['errors']:>7}  {_number(row['ratio_to_trivial'], 3):>6}"
              f"  {_number(row.get('server_cpu_ms_per_request'), 2):>10}")
    for row in rows:
        if row["errors"]:
            print(f"  {row['path']}: answers {row['statuses']}, {row['transport_errors']} transport errors; "
                  f"first body: {row['sample_body'][:120]!r}")
        if row["client_cpu"] > SATURATED_CLIENT:
            print(f"  {row['path']}: the load generator used {row['client_cpu']:.0%} of a core: "
                  "it may have limited the result")


def write_results(args: argparse.Namespace, results: dict[str, list[dict]], skipped: dict[str, str]) -> Path:
    started = datetime.now(UTC)
    document = {
        "vidpub_version": __version__,
        "finished_at": started.isoformat(timespec="seconds"),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform(),
                    "cpus": os.cpu_count()},
        "settings": {"connections": args.connections, "duration_s": args.duration, "warmup_s": args.warmup,
                     "routes": args.routes},
        "backends": results,
        "skipped_backends": skipped,
    }
    args.results_dir.mkdir(parents=True, exist_ok=True)
    path = args.results_dir / f"bench-{started:%Y%m%d-%H%M%S}.json"
    path.write_text(json.dumps(document, indent=2) + "\n")
    return path
