"""Writing a byte stream to a file with flat memory and without blocking the event loop.

Bytes are gathered into a buffer of `BUFFER_SIZE` and written by a worker thread while the next
buffer fills (two buffers at most per upload): the loop keeps receiving while the disk writes, and a
slow disk slows the sender down through TCP instead of growing memory.
"""

from __future__ import annotations

import asyncio
import os

BUFFER_SIZE = 1024 * 1024


def _write_all(fd: int, data: bytearray, offset: int) -> None:
    view = memoryview(data)
    while view:
        written = os.pwrite(fd, view, offset)
        offset += written
        view = view[written:]


class StreamWriter:
    """Appends to `fd` from `offset`. `written` counts bytes handed to `write`; `durable_size()`
    after `sync()` is what is really on disk."""

    def __init__(self, fd: int, offset: int = 0, buffer_size: int = BUFFER_SIZE):
        self.fd = fd
        self.offset = offset          # where the next buffer goes
        self.written = 0
        self.buffer_size = buffer_size
        self._buffer = bytearray()
        self._pending: asyncio.Future | None = None

    async def write(self, data: bytes) -> None:
        self._buffer += data
        self.written += len(data)
        if len(self._buffer) >= self.buffer_size:
            await self._hand_over()

    async def _hand_over(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            await pending
        if self._buffer:
            buffer, self._buffer = self._buffer, bytearray()
            offset, self.offset = self.offset, self.offset + len(buffer)
            self._pending = asyncio.ensure_future(asyncio.to_thread(_write_all, self.fd, buffer, offset))

    async def flush(self) -> None:
        await self._hand_over()
        if self._pending is not None:
            pending, self._pending = self._pending, None
            await pending

    async def sync(self) -> None:
        """Everything written so far is on disk (fsync) when this returns."""
        await self.flush()
        await asyncio.to_thread(os.fsync, self.fd)

    async def close(self) -> None:
        """Wait for a write in flight (even after an error), then close the file."""
        try:
            if self._pending is not None:
                pending, self._pending = self._pending, None
                await asyncio.shield(pending)
        finally:
            os.close(self.fd)
