"""Transactions that need remote documents, with no write lock held while the network answers.

Storing what a remote server describes (an actor found by a search, a video an inbox activity names,
the channel and account behind it) reads documents as it goes, and it goes in a write transaction: on
SQLite that holds the database's only write lock, so a slow or silent remote server (up to the 7 s
fetch timeout, several times over) stalled every upload, view and job of the instance behind it.

`transaction_fetching_first` runs the work in rounds instead. Within a round, `fetch_json` answers
from the documents already read; a document not read yet ends the round (`FetchNeeded`): the
transaction rolls back, the lock is released, the document is read with nothing held, and the work
runs again from the start. The last round may use the network as before, so work needing many
documents still completes. A failed read is remembered too, and raised again at the same point of
the next round, so the work sees what it would have seen in one go.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")
MAX_ROUNDS = 8


class FetchNeeded(BaseException):
    """A round needs a document not read yet. A BaseException, like task cancellation, so that no
    `except Exception` of the work mistakes it for the remote's failure."""

    def __init__(self, key: tuple[str, str], signer: tuple[str, str] | None):
        super().__init__(key[0])
        self.key = key        # (url, Accept)
        self.signer = signer  # (key id, private key PEM) the fetch is signed with


@dataclass
class FetchedDocuments:
    rounds_task: asyncio.Task | None  # the task running the rounds: only it may end one
    found: dict[tuple[str, str], dict | Exception] = field(default_factory=dict)
    network_allowed: bool = False  # the last round: documents still missing are read within it


_documents: ContextVar[FetchedDocuments | None] = ContextVar("vidpub_fetched_documents", default=None)


def prefetched(url: str, accept: str, signer: tuple[str, str] | None) -> dict | None:
    """What a round already knows of the document (raising its remembered failure), or None when
    the network may be used; raises FetchNeeded when the round must end to read it."""
    documents = _documents.get()
    if documents is None or documents.rounds_task is not asyncio.current_task():
        return None  # not within rounds (a task started by the work inherits the context, not the rounds)
    key = (url, accept)
    if key in documents.found:
        known = documents.found[key]
        if isinstance(known, Exception):
            raise known
        return copy.deepcopy(known)  # each round gets the document as read, whatever the last one did
    if documents.network_allowed:
        return None
    raise FetchNeeded(key, signer)


async def transaction_fetching_first(db, config, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`await work(session)` in a write transaction of `db`, committed on success, the documents it
    reads with `fetch.fetch_json` read between rounds, with no transaction open."""
    from vidpub.federation.fetch import read_json

    documents = FetchedDocuments(rounds_task=asyncio.current_task())
    token = _documents.set(documents)
    try:
        for round_number in range(MAX_ROUNDS):
            documents.network_allowed = round_number == MAX_ROUNDS - 1
            try:
                async with db.transaction() as session:
                    return await work(session)
            except FetchNeeded as needed:
                # rolled back: the document is read with nothing held, then the work starts over
                url, accept = needed.key
                try:
                    documents.found[needed.key] = await read_json(config, url, signing_key=needed.signer,
                                                                  accept=accept)
                except Exception as error:  # noqa: BLE001 - remembered, raised where the work reads it
                    documents.found[needed.key] = error
        raise AssertionError("unreachable: the last round reads within its transaction")
    finally:
        _documents.reset(token)
