"""How clients and crawlers find out what this server is."""

from __future__ import annotations

import re

import httpx


def test_api_responses_say_powered_by_peertube(server):
    for path in ("/api/v1/videos", "/api/v1/oauth-clients/local", "/api/v1/users/me", "/api/v1/nowhere"):
        assert httpx.get(server.url + path).headers.get("x-powered-by") == "PeerTube", path


def test_home_page_carries_the_og_platform_meta_tag(server):
    response = httpx.get(server.url + "/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert re.search(r'<meta property="og:platform" content="PeerTube">', response.text)
    assert response.headers["x-powered-by"] == "PeerTube"
    assert response.headers["x-frame-options"] == "DENY"


def test_robots_and_security_txt(server):
    robots = httpx.get(server.url + "/robots.txt")
    assert robots.status_code == 200 and robots.headers["content-type"].startswith("text/plain")
    assert "User-agent: *" in robots.text
    security = httpx.get(server.url + "/.well-known/security.txt")
    assert security.status_code == 200 and "Contact:" in security.text
    legacy = httpx.get(server.url + "/security.txt")
    assert legacy.status_code == 301 and legacy.headers["location"] == "/.well-known/security.txt"


def test_host_meta_points_at_webfinger(server):
    response = httpx.get(server.url + "/.well-known/host-meta")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    assert f'template="{server.url}/.well-known/webfinger?resource={{uri}}"' in response.text


def test_unknown_routes_are_problem_documents(server):
    response = httpx.get(server.url + "/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 404 and body["type"] == "about:blank"


def test_openapi_document_is_published(server):
    spec = httpx.get(server.url + "/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/users/token" in spec["paths"]
