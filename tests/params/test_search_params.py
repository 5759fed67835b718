"""Bad input and missing rights on the search API, the overviews and the instance homepage: PeerTube's
4xx problem documents naming the field, never a 5xx."""

from __future__ import annotations

import pytest

HOMEPAGE = "/api/v1/custom-pages/homepage/instance"


def _invalid(response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = response.json()["invalid-params"]
    assert any(name == field or name.startswith(f"{field}.") for name in fields), response.text


@pytest.mark.parametrize("params,field", [
    ({"sort": "-nothing"}, "sort"),
    ({"count": 101}, "count"),
    ({"count": -1}, "count"),
    ({"start": -1}, "start"),
    ({"start": 2**40}, "start"),
    ({"search": "x" * 1001}, "search"),
    ({"searchTarget": "everywhere"}, "searchTarget"),
    ({"searchTarget": "search-index"}, "searchTarget"),   # no search index configured
    ({"startDate": "yesterday"}, "startDate"),
    ({"endDate": "2024-13-45"}, "endDate"),
    ({"originallyPublishedStartDate": "x"}, "originallyPublishedStartDate"),
    ({"originallyPublishedEndDate": "1x"}, "originallyPublishedEndDate"),
    ({"durationMin": -1}, "durationMin"),
    ({"durationMax": "long"}, "durationMax"),
    ({"categoryOneOf": "music"}, "categoryOneOf"),
    ({"nsfw": "maybe"}, "nsfw"),
    ({"search": "a\x00b"}, "search"),
])
def test_bad_video_searches(server, params, field):
    _invalid(server.anonymous.get("/api/v1/search/videos", params=params), field)


@pytest.mark.parametrize("path", ["/api/v1/search/video-channels", "/api/v1/search/video-playlists"])
@pytest.mark.parametrize("params,field", [
    ({"sort": "-views"}, "sort"),
    ({"count": 101}, "count"),
    ({"start": -1}, "start"),
    ({"search": "x" * 1001}, "search"),
    ({"searchTarget": "search-index"}, "searchTarget"),
    ({"host": "h" * 256}, "host"),
])
def test_bad_channel_and_playlist_searches(server, path, params, field):
    _invalid(server.anonymous.get(path, params=params), field)


def test_bad_array_filters(server):
    _invalid(server.anonymous.get("/api/v1/search/video-channels", params={"handles[]": "h" * 301}), "handles")
    _invalid(server.anonymous.get("/api/v1/search/video-playlists", params={"uuids[]": "u" * 37}), "uuids")


@pytest.mark.parametrize("text", ["%", "_", "\"", "'", "*", "(", "NEAR(a b)", "a OR b", "-x", ":*", "&|!",
                                  "@", "@@", "http://", "https://[::1", "ünïcödé", "🙂", "a" * 1000])
def test_any_text_is_a_search_not_an_error(server, text):
    for path in ("/api/v1/search/videos", "/api/v1/search/video-channels", "/api/v1/search/video-playlists",
                 "/api/v1/videos"):
        response = server.anonymous.get(path, params={"search": text})
        assert response.status_code == 200, (path, text, response.text)


def test_moderator_only_options(server, unique):
    user = server.create_user(f"srchpar{unique}")
    for client in (server.anonymous, user):
        response = client.get("/api/v1/search/videos", params={"search": "x", "include": 1})
        assert response.status_code == 401, response.text
        response = client.get("/api/v1/search/videos", params={"search": "x", "privacyOneOf": 3})
        assert response.status_code == 401, response.text
    assert server.root.get("/api/v1/search/videos", params={"search": "x", "include": 1}).status_code == 200


@pytest.mark.parametrize("page", ["0", "21", "-1", "first"])
def test_bad_overview_pages(server, page):
    _invalid(server.anonymous.get("/api/v1/overviews/videos", params={"page": page}), "page")


def test_homepage_needs_the_right(server, unique):
    assert server.anonymous.put(HOMEPAGE, json={"content": "x"}).status_code == 401
    user = server.create_user(f"homepar{unique}")
    moderator = server.create_user(f"homemod{unique}", role=1)
    for client in (user, moderator):
        response = client.put(HOMEPAGE, json={"content": "x"})
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")


@pytest.mark.parametrize("body,field", [
    ({"content": 5}, "content"),
    ({"content": ["a"]}, "content"),
    ({"content": "x" * 100_001}, "content"),
    ({"content": "a\x00b"}, "content"),
])
def test_bad_homepage_bodies(server, body, field):
    response = server.root.put(HOMEPAGE, json=body)
    _invalid(response, field)
