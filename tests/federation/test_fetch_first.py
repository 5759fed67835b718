"""Transactions needing remote documents read them with no write lock held (`federation/fetch_first`),
against a real HTTP server on loopback and a real database."""

from __future__ import annotations

import asyncio
import json
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from vidpub.config import load_config
from vidpub.db import Database
from vidpub.db.migrate import upgrade
from vidpub.federation.fetch import FetchError, fetch_json
from vidpub.federation.fetch_first import MAX_ROUNDS, transaction_fetching_first

TAGS = sa.table("tag", sa.column("name"))


class DocumentServer:
    """Answers `/doc/<name>` with `{"name": <name>}` and `/missing` with 404; with `hold`, each answer
    waits until the test releases it (`arrived` is set when a request is in)."""

    def __init__(self, hold: bool = False):
        self.requests: list[str] = []
        self.arrived, self.release = threading.Event(), threading.Event()
        if not hold:
            self.release.set()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                owner.requests.append(self.path)
                owner.arrived.set()
                owner.release.wait(timeout=30)
                if not self.path.startswith("/doc/"):
                    self.send_error(404)
                    return
                body = json.dumps({"name": self.path.removeprefix("/doc/")}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/activity+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def config(tmp_path):
    return load_config(None, tmp_path, environ={"VIDPUB_FEDERATION__PREVENT_SSRF": "false"})


async def _tag_names(db: Database) -> list[str]:
    async with db.session(write=False) as session:
        return sorted((await session.execute(sa.text("SELECT name FROM tag"))).scalars())


def _write_lock_free(path) -> bool:
    """Whether another connection may start writing right now (no waiting for the lock)."""
    connection = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        connection.close()


@pytest.mark.parametrize("fetching_first", [True, False])
def test_sqlite_write_lock_is_free_while_the_remote_answers(tmp_path, config, fetching_first):
    path = tmp_path / "vidpub.sqlite3"
    upgrade(f"sqlite+aiosqlite:///{path}")
    remote = DocumentServer(hold=True)

    async def store(session):
        # as the stores do: look for a stored copy first (which begins the transaction), then fetch
        await session.execute(sa.text("SELECT count(*) FROM tag"))
        document = await fetch_json(config, f"{remote.url}/doc/forest")
        await session.execute(sa.insert(TAGS).values(name=document["name"]))

    async def scenario():
        db = Database(f"sqlite+aiosqlite:///{path}")
        try:
            if fetching_first:
                work = asyncio.create_task(transaction_fetching_first(db, config, store))
            else:  # what every caller did before: the fetch within the write transaction
                async def in_one_transaction():
                    async with db.transaction() as session:
                        await store(session)
                work = asyncio.create_task(in_one_transaction())
            await asyncio.to_thread(remote.arrived.wait, 30)
            free = await asyncio.to_thread(_write_lock_free, path)
            remote.release.set()
            await work
            return free, await _tag_names(db)
        finally:
            await db.dispose()

    try:
        free, names = asyncio.run(scenario())
    finally:
        remote.close()
    assert free is fetching_first
    assert names == ["forest"]
    assert remote.requests == ["/doc/forest"]  # read once, whatever the number of rounds


def test_a_failed_read_is_seen_where_the_work_reads_it(database_url_factory, config):
    url = database_url_factory()
    upgrade(url)
    remote = DocumentServer()

    async def store(session):
        await session.execute(sa.insert(TAGS).values(name="before"))
        try:
            await fetch_json(config, f"{remote.url}/missing")
        except FetchError as error:
            await session.execute(sa.insert(TAGS).values(name=f"gone {error.status}"))
        return "done"

    async def scenario():
        db = Database(url)
        try:
            outcome = await transaction_fetching_first(db, config, store)
            return outcome, await _tag_names(db)
        finally:
            await db.dispose()

    try:
        outcome, names = asyncio.run(scenario())
    finally:
        remote.close()
    assert outcome == "done"
    assert names == ["before", "gone 404"]  # the rolled-back round left nothing behind
    assert remote.requests == ["/missing"]


def test_work_reading_many_documents_completes(database_url_factory, config):
    url = database_url_factory()
    upgrade(url)
    remote = DocumentServer()
    names = [f"doc{number}" for number in range(MAX_ROUNDS + 2)]

    async def store(session):
        for name in names:
            document = await fetch_json(config, f"{remote.url}/doc/{name}")
            await session.execute(sa.insert(TAGS).values(name=document["name"]))

    async def scenario():
        db = Database(url)
        try:
            await transaction_fetching_first(db, config, store)
            return await _tag_names(db)
        finally:
            await db.dispose()

    try:
        stored = asyncio.run(scenario())
    finally:
        remote.close()
    assert stored == sorted(names)
    assert sorted(remote.requests) == sorted(f"/doc/{name}" for name in names)  # each read once
