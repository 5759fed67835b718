"""`python -m bench.loadgen '<json settings>'`: closed-loop HTTP/1.1 load on one route, in its own
process, printing one JSON line of results.

N keep-alive connections each send a request, read the whole answer, and send the next one (the
model of autocannon, which PeerTube's own benchmark uses). The client is raw asyncio streams with a
pre-encoded request and minimal response parsing, so it costs far less per request than the server
it measures; its CPU use is reported so a saturated client can be spotted."""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from dataclasses import dataclass, field


@dataclass
class Settings:
    host: str
    port: int
    path: str
    connections: int = 20
    duration: float = 10.0
    warmup: float = 1.0
    headers: dict[str, str] = field(default_factory=dict)

    def request_bytes(self) -> bytes:
        lines = [f"GET {self.path} HTTP/1.1", f"Host: {self.host}:{self.port}", "User-Agent: vidpub-bench",
                 "Accept: application/json"]
        lines += [f"{name}: {value}" for name, value in self.headers.items()]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    transport_errors: int = 0
    first_body: bytes | None = None


class ConnectionClosed(Exception):
    pass


def _header_value(head: bytes, name: bytes) -> bytes | None:
    start = head.find(b"\r\n" + name + b":")
    if start < 0:
        return None
    start += len(name) + 3
    return head[start:head.find(b"\r\n", start)].strip()


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, keep-alive) of one HTTP/1.1 response."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        raise ConnectionClosed() from exc
    status = int(head[9:12])
    lowered = head.lower()
    if _header_value(lowered, b"transfer-encoding") == b"chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                while (await reader.readuntil(b"\r\n")) != b"\r\n":  # trailers
                    pass
                break
            chunks.append((await reader.readexactly(size + 2))[:-2])
        body = b"".join(chunks)
    else:
        length = _header_value(lowered, b"content-length")
        body = await reader.readexactly(int(length)) if length else b""
    return status, body, _header_value(lowered, b"connection") != b"close"


async def drive_connection(settings: Settings, request: bytes, window: tuple[float, float],
                           tally: Tally) -> None:
    start, end = window
    reader = writer = None
    clock = time.perf_counter
    while clock() < end:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(settings.host, settings.port)
            sent = clock()
            writer.write(request)
            status, body, keep_alive = await read_response(reader)
            done = clock()
        except (OSError, ConnectionClosed, asyncio.IncompleteReadError, ValueError):
            tally.transport_errors += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.01)
            continue
        if tally.first_body is None:
            tally.first_body = body[:300]
        if start <= sent and done <= end:
            tally.latencies.append(done - sent)
            tally.statuses[status] = tally.statuses.get(status, 0) + 1
        if not keep_alive:
            writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


def percentile(sorted_values: list[float], fraction: float) -> float | None:
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))]


def machine_busy_seconds() -> float | None:
    """CPU time every core of the machine spent busy since boot (Linux `/proc/stat`), None elsewhere."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(value) for value in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


async def sample_others_cpu(window: tuple[float, float]) -> float | None:
    """CPU seconds used during the measured window by everything on the machine but this process: the
    server's processes (API, workers, PostgreSQL), which is what each answer cost."""
    await asyncio.sleep(max(0.0, window[0] - time.perf_counter()))
    busy, own = machine_busy_seconds(), time.process_time()
    await asyncio.sleep(max(0.0, window[1] - time.perf_counter()))
    busy_after = machine_busy_seconds()
    if busy is None or busy_after is None:
        return None
    return max(0.0, (busy_after - busy) - (time.process_time() - own))


async def run(settings: Settings) -> dict:
    request = settings.request_bytes()
    tally = Tally()
    now = time.perf_counter()
    window = (now + settings.warmup, now + settings.warmup + settings.duration)
    cpu_before = time.process_time()
    others_cpu = asyncio.create_task(sample_others_cpu(window))
    await asyncio.gather(*(drive_connection(settings, request, window, tally)
                           for _ in range(settings.connections)))
    cpu_used = time.process_time() - cpu_before
    server_cpu = await others_cpu
    latencies = sorted(tally.latencies)
    p50, p99 = percentile(latencies, 0.50), percentile(latencies, 0.99)
    non_2xx = sum(count for status, count in tally.statuses.items() if not 200 <= status < 300)
    return {
        "path": settings.path,
        "requests": len(latencies),
        "req_per_s": len(latencies) / settings.duration,
        "p50_ms": p50 * 1000 if p50 is not None else None,
        "p99_ms": p99 * 1000 if p99 is not None else None,
        "statuses": {str(status): count for status, count in sorted(tally.statuses.items())},
        "errors": non_2xx + tally.transport_errors,
        "transport_errors": tally.transport_errors,
        "client_cpu": cpu_used / (settings.warmup + settings.duration),
        # CPU of the rest of the machine per answer: what a request costs, whatever the number of cores
        "server_cpu_ms_per_request": server_cpu / len(latencies) * 1000 if server_cpu is not None and latencies else None,
        "sample_body": (tally.first_body or b"").decode("utf-8", "replace"),
    }


def main() -> None:
    settings = Settings(**json.loads(sys.argv[1]))
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(run(settings))
    else:
        result = uvloop.run(run(settings))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
