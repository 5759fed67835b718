"""The federation's HTTP routes: actor documents and collections, inboxes, WebFinger, and the
object routes of the other federation modules. Each helper appends its router's include below."""

from __future__ import annotations

from fastapi import FastAPI


def include_federation_routes(app: FastAPI) -> None:
    from vidpub.federation.routes import actors, inbox, webfinger

    for module in (webfinger, inbox, actors):
        app.include_router(module.router)
    from vidpub.federation.routes import social  # FED-SOCIAL: comments and playlists
    app.include_router(social.router)
    from vidpub.federation.routes import videos  # FED-VIDEOS: video documents, collections, outboxes
    app.include_router(videos.router)
    from vidpub.federation.routes import redundancy  # REDUNDANCY: our CacheFiles
    app.include_router(redundancy.router)
