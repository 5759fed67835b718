"""ASGI middleware kept at the raw protocol level (cheap on every request)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

EMBED_PREFIXES = ("/videos/embed", "/video-playlists/embed")


class PeerTubeHeaders:
    """`x-powered-by: PeerTube` on every response (how clients detect an instance) and
    `X-Frame-Options: DENY` outside embed pages when frameguard is on."""

    def __init__(self, app: ASGIApp, powered_by: bool = True, frameguard: bool = True):
        self.app = app
        self.powered_by = powered_by
        self.frameguard = frameguard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deny_frames = self.frameguard and not scope["path"].startswith(EMBED_PREFIXES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if self.powered_by:
                    headers.append((b"x-powered-by", b"PeerTube"))
                if deny_frames:
                    headers.append((b"x-frame-options", b"DENY"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
