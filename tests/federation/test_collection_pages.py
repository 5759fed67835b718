"""Walking a remote collection's pages (`federation/collection_pages.py`): from `first` to `next`, on
the collection's host, within the page and item limits, stopping at an unreadable page."""

from __future__ import annotations

import asyncio

from vidpub.federation.collection_pages import collection_items, next_page
from vidpub.federation.fetch import FetchError

ROOT = "https://tube.example/outbox"


def test_pages_are_followed_from_first_to_next_and_not_in_circles():
    root = {"type": "OrderedCollection", "first": f"{ROOT}?page=1"}
    assert next_page(root, ROOT) == f"{ROOT}?page=1"
    embedded = {"type": "OrderedCollectionPage", "orderedItems": []}
    assert next_page({"type": "OrderedCollection", "first": embedded}, None) is embedded
    page = {"type": "OrderedCollectionPage", "next": f"{ROOT}?page=2"}
    assert next_page(page, f"{ROOT}?page=1") == f"{ROOT}?page=2"
    assert next_page(page, f"{ROOT}?page=2") is None
    assert next_page({"type": "OrderedCollectionPage", "next": "ftp://x"}, None) is None


def _pages(documents: dict[str, dict]):
    """A fetch over `documents` by URL, recording what was asked (FetchError for anything else)."""
    asked: list[str] = []

    async def fetch(url: str) -> dict:
        asked.append(url)
        if url not in documents:
            raise FetchError(f"{url}: 404")
        return documents[url]

    return fetch, asked


def _page(number: int, items: list, following: str | None) -> dict:
    return {"type": "OrderedCollectionPage", "id": f"{ROOT}?page={number}", "orderedItems": items,
            "next": following}


def test_items_of_every_page_in_order_with_an_embedded_first_page():
    fetch, asked = _pages({f"{ROOT}?page=2": _page(2, ["c", {"id": "d"}, 7], None)})
    root = {"type": "OrderedCollection", "id": ROOT, "first": _page(1, ["a", "b"], f"{ROOT}?page=2")}
    items = asyncio.run(collection_items(fetch, root, ROOT, max_pages=10))
    assert items == ["a", "b", "c", {"id": "d"}]  # neither ids nor documents: left out
    assert asked == [f"{ROOT}?page=2"]


def test_the_walk_stays_on_the_collections_host_and_within_its_limits():
    fetch, asked = _pages({
        ROOT: {"type": "OrderedCollection", "first": f"{ROOT}?page=1"},
        f"{ROOT}?page=1": _page(1, ["a", "b"], f"{ROOT}?page=2"),
        f"{ROOT}?page=2": _page(2, ["c"], "https://elsewhere.example/outbox?page=3"),
    })
    assert asyncio.run(collection_items(fetch, ROOT, ROOT, max_pages=10)) == ["a", "b", "c"]
    assert "https://elsewhere.example/outbox?page=3" not in asked
    assert asyncio.run(collection_items(fetch, ROOT, ROOT, max_pages=2)) == ["a", "b"]
    assert asyncio.run(collection_items(fetch, ROOT, ROOT, max_pages=10, max_items=1)) == ["a"]


def test_an_unreadable_page_ends_the_walk_keeping_what_came_before():
    fetch, _ = _pages({f"{ROOT}?page=1": _page(1, ["a"], f"{ROOT}?page=2")})
    assert asyncio.run(collection_items(fetch, f"{ROOT}?page=1", ROOT, max_pages=10)) == ["a"]
