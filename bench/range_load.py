"""`python -m bench.range_load '<json settings>'`: closed-loop byte-range GETs on one file, in their own
process, printing one JSON line of results (requests/s, MB/s, latencies).

Like `bench.loadgen` (whose response parser it uses), but each request asks for another byte range
picked at random from a list — the segments of an HLS playlist, as a player fetches them — and the
bytes received are counted. The client only reads the bytes: it never copies or parses the body."""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
from dataclasses import dataclass, field

from bench.loadgen import ConnectionClosed, _header_value, percentile


@dataclass
class RangeSettings:
    host: str
    port: int
    path: str
    ranges: list[tuple[int, int]]      # (offset, length) pairs to pick from
    connections: int = 20
    duration: float = 10.0
    warmup: float = 1.0
    seed: int = 1
    headers: dict[str, str] = field(default_factory=dict)

    def request_bytes(self, offset: int, length: int) -> bytes:
        lines = [f"GET {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}", "User-Agent: vidpub-bench",
                 f"Range: bytes={offset}-{offset + length - 1}"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class RangeTally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    body_bytes: int = 0
    wrong_lengths: int = 0
    transport_errors: int = 0


class RangeClient(asyncio.BufferedProtocol):
    """One keep-alive connection. Bodies land in a fixed buffer and are dropped: a `BufferedProtocol`
    reads straight into it (no allocation or copy per chunk), so the client costs far less than
    the servers it measures even at gigabytes per second."""

    def __init__(self) -> None:
        self.buffer = bytearray(1 << 20)
        self.view = memoryview(self.buffer)
        self.head = bytearray()
        self.remaining = -1          # body bytes still expected; -1 while reading the head
        self.status = 0
        self.length = 0
        self.keep_alive = True
        self.done: asyncio.Future | None = None
        self.transport: asyncio.Transport | None = None
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport

    def connection_lost(self, exc) -> None:
        self.closed = True
        if self.done is not None and not self.done.done():
            self.done.set_exception(ConnectionClosed())

    def get_buffer(self, sizehint: int):
        return self.view

    def buffer_updated(self, nbytes: int) -> None:
        data = self.view[:nbytes]
        if self.remaining < 0:
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            head, extra = bytes(self.head[:end + 4]), len(self.head) - end - 4
            self.head.clear()
            lowered = head.lower()
            self.status = int(head[9:12])
            self.length = self.remaining = int(_header_value(lowered, b"content-length") or 0)
            self.keep_alive = _header_value(lowered, b"connection") != b"close"
            self.remaining -= extra
        else:
            self.remaining -= nbytes
        if self.remaining <= 0 and self.done is not None and not self.done.done():
            self.done.set_result((self.status, self.length, self.keep_alive))

    async def exchange(self, request: bytes) -> tuple[int, int, bool]:
        """Send one request; (status, body length, keep-alive) of its answer, the body dropped."""
        self.done = asyncio.get_running_loop().create_future()
        self.remaining = -1
        self.transport.write(request)
        return await self.done


async def drive_connection(settings: RangeSettings, requests: list[tuple[bytes, int]], rng: random.Random,
                           window: tuple[float, float], tally: RangeTally) -> None:
    start, end = window
    loop = asyncio.get_running_loop()
    client: RangeClient | None = None
    clock = time.perf_counter
    while clock() < end:
        request, expected = requests[rng.randrange(len(requests))]
        try:
            if client is None or client.closed:
                _transport, client = await loop.create_connection(RangeClient, settings.host, settings.port)
            sent = clock()
            status, length, keep_alive = await client.exchange(request)
            done = clock()
        except (OSError, ConnectionClosed, ValueError):
            tally.transport_errors += 1
            if client is not None:
                client.transport.close()
            client = None
            await asyncio.sleep(0.01)
            continue
        if start <= sent and done <= end:
            tally.latencies.append(done - sent)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
            tally.body_bytes += length
            if status == 206 and length != expected:
                tally.wrong_lengths += 1
        if not keep_alive:
            client.transport.close()
            client = None
    if client is not None:
        client.transport.close()


async def run(settings: RangeSettings) -> dict:
    requests = [(settings.request_bytes(offset, length), length) for offset, length in settings.ranges]
    tally = RangeTally()
    now = time.perf_counter()
    window = (now + settings.warmup, now + settings.warmup + settings.duration)
    cpu_before = time.process_time()
    await asyncio.gather(*(drive_connection(settings, requests, random.Random(settings.seed + index), window,
                                            tally) for index in range(settings.connections)))
    cpu_used = time.process_time() - cpu_before
    latencies = sorted(tally.latencies)
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    not_partial = sum(count for status, count in tally.statuses.items() if status != 206)
    return {
        "path": settings.path,
        "requests": len(latencies),
        "req_per_s": len(latencies) / settings.duration,
        "mb_per_s": tally.body_bytes / settings.duration / 1e6,
        "p50_ms": p50 * 1000 if p50 is not None else None,
        "p99_ms": p99 * 1000 if p99 is not None else None,
        "statuses": {str(status): count for status, count in sorted(tally.statuses.items())},
        "errors": not_partial + tally.wrong_lengths + tally.transport_errors,
        "wrong_lengths": tally.wrong_lengths,
        "transport_errors": tally.transport_errors,
        "client_cpu": cpu_used / (settings.warmup + settings.duration),
    }


def main() -> None:
    raw = json.loads(sys.argv[1])
    raw["ranges"] = [tuple(pair) for pair in raw["ranges"]]
    settings = RangeSettings(**raw)
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(run(settings))
    else:
        result = uvloop.run(run(settings))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
