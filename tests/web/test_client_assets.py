"""`/client/`: our own JavaScript and CSS, served as static files next to (never inside) PeerTube's
`/static/` and `/lazy-static/` URL spaces."""

from __future__ import annotations


def test_the_player_stylesheet_is_served(server):
    response = server.anonymous.get("/client/player/player.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert ".vp-player" in response.text
    assert response.headers.get("etag")


def test_unknown_and_escaping_paths_are_not_found(server):
    assert server.anonymous.get("/client/player/nothing-here.js").status_code == 404
    assert server.anonymous.get("/client/..%2Fpages.py").status_code == 404
    assert server.anonymous.get("/client/../app.py").status_code == 404
