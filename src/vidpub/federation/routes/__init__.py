"""The federation's HTTP routes: actor documents and collections, inboxes, WebFinger, and the
object routes of the other federation modules. Each helper appends its router's include below."""

from __future__ import annotations

from fastapi import FastAPI


def include_federation_routes(app: FastAPI) -> None:
    from vidpub.federation.routes import actors, inbox, webfinger

    for module in (webfinger, inbox, actors):
        app.include_router(module.router)
