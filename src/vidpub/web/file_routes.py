"""Routing of the file routes: GET with HEAD, and matching them before the API's routes."""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from starlette.routing import BaseRoute, Match
from starlette.types import Receive, Scope, Send


def get_and_head(router: APIRouter, path: str, **options):
    """Register a file route for GET and HEAD. HEAD is a second, unpublished route: FastAPI would
    publish one route with two methods as two operations with one operation id."""
    def register(endpoint):
        router.add_api_route(path, endpoint, methods=["GET"], **options)
        router.add_api_route(path, endpoint, methods=["HEAD"], include_in_schema=False)
        return endpoint

    return register


class FileRoutesFirst(BaseRoute):
    """The file routes, matched before every other route of the app.

    The app's router tries its routes in order, and the API's hundred-odd routes come first: a
    segment request paid ~200 µs of regular-expression matching before reaching its route (`make
    bench`, cProfile), most of the cost of a small file. This route claims a request only when its
    path starts with a file prefix and one of the file routes matches it fully, so the other routes
    pay one `str.startswith`; the routes themselves stay registered (and published) as usual."""

    def __init__(self, prefixes: tuple[str, ...], routers: list[APIRouter]):
        self.prefixes = prefixes
        self.routes = [route for router in routers for route in router.routes]

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or not scope["path"].startswith(self.prefixes):
            return Match.NONE, {}
        for route in self.routes:
            match, child_scope = route.matches(scope)
            if match == Match.FULL:
                return Match.FULL, {**child_scope, "vidpub.file_route": route}
        return Match.NONE, {}  # a wrong method or an unknown path: the app's router answers 405/404

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await scope["vidpub.file_route"].handle(scope, receive, send)


def serve_files_first(app: FastAPI, prefixes: tuple[str, ...], routers: list[APIRouter]) -> None:
    app.router.routes.insert(0, FileRoutesFirst(prefixes, routers))
