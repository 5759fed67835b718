"""A real Vidpub server process on a loopback port, and an HTTP client speaking PeerTube's API."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import yaml

from tests.support.postgres import free_port

ROOT_PASSWORD = "root-password-for-tests"

# Tests make many requests from one IP: lift the per-IP limits unless a test asks for them.
RELAXED_LIMITS = {name: {"window": "10 seconds", "max": 1_000_000} for name in (
    "api", "login", "signup", "ask_send_email", "receive_client_log", "plugins", "well_known", "feeds",
    "activity_pub", "client", "download_generate_video")}


def deep_update(base: dict, extra: dict) -> dict:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            deep_update(base[key], value)
        else:
            base[key] = value
    return base


class Client:
    """httpx with a bearer token and PeerTube's login flow."""

    def __init__(self, base_url: str, token: str | None = None):
        self.base_url = base_url
        self.token = token
        self.http = httpx.Client(base_url=base_url, timeout=30)

    def _headers(self, headers: dict | None) -> dict:
        out = dict(headers or {})
        if self.token and "Authorization" not in out:
            out["Authorization"] = f"Bearer {self.token}"
        return out

    def request(self, method: str, path: str, *, headers: dict | None = None, **kwargs) -> httpx.Response:
        return self.http.request(method, path, headers=self._headers(headers), **kwargs)

    def get(self, path: str, **kwargs) -> httpx.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs) -> httpx.Response:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs) -> httpx.Response:
        return self.request("PUT", path, **kwargs)

    def delete(self, path: str, **kwargs) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def with_token(self, token: str | None) -> Client:
        return Client(self.base_url, token)

    def oauth_client(self) -> dict:
        response = self.http.get("/api/v1/oauth-clients/local")
        response.raise_for_status()
        return response.json()

    def token_request(self, username: str, password: str, headers: dict | None = None) -> httpx.Response:
        local = self.oauth_client()
        return self.http.post("/api/v1/users/token", headers=headers, data={
            "client_id": local["client_id"], "client_secret": local["client_secret"],
            "grant_type": "password", "username": username, "password": password})

    def login(self, username: str, password: str) -> Client:
        response = self.token_request(username, password)
        assert response.status_code == 200, response.text
        return self.with_token(response.json()["access_token"])


class ServerProcess:
    """`vidpub serve` in a subprocess with its own data dir and database."""

    def __init__(self, workdir: Path, database_url: str | None, config: dict | None = None,
                 env: dict | None = None):
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = workdir / "data"
        self.log_path = workdir / "server.log"
        settings: dict[str, Any] = {
            "listen": {"hostname": "127.0.0.1", "port": self.port},
            "webserver": {"https": False, "hostname": "127.0.0.1", "port": self.port},
            "rates_limit": json.loads(json.dumps(RELAXED_LIMITS)),
            "jobs": {"poll_interval": "200ms"},
        }
        if database_url:
            settings["database"] = {"url": database_url}
        deep_update(settings, config or {})
        self.config = settings
        self.config_path = workdir / "config.yaml"
        self.config_path.write_text(yaml.safe_dump(settings))
        self.env = {**os.environ, "PT_INITIAL_ROOT_PASSWORD": ROOT_PASSWORD, **(env or {})}
        self.process: subprocess.Popen | None = None
        self.anonymous = Client(self.url)
        self._root: Client | None = None

    def start(self, timeout: float = 60) -> ServerProcess:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "vidpub", "serve", "--config", str(self.config_path),
             "--data-dir", str(self.data_dir)], stdout=log, stderr=subprocess.STDOUT, env=self.env)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(self.url + "/api/v1/oauth-clients/local", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not answer within {timeout}s:\n{self.log_tail()}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def log_tail(self, lines: int = 60) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    @property
    def root(self) -> Client:
        if self._root is None:
            self._root = self.anonymous.login("root", ROOT_PASSWORD)
        return self._root

    def create_user(self, username: str, password: str = "password1", role: int = 2, **extra) -> Client:
        """Create a user through the admin API and return a client logged in as that user."""
        body = {"username": username, "password": password, "email": f"{username}@example.com", "role": role}
        body.update(extra)
        response = self.root.post("/api/v1/users", json=body)
        assert response.status_code == 200, response.text
        return self.anonymous.login(username, password)

    def mail_log(self) -> list[dict]:
        path = self.data_dir / "storage" / "logs" / "emails.log"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

    def wait_for(self, predicate, timeout: float = 15, interval: float = 0.1):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = predicate()
            if value:
                return value
            time.sleep(interval)
        raise AssertionError("condition not met in time")
