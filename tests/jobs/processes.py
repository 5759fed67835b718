"""Real `vidpub worker` processes and a real SMTP server for the cross-process job tests."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import yaml
from aiosmtpd.controller import Controller

from tests.support.postgres import free_port


class WorkerProcess:
    """`vidpub worker` with its own configuration file, sharing the test's database."""

    def __init__(self, workdir: Path, settings: dict):
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        self.config_path = workdir / "config.yaml"
        self.config_path.write_text(yaml.safe_dump(settings))
        self.log_path = workdir / "worker.log"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> WorkerProcess:
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "vidpub", "worker", "--config", str(self.config_path),
                 "--data-dir", str(self.workdir / "data")], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + timeout
        while "Vidpub worker running" not in self.log():
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}:\n{self.log()}")
            if time.time() > deadline:
                raise RuntimeError(f"worker not running after {timeout}s:\n{self.log()}")
            time.sleep(0.05)
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as in a crash or an OOM kill."""
        if self.process and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


class RecordingSMTP:
    """An SMTP server that records what reaches DATA and what it accepted. A subject listed in
    `stall` is held (never answered) the first time it arrives, until `release` is set."""

    def __init__(self, stall: set[str] | None = None):
        self.port = free_port()
        self.stall = set(stall or ())
        self.release = threading.Event()
        self.received: list[str] = []   # every DATA, accepted or not
        self.accepted: list[str] = []   # answered 250
        self._lock = threading.Lock()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        subject = message_from_bytes(envelope.content)["Subject"]
        with self._lock:
            self.received.append(subject)
            stalled = subject in self.stall
            self.stall.discard(subject)
        if stalled:
            while not self.release.is_set():  # cancelled by aiosmtpd if the client goes away
                await asyncio.sleep(0.05)
            return "451 Requested action aborted: try again later"
        with self._lock:
            self.accepted.append(subject)
        return "250 Message accepted for delivery"

    def __enter__(self) -> RecordingSMTP:
        self._controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self._controller.stop()

    @property
    def smtp_settings(self) -> dict:
        return {"hostname": "127.0.0.1", "port": self.port, "tls": False, "disable_starttls": True,
                "from_address": "jobs-test@example.com"}
