"""Fixtures: every server-backed test runs against SQLite and against a real PostgreSQL cluster."""

from __future__ import annotations

import itertools
import os

import pytest

from tests.support.postgres import PostgresCluster, find_bindir
from tests.support.server import ServerProcess

# fixtures shared by several test modules, defined next to their helpers
pytest_plugins = ["tests.support.imports"]

BACKENDS = ("sqlite", "postgres")
_counter = itertools.count()


@pytest.fixture(scope="session")
def postgres_cluster():
    bindir = find_bindir()
    if bindir is None:
        message = "PostgreSQL binaries (initdb, pg_ctl) not found"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: they are required under CI=true")
        pytest.skip(f"{message}: PostgreSQL tests skipped")
    cluster = PostgresCluster(bindir)
    cluster.start()
    yield cluster
    cluster.stop()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request) -> str:
    return request.param


@pytest.fixture(scope="session")
def database_url_factory(backend, tmp_path_factory, request):
    """Make empty databases of the session's backend."""

    def make() -> str:
        if backend == "postgres":
            return request.getfixturevalue("postgres_cluster").create_database()
        path = tmp_path_factory.mktemp("sqlite") / "vidpub.sqlite3"
        return f"sqlite+aiosqlite:///{path}"

    return make


# The requests of the fixtures being set up (innermost last), and of the test running: a server lives
# as long as the fixture or the test that started it.
_fixtures_in_setup: list[pytest.FixtureRequest] = []
_running_test: list[pytest.FixtureRequest] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    _fixtures_in_setup.append(request)
    try:
        yield
    finally:
        _fixtures_in_setup.pop()


@pytest.fixture(autouse=True)
def _test_request(request):
    _running_test.append(request)
    yield
    _running_test.pop()


@pytest.fixture(scope="session")
def server_factory(backend, database_url_factory, tmp_path_factory):
    """Start servers with their own database and configuration. A server is stopped when the fixture
    or the test that started it ends (an idle server still polls its job queue: hundreds of them left
    running until the end of the session took a good part of the machine)."""
    started: list[ServerProcess] = []

    def start(config: dict | None = None, env: dict | None = None) -> ServerProcess:
        workdir = tmp_path_factory.mktemp(f"server-{backend}-{next(_counter)}")
        server = ServerProcess(workdir, database_url_factory(), config, env)
        started.append(server)
        owner = _fixtures_in_setup[-1] if _fixtures_in_setup else (_running_test[-1] if _running_test else None)
        if owner is not None:
            owner.addfinalizer(server.stop)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def server(server_factory) -> ServerProcess:
    """The shared instance of the session's backend (tests create their own users on it)."""
    return server_factory()


@pytest.fixture
def unique():
    """A short unique suffix for names created on the shared server."""
    return f"{os.getpid() % 1000}{next(_counter)}"


def pytest_collection_modifyitems(config, items):
    """Tests marked `sqlite_only`, and the browser tests, run on SQLite only.

    Browser tests drive the pages' JavaScript and the player in Chromium: what they add is the
    browser's side, which does not depend on the database; the same pages and the services behind
    them are tested over HTTP on both backends (tests/web/test_*.py)."""
    kept, dropped = [], []
    for item in items:
        backend = getattr(item, "callspec", None) and item.callspec.params.get("backend")
        in_browser = "browser" in getattr(item, "fixturenames", ())
        if backend == "postgres" and (in_browser or item.get_closest_marker("sqlite_only")):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept
