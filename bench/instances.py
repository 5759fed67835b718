"""Servers to measure: `bench.server` in a subprocess, on SQLite or on a throwaway PostgreSQL cluster,
set up like the test suite's servers (relaxed per-IP rate limits: all the load comes from one IP)."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from tests.support.postgres import PostgresCluster, find_bindir
from tests.support.server import ServerProcess

REPO_ROOT = Path(__file__).resolve().parent.parent
BACKENDS = ("sqlite", "postgres")

# `vidpub serve`'s defaults, where the test harness tunes them for fast tests
BENCH_CONFIG = {"jobs": {"poll_interval": "1 second"}}


class Unavailable(RuntimeError):
    """The backend cannot run on this machine (e.g. no PostgreSQL binaries)."""


class BenchServer(ServerProcess):
    """A test-harness server process whose command is `python -m bench.server`, with `processes` API
    processes (`vidpub serve --processes`)."""

    processes = 1

    def start(self, timeout: float = 90) -> BenchServer:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.server", "--config", str(self.config_path),
             "--data-dir", str(self.data_dir), "--processes", str(self.processes)], stdout=log,
            stderr=subprocess.STDOUT, env=self.env, cwd=REPO_ROOT)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bench server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(self.url + "/bench/trivial", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"bench server did not answer within {timeout}s:\n{self.log_tail()}")


@contextlib.contextmanager
def database_url(backend: str, workdir: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'vidpub.sqlite3'}"
        return
    bindir = find_bindir()
    if bindir is None:
        raise Unavailable("PostgreSQL binaries (initdb, pg_ctl) not found")
    cluster = PostgresCluster(bindir)
    cluster.start()
    try:
        yield cluster.create_database("vidpub_bench")
    finally:
        cluster.stop()


@contextlib.contextmanager
def running_server(backend: str, keep: bool = False, config: dict | None = None) -> Iterator[BenchServer]:
    workdir = Path(tempfile.mkdtemp(prefix=f"vidpub-bench-{backend}-"))
    try:
        with database_url(backend, workdir) as url:
            server = BenchServer(workdir, url, {**BENCH_CONFIG, **(config or {})})
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
