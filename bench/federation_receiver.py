"""`python -m bench.federation_receiver --servers 200`: one process playing many remote instances for
the federation fan-out benchmark.

Each simulated server is one loopback port (so a distinct host, `127.0.0.1:<port>`, with its own
connections); all share one event loop. Every POST to `/inbox` or `/accounts/<name>/inbox` has its
draft-cavage signature verified as a real peer would: required headers, date window, Digest against the
body, and the RSA signature against the sender's public key, fetched once from its actor URL.
`GET /stats` on the control port gives the counts and the time (epoch seconds) of the last accepted
delivery. On start the process prints one JSON line: `{"control": port, "ports": [...]}`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import sys
import time

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from vidpub.federation.signatures import (
    SignatureError,
    check_request,
    parse_signature_header,
    verify_signature,
)

AP_ACCEPT = "application/activity+json"


class Receiver:
    def __init__(self):
        self.accepted = 0
        self.refused = 0
        self.requests = 0
        self.by_host: dict[str, int] = {}
        self.first_at: float | None = None
        self.last_accepted_at: float | None = None
        self.activity_ids: set[str] = set()
        self.keys: dict[str, str] = {}
        self.key_fetches = 0
        self.client = httpx.AsyncClient(timeout=10)
        self.errors: list[str] = []

    async def key_of(self, actor_url: str) -> str:
        if actor_url not in self.keys:
            self.key_fetches += 1
            document = (await self.client.get(actor_url, headers={"Accept": AP_ACCEPT})).json()
            self.keys[actor_url] = document["publicKey"]["publicKeyPem"]
        return self.keys[actor_url]

    async def inbox(self, request: Request) -> Response:
        self.requests += 1
        now = time.time()
        self.first_at = self.first_at or now
        body = await request.body()
        host = request.headers.get("host", "")
        try:
            parsed = parse_signature_header(request.headers)
            check_request(parsed, method="POST", headers=request.headers, body=body)
            key = await self.key_of(parsed.actor_url)
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            if not verify_signature(parsed, key, method="POST", target=target, headers=request.headers):
                raise SignatureError("bad signature")
            activity = json.loads(body)
        except (SignatureError, ValueError, KeyError, httpx.HTTPError) as error:
            self.refused += 1
            if len(self.errors) < 10:
                self.errors.append(f"{host}: {error}")
            return Response(status_code=401)
        self.accepted += 1
        self.by_host[host] = self.by_host.get(host, 0) + 1
        self.activity_ids.add(str(activity.get("id")))
        self.last_accepted_at = time.time()
        return Response(status_code=204)

    async def stats(self, request: Request) -> Response:
        return JSONResponse({"requests": self.requests, "accepted": self.accepted, "refused": self.refused,
                             "hosts": len(self.by_host), "max_per_host": max(self.by_host.values(), default=0),
                             "first_at": self.first_at, "last_accepted_at": self.last_accepted_at,
                             "activities": sorted(self.activity_ids), "key_fetches": self.key_fetches,
                             "errors": self.errors})

    async def reset(self, request: Request) -> Response:
        self.__init__()
        return Response(status_code=204)


def _socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(512)
    sock.setblocking(False)
    return sock


async def serve(servers: int) -> None:
    receiver = Receiver()
    app = Starlette(routes=[
        Route("/inbox", receiver.inbox, methods=["POST"]),
        Route("/accounts/{name}/inbox", receiver.inbox, methods=["POST"]),
        Route("/stats", receiver.stats, methods=["GET"]),
        Route("/reset", receiver.reset, methods=["POST"]),
    ])
    control = _socket()
    sockets = [_socket() for _ in range(servers)]
    print(json.dumps({"control": control.getsockname()[1], "ports": [s.getsockname()[1] for s in sockets]}),
          flush=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off", backlog=512)
    await uvicorn.Server(config).serve(sockets=[control, *sockets])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.federation_receiver")
    parser.add_argument("--servers", type=int, default=200)
    args = parser.parse_args()
    try:
        asyncio.run(serve(args.servers))
    except KeyboardInterrupt:
        sys.exit(0)


if __name__ == "__main__":
    main()
