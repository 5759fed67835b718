"""SQLAlchemy's asyncpg adapter, with reads that need no transaction of their own.

The stock adapter opens a transaction (BEGIN) before a session's first statement and ends it (ROLLBACK
or COMMIT) with the session: two more round trips for a request that runs one SELECT, and a backend
left "idle in transaction" while Python works on the rows. Under READ COMMITTED, PostgreSQL's default
and Vidpub's, each statement of a transaction sees the data as of its own start anyway, so a plain
SELECT means the same outside one. A read session (`Database.session(write=False)`, marked when it
begins, as for SQLite) therefore runs its plain SELECTs on their own; its first other statement (a
write, a `SELECT ... FOR UPDATE`) opens the transaction, which then holds the session's statements to
its end exactly as the stock adapter's would, commit and rollback included.

Those transaction-less reads also pass a gate: at most `reads_in_flight` of them run at once per
process. On a machine whose cores the database shares with the API processes, more would not finish
sooner; they would take the CPU the process needs to read their answers. Measured with two API
processes on two cores (100,000 videos, 20 connections), the two-word search's p99 went from 70-90 ms
to ~50 ms. A read still running after READ_SLOT_S gives its place up, so a slow query holds up the
others for that long at most. Statements of a transaction never wait at the gate: their transaction
may hold a lock that a read at the gate waits for, and must not queue behind that read.

Server-side cursors (`stream_results`) are left to the stock class, which always opens a transaction
(PostgreSQL's cursors need one); Vidpub does not use them.
"""

from __future__ import annotations

import asyncio
import functools
import re
from contextlib import asynccontextmanager

from sqlalchemy.dialects.postgresql.asyncpg import (AsyncAdapt_asyncpg_connection, AsyncAdapt_asyncpg_cursor,
                                                    AsyncAdapt_asyncpg_dbapi)
from sqlalchemy.util.concurrency import await_

# how long a transaction-less read keeps its place at the gate
READ_SLOT_S = 0.010
# what makes a SELECT more than a read: row locks, locks held to the end of the transaction
_NEEDS_TRANSACTION = re.compile(r"\bFOR\s+(?:UPDATE|NO\s+KEY\s+UPDATE|SHARE|KEY\s+SHARE)\b|_xact_lock", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)  # statements come from SQLAlchemy's cache: the same few, kilobytes long
def _plain_read(operation: str) -> bool:
    return operation[:6].upper() == "SELECT" and _NEEDS_TRANSACTION.search(operation) is None


class ReadGate:
    """At most `limit` reads running at once (0: no limit); one running for longer than READ_SLOT_S
    gives its place up. One per process and event loop."""

    def __init__(self, limit: int):
        self.limit = limit
        self._loop: asyncio.AbstractEventLoop | None = None
        self._places: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def place(self):
        if self.limit <= 0:
            yield
            return
        loop = asyncio.get_running_loop()
        if self._loop is not loop:  # a semaphore belongs to one loop (tests run several, one at a time)
            self._loop, self._places = loop, asyncio.Semaphore(self.limit)
        places = self._places
        await places.acquire()
        held = True

        def give_up() -> None:
            nonlocal held
            if held:
                held = False
                places.release()

        timer = loop.call_later(READ_SLOT_S, give_up)
        try:
            yield
        finally:
            timer.cancel()
            give_up()


class Cursor(AsyncAdapt_asyncpg_cursor):
    __slots__ = ()

    async def _prepare_and_execute(self, operation, parameters):
        connection: Connection = self._adapt_connection
        if connection._transaction is None and connection.reading:
            if _plain_read(operation):
                connection._read_alone = True
                try:
                    async with connection.gate.place():
                        return await super()._prepare_and_execute(operation, parameters)
                finally:
                    connection._read_alone = False
            connection.reading = False  # from here on, the session's statements share a transaction
        return await super()._prepare_and_execute(operation, parameters)


class Connection(AsyncAdapt_asyncpg_connection):
    _cursor_cls = Cursor
    __slots__ = ("reading", "gate", "_read_alone")

    def __init__(self, dbapi, connection, *, gate: ReadGate, **kw):
        super().__init__(dbapi, connection, **kw)
        self.reading = False  # set by the session's begin (db/__init__.py)
        self.gate = gate
        self._read_alone = False

    async def _start_transaction(self):
        if self._read_alone:
            return
        await super()._start_transaction()


class DBAPI(AsyncAdapt_asyncpg_dbapi):
    def connect(self, *arg, **kw):
        gate = kw.pop("vidpub_read_gate")
        creator = kw.pop("async_creator_fn", self.asyncpg.connect)
        options = {name: kw.pop(name) for name in ("prepared_statement_cache_size", "prepared_statement_name_func")
                   if name in kw}
        return await_(Connection.create(self, creator(*arg, **kw), gate=gate, **options))


def dbapi() -> DBAPI:
    import asyncpg
    return DBAPI(asyncpg)
