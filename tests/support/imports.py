"""Video import tests: a web server on loopback serving real media, and an instance allowed to import
from it (`federation.prevent_ssrf: false`; the default refuses loopback addresses)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.media import make_clip, make_image

IMPORT_CONFIG = {"import": {"videos": {"http": {"enabled": True}}}, "federation": {"prevent_ssrf": False}}

IMPORT_PENDING, IMPORT_SUCCESS, IMPORT_FAILED, IMPORT_CANCELLED = 1, 2, 3, 5
VIDEO_PUBLISHED, VIDEO_TO_IMPORT, VIDEO_TO_IMPORT_FAILED = 1, 3, 12


@dataclass
class Route:
    content_type: str
    body: bytes
    times: int | None = None  # answered this many times, then 404 (None: always)
    trickle: float = 0        # seconds between 64 KiB blocks after the first (a slow remote)
    served: int = 0


@dataclass
class MediaHost:
    """A threaded HTTP server on 127.0.0.1; `add()` publishes content under a path."""
    routes: dict[str, Route] = field(default_factory=dict)
    server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def add(self, path: str, body: bytes, content_type: str = "video/mp4", times: int | None = None,
            trickle: float = 0) -> str:
        self.routes[path] = Route(content_type, body, times, trickle)
        return self.base_url + path

    def start(self) -> MediaHost:
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_HEAD(self):
                self._answer(send_body=False)

            def do_GET(self):
                self._answer(send_body=True)

            def _answer(self, send_body: bool) -> None:
                route = host.routes.get(self.path.split("?", 1)[0])
                if route is None or (route.times is not None and route.served >= route.times):
                    self.send_error(404)
                    return
                if send_body:
                    route.served += 1
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                self.send_header("Last-Modified", "Thu, 04 Mar 2021 10:00:00 GMT")
                self.end_headers()
                if send_body:
                    block = 64 * 1024
                    for offset in range(0, len(route.body), block):
                        if offset and route.trickle:
                            time.sleep(route.trickle)
                        self.wfile.write(route.body[offset:offset + block])

            def log_message(self, *args) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address) -> None:
                pass  # clients (yt-dlp sniffing a file) hang up mid-answer on purpose

        self.server = Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture(scope="session")
def media_host(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("import-media")
    host = MediaHost().start()
    clip = make_clip(workdir / "clip.mp4", duration=3, width=320, height=240)
    host.add("/clip.mp4", clip.read_bytes())
    thumbnail = make_image(workdir / "thumb.jpg", 640, 360, "blue")
    host.add("/thumb.jpg", thumbnail.read_bytes(), "image/jpeg")
    yield host
    host.stop()


@pytest.fixture(scope="session")
def import_server(server_factory):
    """An instance importing over HTTP from private addresses (the loopback media host)."""
    return server_factory(config=IMPORT_CONFIG)


def video_page(media_url: str, *, title: str, description: str, keywords: str,
               thumbnail_url: str, upload_date: str = "2021-03-04T10:00:00Z") -> bytes:
    """A web page describing a video the way sites do for search engines (schema.org JSON-LD), which
    yt-dlp's generic extractor reads."""
    return f"""<!DOCTYPE html><html><head><title>{title} - Example</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "VideoObject",
 "name": "{title}", "description": "{description}", "thumbnailUrl": "{thumbnail_url}",
 "uploadDate": "{upload_date}", "contentUrl": "{media_url}", "keywords": "{keywords}"}}</script>
</head><body><p>{description}</p></body></html>""".encode()


def find_import(client, import_id: int) -> dict | None:
    response = client.get("/api/v1/users/me/videos/imports", params={"id": import_id})
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    return data[0] if data else None


def wait_for_import(client, import_id: int, *, states=(IMPORT_SUCCESS, IMPORT_FAILED), video_states=None,
                    timeout: float = 120) -> dict:
    """Poll the user's imports until the import reaches one of `states` (and its video one of
    `video_states` when given)."""
    deadline = time.time() + timeout
    item = None
    while time.time() < deadline:
        item = find_import(client, import_id)
        if item is not None and item["state"]["id"] in states and (
                video_states is None or (item["video"] and item["video"]["state"]["id"] in video_states)):
            return item
        time.sleep(0.3)
    raise AssertionError(f"import {import_id} did not reach {states}/{video_states}: {item}")


def channel_id(client) -> int:
    return client.get("/api/v1/users/me").json()["videoChannels"][0]["id"]
