"""`python -m bench.minimal_upload_sink DIRECTORY PORT`: the yardstick for receiving uploads — the
least an HTTP server must do to take a resumable upload's chunks.

Python's `http.server` (one thread per connection, HTTP/1.1 keep-alive) answering PUT: the body is
read in 1 MiB blocks and written at the `Content-Range` offset of one file, fsynced before the
answer (308, or 200 once the declared total is stored), as Vidpub does. No authorisation, no
database, no checks: the cost of moving the bytes to disk, which Vidpub's upload route is compared to."""

from __future__ import annotations

import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")
BLOCK = 1024 * 1024


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    target: Path

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_PUT(self):  # noqa: N802 - http.server's naming
        match = _CONTENT_RANGE.fullmatch(self.headers.get("Content-Range", ""))
        length = int(self.headers.get("Content-Length", "0"))
        if match is None:
            self.send_error(400)
            return
        offset, total = int(match.group(1)), int(match.group(3))
        fd = os.open(self.target, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            while length:
                block = self.rfile.read(min(BLOCK, length))
                if not block:
                    break
                os.pwrite(fd, block, offset)
                offset += len(block)
                length -= len(block)
            os.fsync(fd)
        finally:
            os.close(fd)
        self.send_response(200 if offset >= total else 308)
        if offset < total:
            self.send_header("Range", f"bytes=0-{offset - 1}")
        self.send_header("Content-Length", "0")
        self.end_headers()


def main() -> None:
    directory, port = Path(sys.argv[1]), int(sys.argv[2])
    Handler.target = directory / "upload.bin"
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
