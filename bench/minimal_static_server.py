"""`python -m bench.minimal_static_server DIRECTORY PORT`: the yardstick for serving video files — a
minimal static file server with what a player needs and nothing else.

Python's `http.server` (one thread per connection, HTTP/1.1 keep-alive) answering GET with one byte
range (206) or the whole file, the body sent with `socket.sendfile` (the kernel's zero-copy
`sendfile(2)`, what nginx uses). No routing, no authorisation, no database, no conditional requests:
the cost of moving the bytes, which Vidpub's static routes are compared to."""

from __future__ import annotations

import os
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

_RANGE = re.compile(r"bytes=(\d+)-(\d*)")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root: Path

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        path = self.root / os.path.basename(self.path.split("?", 1)[0])
        try:
            file = path.open("rb")
        except OSError:
            self.send_error(404)
            return
        with file:
            size = os.fstat(file.fileno()).st_size
            start, end, status = 0, size - 1, 200
            match = _RANGE.fullmatch(self.headers.get("Range", ""))
            if match:
                start = int(match.group(1))
                end = min(int(match.group(2)) if match.group(2) else size - 1, size - 1)
                if start > end:
                    self.send_response(416)
                    self.send_header("Content-Range", f"bytes */{size}")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = 206
            self.send_response(status)
            self.send_header("Content-Type", "video/mp4")
            self.send_header("Accept-Ranges", "bytes")
            self.send_header("Content-Length", str(end - start + 1))
            if status == 206:
                self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
            self.end_headers()
            self.wfile.flush()
            self.connection.sendfile(file, start, end - start + 1)


def main() -> None:
    directory, port = Path(sys.argv[1]), int(sys.argv[2])
    handler = type("RootedHandler", (Handler,), {"root": directory})
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    server.serve_forever()


if __name__ == "__main__":
    main()
