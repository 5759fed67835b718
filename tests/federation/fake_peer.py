"""A fake remote instance on loopback, for tests that must send what real peers send.

`FakePeer` serves JSON documents (actors, videos, notes...) at paths of its own host, answers
WebFinger for its actors, and records every POST it receives (its inboxes). Its actors have real RSA
keys: `peer.post(inbox_url, activity, actor)` sends an activity HTTP-signed exactly as PeerTube does,
and keyword arguments break the signature in chosen ways for the security tests.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx

from tests.support.postgres import free_port
from vidpub.federation import ld_signatures
from vidpub.federation.context import with_context
from vidpub.federation.keys import generate_key_pair
from vidpub.federation.signatures import sign_request


@dataclass
class FakeActor:
    url: str
    name: str
    type: str
    public_key: str
    private_key: str
    document: dict = field(default_factory=dict)

    @property
    def inbox(self) -> str:
        return f"{self.url}/inbox"


@dataclass
class ReceivedPost:
    path: str
    headers: dict
    body: bytes

    @property
    def activity(self) -> dict:
        return json.loads(self.body)


class FakePeer:
    def __init__(self, inbox_status: int = 204):
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        self.url = f"http://{self.host}"
        self.documents: dict[str, dict] = {}
        self.received: list[ReceivedPost] = []
        self.inbox_status = inbox_status
        self.actors: dict[str, FakeActor] = {}
        self._lock = threading.Lock()
        peer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _send(self, status: int, document: dict | None, content_type="application/activity+json"):
                body = json.dumps(document).encode() if document is not None else b""
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                parts = urlsplit(self.path)
                if parts.path == "/.well-known/webfinger":
                    resource = parse_qs(parts.query).get("resource", [""])[0]
                    name = resource.removeprefix("acct:").split("@", 1)[0]
                    actor = peer.actors.get(name)
                    if actor is None:
                        return self._send(404, {"error": "not found"})
                    return self._send(200, {"subject": resource, "links": [
                        {"rel": "self", "type": "application/activity+json", "href": actor.url}]},
                        "application/jrd+json")
                document = peer.documents.get(parts.path)
                if document is None:
                    return self._send(404, {"error": "not found"})
                return self._send(200, document)

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                with peer._lock:
                    peer.received.append(ReceivedPost(self.path, dict(self.headers.items()), body))
                self._send(peer.inbox_status, None)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> FakePeer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- documents --------------------------------------------------------------------------------

    def serve(self, path: str, document: dict) -> str:
        self.documents[path] = document
        return self.url + path

    def add_actor(self, name: str, actor_type: str = "Person", *, owner: FakeActor | None = None,
                  key_size: int = 1024, **extra) -> FakeActor:
        """An actor document shaped like PeerTube's (a `Group` needs its owner `Person`)."""
        public, private = generate_key_pair(key_size)
        folder = "video-channels" if actor_type == "Group" else "accounts"
        url = f"{self.url}/{folder}/{name}"
        document = {
            "type": actor_type, "id": url, "following": f"{url}/following", "followers": f"{url}/followers",
            "playlists": f"{url}/playlists", "inbox": f"{url}/inbox", "outbox": f"{url}/outbox",
            "preferredUsername": name, "url": [{"type": "Link", "mediaType": "text/html", "href": url}],
            "name": extra.pop("display_name", name.title()), "endpoints": {"sharedInbox": f"{self.url}/inbox"},
            "publicKey": {"id": f"{url}#main-key", "owner": url, "publicKeyPem": public},
            "published": "2024-01-02T03:04:05.000Z", "summary": extra.pop("summary", None),
            "icon": [{"type": "Image", "mediaType": "image/png", "height": 48, "width": 48,
                      "url": f"{self.url}/lazy-static/avatars/{name}.png"}],
        }
        if owner is not None:
            document["attributedTo"] = [{"type": "Person", "id": owner.url}]
        document.update(extra)
        document = with_context(document, "Actor")
        actor = FakeActor(url, name, actor_type, public, private, document)
        self.actors[name] = actor
        self.serve(urlsplit(url).path, document)
        return actor

    # -- sending ----------------------------------------------------------------------------------

    def signed_headers(self, url: str, body: bytes, actor: FakeActor, *, key_id: str | None = None,
                       private_key: str | None = None, now: float | None = None) -> dict:
        return sign_request("POST", url, key_id=key_id or actor.url, private_key_pem=private_key or actor.private_key,
                            body=body, now=now, headers={"Content-Type": "application/activity+json"})

    def post(self, inbox_url: str, activity: dict, actor: FakeActor, *, ld_sign: bool = False,
             body: bytes | None = None, headers: dict | None = None, **sign_options) -> httpx.Response:
        """POST `activity` signed by `actor`; `body`/`headers` replace what is sent after signing
        (to forge), `sign_options` go to `signed_headers`."""
        if ld_sign:
            activity = ld_signatures.sign(activity, creator=actor.url, private_key_pem=actor.private_key)
        signed_body = json.dumps(activity).encode()
        sent_headers = self.signed_headers(inbox_url, signed_body, actor, **sign_options)
        sent_headers.pop("Host", None)
        if headers is not None:
            sent_headers = {**sent_headers, **headers}
            sent_headers = {k: v for k, v in sent_headers.items() if v is not None}
        return httpx.post(inbox_url, content=body if body is not None else signed_body, headers=sent_headers,
                          timeout=30)

    def posts_to(self, path_suffix: str = "") -> list[ReceivedPost]:
        with self._lock:
            return [post for post in self.received if post.path.endswith(path_suffix)]
