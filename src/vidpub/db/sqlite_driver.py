"""SQLAlchemy's aiosqlite adapter, with one trip to the connection's thread per statement.

aiosqlite runs each sqlite3 call in the connection's own thread, and every call is a round trip: a
queue put, a thread wake-up, the event loop woken through its self-pipe, a greenlet switch. The stock
adapter makes four of them per statement (open a cursor, execute, fetch all rows, close the cursor).
Here one function runs the statement and takes its rows in the thread, so a statement costs one trip.
Measured (CPU of the process): a read session of one `SELECT 1` 0.69 → 0.28 ms; the two-word search
on 100,000 videos, in-process, 5.0 → 3.8 ms; the front page 2.5 → 1.9 ms.

Reads skip the thread altogether: in a read-only transaction (`Database.session(write=False)`, which
`db/__init__.py` marks when it begins) a SELECT runs right in the event loop's thread, the GIL released
while SQLite works as in any thread. A read that has not finished within INLINE_READ_BUDGET_S of CPU is
interrupted (SQLite's progress handler) and run again in the connection's thread, so a slow query
cannot hold the event loop for longer than that; an interrupted SELECT leaves its transaction as it was.
Measured on 100,000 videos under 20 connections (server runs taken in turns, old code then new): with
one API process the front page 392-399 -> 585-636 req/s, p99 130 -> 45-51 ms; with two, the front page
789-979 -> 1,233-1,269 req/s and the two-word search 440-469 -> 536-612 req/s.

Behaviour is the stock adapter's: the same exceptions (sqlite3's), rows fetched eagerly (it buffers
them too), `rowcount`, `lastrowid` and `description` read right after the statement.
Server-side cursors (`stream_results`) are left to the stock class; Vidpub does not use them.
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
import time
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (AsyncAdapt_aiosqlite_connection, AsyncAdapt_aiosqlite_cursor,
                                                  AsyncAdapt_aiosqlite_dbapi)
from sqlalchemy.util.concurrency import await_

# How much CPU a read may use in the event loop's thread before it is moved to the connection's thread,
# and how often SQLite checks it, in virtual machine instructions: some tenths of a millisecond, three
# checks in a two-word search (every 2,000, the checks took 1.8 % of its time).
INLINE_READ_BUDGET_S = 0.005
_PROGRESS_CHECK_INSTRUCTIONS = 10_000
_READS = ("SELECT", "BEGIN", "select", "begin")


def _run(connection: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> tuple:
    """The statement's (description, rows, rowcount, lastrowid), in the connection's thread (or, for a
    read, the event loop's)."""
    cursor = connection.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        description = cursor.description
        rows = cursor.fetchall() if description else ()
        return description, rows, cursor.rowcount, cursor.lastrowid
    finally:
        cursor.close()


class _Cursor(AsyncAdapt_aiosqlite_cursor):
    """A cursor that lives in the event loop's thread: its results are those of the last statement."""

    __slots__ = ("_outcome",)

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection):
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None
        self._soft_closed_memoized = {}
        self._rows = collections.deque()
        self._outcome = (None, (), -1, None)

    @property
    def description(self):
        return self._outcome[0]

    @property
    def rowcount(self) -> int:
        return self._outcome[2]

    @property
    def lastrowid(self):
        return self._outcome[3]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    async def _async_soft_close(self) -> None:
        return None

    def close(self) -> None:
        self._rows.clear()

    async def _run(self, operation: str, parameters: Any, many: bool) -> None:
        # (a coroutine even when the read runs here: SQLAlchemy's async layer requires one to be awaited)
        adapt_connection = self._adapt_connection
        if adapt_connection.reading:
            if not many and operation.startswith(_READS):
                if not adapt_connection._execute_mutex.locked() and self._run_inline(operation, parameters):
                    # Back to the event loop before going on, as after a trip to the thread: it reads the
                    # requests that arrived meanwhile, and they take their turn. Without it a request runs
                    # its reads back to back while newer ones wait for the loop's next look at the sockets:
                    # measured (two API processes, 20 connections, the two-word search) p99 58-83 ms
                    # against 41-45 ms, at the same throughput.
                    await asyncio.sleep(0)
                    return
            else:  # a write after all: the rest of the transaction, its end included, goes to the thread
                adapt_connection.reading = False
        async with self._adapt_connection._execute_mutex:
            self._outcome = await self._connection._execute(_run, self._connection._conn, operation, parameters, many)
            self._rows = collections.deque(self._outcome[1])

    def _run_inline(self, operation: str, parameters: Any) -> bool:
        """Run a read here, in the event loop's thread; False if it ran out of time (nothing to keep)."""
        connection = self._connection._conn
        # CPU time of this thread, not the clock: on a busy machine a read that lost the CPU for a while
        # has not used its budget (moving it then would only do its work twice)
        deadline = time.thread_time() + INLINE_READ_BUDGET_S
        connection.set_progress_handler(lambda: time.thread_time() > deadline, _PROGRESS_CHECK_INSTRUCTIONS)
        try:
            self._outcome = _run(connection, operation, parameters, False)
        except sqlite3.OperationalError as error:
            if str(error) != "interrupted":
                raise
            return False
        finally:
            connection.set_progress_handler(None, 0)
        self._rows = collections.deque(self._outcome[1])
        return True

    def execute(self, operation: Any, parameters: Any = None) -> None:
        try:
            await_(self._run(operation, parameters, False))
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> None:
        try:
            await_(self._run(operation, seq_of_parameters, True))
        except Exception as error:
            self._adapt_connection._handle_exception(error)


class Connection(AsyncAdapt_aiosqlite_connection):
    __slots__ = ("reading",)
    _cursor_cls = _Cursor

    def __init__(self, dbapi: Any, connection: aiosqlite.Connection):
        super().__init__(dbapi, connection)
        self.reading = False  # in a read-only transaction: its SELECTs run in the event loop's thread

    def _in_transaction(self) -> bool:
        # sqlite3 reads the connection's autocommit flag; nothing else runs on the connection meanwhile
        # (statements hold the execute mutex until their trip is over, and SQLAlchemy awaits them)
        sqlite = self._connection._connection
        return sqlite is not None and sqlite.in_transaction

    def _end(self, how: str) -> None:
        """`how` ("commit" or "rollback") the transaction. The pool rolls back every connection it takes
        back, after the session's own ROLLBACK: with no transaction open that is a no-op in sqlite3, not
        worth a trip. Nor is ending one that only read: that is done here."""
        if self._in_transaction():
            if self.reading and not self._execute_mutex.locked():
                getattr(self._connection._conn, how)()
            else:
                getattr(super(), how)()
        self.reading = False

    def rollback(self) -> None:
        self._end("rollback")

    def commit(self) -> None:
        self._end("commit")


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module to give `create_async_engine(..., module=...)` for a sqlite+aiosqlite URL."""

    def connect(self, *arg: Any, **kw: Any) -> Connection:
        stock = super().connect(*arg, **kw)
        return Connection(self, stock._connection)


def dbapi() -> OneTripDBAPI:
    return OneTripDBAPI(aiosqlite, sqlite3)
