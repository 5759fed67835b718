"""Every HTML page refuses U+0000 in its address (path or query) with a 400 error page, as the API
answers 400 to it: PostgreSQL cannot even compare text holding one, so it must never reach a query.
The pages are read from the app itself, so a page added later is swept too."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.params.app_routes import introspection_app, original, route_contexts
from vidpub.web.rendering import PageRoute

PATH_PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")


def page_routes() -> list[tuple[str, str]]:
    """(method, path template) of every route answering HTML pages."""
    routes = {(method, route.path) for route in route_contexts(introspection_app())
              if isinstance(original(route), PageRoute) for method in route.methods}
    return sorted(routes)


def test_the_sweep_sees_the_pages_that_failed_before():
    paths = {path for _, path in page_routes()}
    assert {"/a/{handle}/videos", "/c/{handle}/videos", "/search", "/w/{ref}", "/admin/users"} <= paths


def nul_addresses(path: str) -> list[tuple[str, dict]]:
    """The page's address with NUL in each path parameter, then with NUL in the query."""
    plain = PATH_PARAM.sub("abc", path)
    addresses = [(PATH_PARAM.sub(lambda m, i=i: "a%00b" if m.start() == i else "abc", path), {})
                 for i in (m.start() for m in PATH_PARAM.finditer(path))]
    addresses += [(plain, {"search": "x\x00y", "start": "1"}), (plain, {"na\x00me": "value"})]
    return addresses


@pytest.mark.parametrize(("method", "path"), page_routes())
def test_nul_in_a_page_address_answers_a_400_page(server, method, path):
    with httpx.Client(base_url=server.url, timeout=30, headers={"Origin": server.url}) as browser:
        for address, query in nul_addresses(path):
            response = browser.request(method, address, params=query)
            where = f"{method} {response.request.url}"
            assert response.status_code == 400, (where, response.status_code, response.text[:300])
            assert response.headers["content-type"].startswith("text/html"), where
            assert "Bad request" in response.text and "\x00" not in response.text, where
