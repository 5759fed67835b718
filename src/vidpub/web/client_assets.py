"""Our own browser assets (the player's and the pages' JavaScript and CSS), served under `/client/`.

PeerTube's media URLs own `/static/` and `/lazy-static/`; nothing of ours may be mounted there."""

from __future__ import annotations

from importlib import resources

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

CLIENT_PREFIX = "/client"
CLIENT_DIRECTORY = resources.files("vidpub.web").joinpath("client")


def mount_client_assets(app: FastAPI) -> None:
    app.mount(CLIENT_PREFIX, StaticFiles(directory=str(CLIENT_DIRECTORY)), name="client")
