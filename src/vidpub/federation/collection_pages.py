"""Reading a remote ActivityPub collection page by page: an outbox, a playlist's elements.

A collection gives its `first` page (a URL or the page itself, embedded); each page gives its items
and the `next` page. Pages are read on the collection's own host only (another host could slip in
items the collection's owner never published), up to a number of pages, and the walk stops at the
first page that cannot be read: what came before is kept.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from vidpub.federation.ap.common import as_list, is_http_url, optional_id, same_host
from vidpub.federation.fetch import FetchError

log = logging.getLogger("vidpub.federation.collection_pages")

_COLLECTIONS = ("OrderedCollection", "Collection")


def page_items(page: dict) -> list[Any]:
    return as_list(page.get("orderedItems") or page.get("items"))


def next_page(page: dict, current: str | None) -> str | dict | None:
    """What to read after `page`: a collection's `first`, a page's `next` (a URL, or an embedded page)."""
    following = page.get("first") if page.get("type") in _COLLECTIONS else page.get("next")
    if isinstance(following, dict):
        return following
    return following if is_http_url(following) and following != current else None


async def collection_items(fetch: Callable[[str], Awaitable[dict]], start: str | dict, origin: str, *,
                           max_pages: int, max_items: int | None = None) -> list[dict | str]:
    """The items (documents or ids) of the pages from `start` (the collection or its first page), read
    with `fetch` while on the host of `origin`."""
    items: list[dict | str] = []
    following: str | dict | None = start
    pages = 0
    while following is not None and pages < max_pages and (max_items is None or len(items) < max_items):
        if isinstance(following, dict):
            page, current = following, optional_id(following)
        else:
            if not same_host(following, origin):
                break
            try:
                page = await fetch(following)
            except FetchError as error:
                log.info("collection page %s not read: %s", following, error)
                break
            current = following
        pages += 1
        items += [item for item in page_items(page) if isinstance(item, dict | str)]
        following = next_page(page, current)
    return items if max_items is None else items[:max_items]
