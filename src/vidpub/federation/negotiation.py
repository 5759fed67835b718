"""Content negotiation and collection paging for ActivityPub documents.

`ActivityPubRoute` is a route that matches only requests whose `Accept` asks for ActivityPub JSON:
the same path without it falls through to the next route (the HTML page of that path), so the web
pages need not know about federation. `activity_response` returns a document with PeerTube's
content type; `collection_response` pages an OrderedCollection as PeerTube does (§5.2).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import Scope

from vidpub.federation.context import with_context

ACTIVITY_JSON = "application/activity+json; charset=utf-8"
_AP_TYPES = ("application/activity+json", "application/ld+json")
PAGE_SIZE = 10
MAX_PAGE = 100000


def wants_activity_json(accept: str) -> bool:
    """`Accept` names an ActivityPub type (PeerTube also accepts ld+json with the AS profile)."""
    for part in accept.lower().split(","):
        media_type = part.split(";", 1)[0].strip()
        if media_type in _AP_TYPES:
            return True
    return False


class ActivityPubRoute(APIRoute):
    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        match, child = super().matches(scope)
        if match == Match.NONE or scope.get("type") != "http":
            return match, child
        accept = next((value.decode("latin-1") for key, value in scope.get("headers", ()) if key == b"accept"), "")
        if not wants_activity_json(accept):
            return Match.NONE, {}
        return match, child


def activity_response(document: dict, kind: str | None = None, status: int = 200) -> Response:
    body = document if "@context" in document else with_context(document, kind)
    return Response(json.dumps(body, separators=(",", ":")), status_code=status, media_type=ACTIVITY_JSON,
                    headers={"Access-Control-Allow-Origin": "*"})


def page_number(request: Request) -> int | None:
    raw = request.query_params.get("page")
    if raw is None:
        return None
    try:
        page = int(raw)
    except ValueError:
        return 1
    return min(max(page, 1), MAX_PAGE)


ItemsLoader = Callable[[int, int], Awaitable[tuple[int, Sequence]]]


async def collection_response(request: Request, collection_id: str, load: ItemsLoader,
                              size: int = PAGE_SIZE) -> Response:
    """`load(start, count) -> (total, items)`. Without `?page`: the collection with its `first`
    page link; with it: that OrderedCollectionPage (`partOf`, `prev`/`next` when they exist)."""
    page = page_number(request)
    if page is None:
        total, _ = await load(0, 0)
        document = {"id": collection_id, "type": "OrderedCollection", "totalItems": total}
        if total > 0:
            document["first"] = f"{collection_id}?page=1"
        return activity_response(document)
    total, items = await load((page - 1) * size, size)
    document = {"id": f"{collection_id}?page={page}", "type": "OrderedCollectionPage", "partOf": collection_id,
                "totalItems": total, "orderedItems": list(items)}
    if page > 1:
        document["prev"] = f"{collection_id}?page={page - 1}"
    if page * size < total:
        document["next"] = f"{collection_id}?page={page + 1}"
    return activity_response(document)
