"""Serving the app: in one process (`make serve`), or in several API processes on one port.

With `listen.processes: N` (`vidpub serve --processes N`), N processes each listen on the port with
`SO_REUSEPORT`, so the kernel spreads new connections evenly over them. (A single socket shared by
every process, uvicorn's own `--workers`, lets whichever process wakes first accept: the long-lived
keep-alive connections of a client or proxy then pile up on one process, measured with `make bench`.)
The job workers run in one more process, `vidpub worker`, so that per-type concurrency (one
transcoding at a time...) stays what the config says. This process supervises: it restarts an API
process that dies and stops them all on SIGTERM/SIGINT.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from vidpub.config import Config

log = logging.getLogger("vidpub.serving")

SERVE_SETTINGS_ENV = "VIDPUB_SERVE_SETTINGS"
DEFAULT_FACTORY = "vidpub.serving:app_from_serve_settings"
LISTEN_BACKLOG = 2048
CRASH_LOOP_S = 5.0  # an API process dying sooner than this after its start is not restarted


def app_from_serve_settings():
    """The app of one API process (uvicorn's factory), built from the settings `run_server` left in
    the environment."""
    from vidpub.app import create_app
    from vidpub.cli import _load

    settings = json.loads(os.environ[SERVE_SETTINGS_ENV])
    config = _load(Path(settings["config_file"]) if settings["config_file"] else None,
                   Path(settings["data_dir"]) if settings["data_dir"] else None, settings["port"])
    return create_app(config, run_workers=settings["run_workers"])


def run_server(config: Config, config_file: Path | None, data_dir: Path | None, port: int | None, *,
               processes: int, run_workers: bool, factory: str = DEFAULT_FACTORY,
               trusted_proxies: list[str] | None = None) -> None:
    """Serve the app `factory` builds (an import string of a function like `app_from_serve_settings`)
    from `processes` API processes, with the job workers (if `run_workers`) in the only one or beside them."""
    import uvicorn

    os.environ[SERVE_SETTINGS_ENV] = json.dumps({
        "config_file": str(config_file) if config_file else None, "data_dir": str(data_dir) if data_dir else None,
        "port": port, "run_workers": run_workers and processes == 1})
    serving = dict(host=config.listen.hostname, port=int(config.listen.port), proxy_headers=True,
                   forwarded_allow_ips=trusted_proxies or [], access_log=bool(config.log.log_http_requests),
                   log_level="warning", server_header=False)
    if processes == 1:
        uvicorn.run(factory, factory=True, **serving)
        return
    _ensure_port_free(serving["host"], serving["port"])
    worker = _start_worker_process(config_file, data_dir) if run_workers else None
    try:
        _supervise(factory, serving, processes)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=float(config.duration("jobs.shutdown_grace")) + 5)


def _serve_one(factory: str, serving: dict) -> None:
    """One API process: its own listening socket on the shared port."""
    import uvicorn

    host, port = serving["host"], serving["port"]
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.listen(LISTEN_BACKLOG)
    uvicorn.Server(uvicorn.Config(factory, factory=True, **serving)).run(sockets=[sock])


def _ensure_port_free(host: str, port: int) -> None:
    """Fail like a single process would when something else holds the port (with `SO_REUSEPORT` alone,
    another program listening the same way would silently share it)."""
    probe = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
    except OSError as error:
        print(f"cannot listen on {host}:{port}: {error}", file=sys.stderr)
        raise SystemExit(1) from None
    finally:
        probe.close()


def _supervise(factory: str, serving: dict, processes: int) -> None:
    context = multiprocessing.get_context("spawn")
    stopping = False

    def stop(_signum, _frame):
        nonlocal stopping
        stopping = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    children, started = [], []

    def start(index: int | None = None) -> None:
        child = context.Process(target=_serve_one, args=(factory, serving))
        child.start()
        if index is None:
            children.append(child)
            started.append(time.monotonic())
        else:
            children[index], started[index] = child, time.monotonic()

    try:
        for _ in range(processes):
            start()
        while not stopping:
            time.sleep(0.2)
            for index, child in enumerate(children):
                if child.is_alive() or stopping:
                    continue
                if time.monotonic() - started[index] < CRASH_LOOP_S:
                    raise SystemExit(f"an API process exited with {child.exitcode} right after starting")
                log.warning("API process %s exited with %s: starting another", child.pid, child.exitcode)
                start(index)
    finally:
        for child in children:
            if child.is_alive():
                child.terminate()  # SIGTERM: uvicorn finishes the requests in flight
        for child in children:
            child.join(timeout=30)
            if child.is_alive():
                child.kill()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _start_worker_process(config_file: Path | None, data_dir: Path | None) -> subprocess.Popen:
    command = [sys.executable, "-m", "vidpub", "worker"]
    if config_file:
        command += ["--config", str(config_file)]
    if data_dir:
        command += ["--data-dir", str(data_dir)]
    return subprocess.Popen(command)
