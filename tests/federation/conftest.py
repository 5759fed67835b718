"""Multi-server federation harness.

Fixtures
- `fed_servers`: three real Vidpub processes on loopback (`server_factory`, so each backend runs its
  own trio), started once per session, with `federation.prevent_ssrf: false` (they talk over
  127.0.0.1) and fast job polling. Tests share them: create uniquely named users/channels
  (`unique` fixture), and make follows idempotently with the helpers below.
- `server_a`, `server_b`, `server_c`: the three servers of `fed_servers`.
- `fake_peer`: a `FakePeer` (tests/federation/fake_peer.py) — a loopback HTTP server playing a remote
  PeerTube/Mastodon instance: serves documents, records what it is sent, signs what it sends.

Helpers (import from `tests.federation.conftest`)
- `wait_until(predicate, timeout=60, interval=0.2, what="...")`: polls `predicate()` until it returns a
  truthy value (returned) or raises AssertionError after `timeout` seconds. Deliveries are
  asynchronous jobs: poll for their effect, never sleep a fixed time. The timeout is generous on
  purpose and is no performance assertion.
- `host_of(server)`: `127.0.0.1:<port>`, the host part of the server's handles and URLs.
- `follow_instance(follower, target)`: `follower`'s admin follows `target` (POST
  /api/v1/server/following) and waits until the follow is accepted on both sides.
- `unfollow_instance(follower, target)`: the reverse; waits until `target` no longer lists it.
- `instance_follow_state(follower, target)`: the state `follower` shows for its follow of `target`.
"""

from __future__ import annotations

import time

import pytest

from tests.federation.fake_peer import FakePeer
from tests.support.server import ServerProcess

FEDERATION_CONFIG = {
    # views and viewer counts reach followers every second here (the aggregated views Update, the
    # viewers View)
    "federation": {"prevent_ssrf": False, "videos": {"views_update_interval": "1 second",
                                                   "viewers_update_interval": "1 second"}},
    "jobs": {"poll_interval": "100ms", "retry_backoff": "1 second"},
}


def wait_until(predicate, timeout: float = 60, interval: float = 0.2, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not reached within {timeout} s")
        time.sleep(interval)


def host_of(server: ServerProcess) -> str:
    return server.url.split("://", 1)[1]


def _follow_of(rows: list[dict], host: str, side: str) -> dict | None:
    return next((row for row in rows if row[side]["host"] == host and row[side]["name"] == "peertube"), None)


def instance_follow_state(follower: ServerProcess, target: ServerProcess) -> str | None:
    response = follower.root.get("/api/v1/server/following", params={"count": 100})
    assert response.status_code == 200, response.text
    row = _follow_of(response.json()["data"], host_of(target), "following")
    return row["state"] if row else None


def _listed_as_follower(target: ServerProcess, follower: ServerProcess, state: str | None = "accepted") -> bool:
    response = target.root.get("/api/v1/server/followers", params={"count": 100})
    assert response.status_code == 200, response.text
    row = _follow_of(response.json()["data"], host_of(follower), "follower")
    return row is not None and (state is None or row["state"] == state)


def follow_instance(follower: ServerProcess, target: ServerProcess, timeout: float = 60) -> None:
    if instance_follow_state(follower, target) == "accepted" and _listed_as_follower(target, follower):
        return
    response = follower.root.post("/api/v1/server/following", json={"hosts": [host_of(target)]})
    assert response.status_code == 204, response.text
    wait_until(lambda: instance_follow_state(follower, target) == "accepted", timeout,
               what=f"{host_of(follower)} following {host_of(target)}")
    wait_until(lambda: _listed_as_follower(target, follower), timeout,
               what=f"{host_of(target)} listing {host_of(follower)} as follower")


def unfollow_instance(follower: ServerProcess, target: ServerProcess, timeout: float = 60) -> None:
    if instance_follow_state(follower, target) is not None:
        response = follower.root.delete(f"/api/v1/server/following/{host_of(target)}")
        assert response.status_code == 204, response.text
    wait_until(lambda: not _listed_as_follower(target, follower, None), timeout,
               what=f"{host_of(target)} forgetting follower {host_of(follower)}")


@pytest.fixture(scope="session")
def fed_servers(server_factory) -> tuple[ServerProcess, ServerProcess, ServerProcess]:
    return tuple(server_factory(FEDERATION_CONFIG) for _ in range(3))


@pytest.fixture(scope="session")
def server_a(fed_servers) -> ServerProcess:
    return fed_servers[0]


@pytest.fixture(scope="session")
def server_b(fed_servers) -> ServerProcess:
    return fed_servers[1]


@pytest.fixture(scope="session")
def server_c(fed_servers) -> ServerProcess:
    return fed_servers[2]


@pytest.fixture
def fake_peer():
    peer = FakePeer().start()
    yield peer
    peer.stop()
