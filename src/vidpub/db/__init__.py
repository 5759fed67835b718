"""Database access: one async engine per process, SQLite (WAL) or PostgreSQL.

Sessions come in two flavours. On SQLite a transaction that will write takes the write lock when it
starts (`BEGIN IMMEDIATE`): a deferred transaction that reads and then writes fails at once with
SQLITE_BUSY if another writer committed in between, whatever the busy timeout. Readers never block.
SQLite statements go through `sqlite_driver`: aiosqlite with one trip to its thread per statement.
PostgreSQL statements go through `postgres_driver`: asyncpg, a read session's SELECTs outside a transaction.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from vidpub.db import postgres_driver, sqlite_driver

SQLITE_BUSY_TIMEOUT_S = 30
# Reads go through a memory map of the database file rather than through each connection's own page
# cache (2 MB): a search touches hundreds of scattered rows, which every pooled connection would copy
# in again with a read() each. Measured on 100,000 videos, 20 connections taking turns: the two-word
# search's SQL 2.75 → 1.83 ms of CPU. SQLite caps it at its compile-time maximum (2 GiB by default).
SQLITE_MMAP_BYTES = 1 << 30
# PostgreSQL: a pooled connection idle for longer than this is pinged before use, and replaced if the
# server dropped it (a restart, an idle timeout). SQLAlchemy's `pool_pre_ping` pings before every use:
# one more round trip per request, measured 0.27 of the front page's 1.84 ms. A connection given back
# within the last seconds has just worked.
POSTGRES_IDLE_PING_S = 10.0


class Database:
    def __init__(self, url: str, pool_size: int = 5, echo: bool = False, reads_in_flight: int = 2):
        """`reads_in_flight` (PostgreSQL): transaction-less reads this process runs at once (see
        `postgres_driver`; 0: no limit)."""
        self.url = make_url(url)
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if self.is_sqlite:
            driver = {"module": sqlite_driver.dbapi()} if self.url.get_driver_name() == "aiosqlite" else {}
            self.engine: AsyncEngine = create_async_engine(
                self.url, echo=echo, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S},
                pool_size=pool_size, max_overflow=max(1, pool_size // 2), **driver)
            _install_sqlite_hooks(self.engine)
        else:
            driver = {}
            if self.url.get_driver_name() == "asyncpg":
                driver = {"module": postgres_driver.dbapi(),
                          "connect_args": {"vidpub_read_gate": postgres_driver.ReadGate(reads_in_flight)}}
            self.engine = create_async_engine(
                self.url, echo=echo, pool_size=pool_size, max_overflow=max(1, pool_size // 2), **driver)
            _install_postgres_hooks(self.engine)
        write_engine = self.engine.execution_options(vidpub_write=True)
        self._read = async_sessionmaker(self.engine, expire_on_commit=False)
        self._write = async_sessionmaker(write_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def session(self, write: bool = True) -> AsyncSession:
        return (self._write if write else self._read)()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A write session committed on success, rolled back on error."""
        async with self.session(write=True) as session:
            async with session.begin():
                yield session

    async def dispose(self) -> None:
        await self.engine.dispose()


def _install_sqlite_hooks(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "connect")
    def on_connect(dbapi_connection, _record):
        # We emit BEGIN ourselves (below), so the driver must not start transactions on its own.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                       f"busy_timeout={SQLITE_BUSY_TIMEOUT_S * 1000}", f"mmap_size={SQLITE_MMAP_BYTES}"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(sync_engine, "begin")
    def on_begin(conn):
        write = _mark_reading(conn, sqlite_driver.Connection)  # its SELECTs may run in the event loop's thread
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _mark_reading(conn, driver_class) -> bool:
    """Tell the driver's connection whether the transaction beginning is a read session's; whether it
    is a write session's."""
    write = bool(conn.get_execution_options().get("vidpub_write"))
    driver_connection = conn.connection.dbapi_connection
    if isinstance(driver_connection, driver_class):
        driver_connection.reading = not write
    return write


def _install_postgres_hooks(engine: AsyncEngine) -> None:
    sync_engine = engine.sync_engine

    @event.listens_for(sync_engine, "begin")
    def on_begin(conn):
        _mark_reading(conn, postgres_driver.Connection)  # its plain SELECTs run outside a transaction

    @event.listens_for(sync_engine, "checkin")
    def on_checkin(_dbapi_connection, record):
        record.info["vidpub_idle_since"] = time.monotonic()

    @event.listens_for(sync_engine, "checkout")
    def on_checkout(dbapi_connection, record, _proxy):
        idle_since = record.info.get("vidpub_idle_since")
        if idle_since is None or time.monotonic() - idle_since <= POSTGRES_IDLE_PING_S:
            return
        try:
            dbapi_connection.ping()
        except Exception as error:  # noqa: BLE001 - whatever the failure, the connection is not usable
            # the pool drops this connection and checks out a new one
            raise exc.DisconnectionError(f"pooled connection lost: {error}") from error
