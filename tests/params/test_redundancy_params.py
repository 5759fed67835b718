"""Video Mirroring and Instance Redundancy: rights (403 without them) and bad input (400/404, never
a 500), on the shared server."""

from __future__ import annotations

import uuid

import pytest

VIDEOS = "/api/v1/server/redundancy/videos"


@pytest.fixture(scope="module")
def moderator(server):
    return server.create_user(f"rdp_mod_{uuid.uuid4().hex[:8]}", role=1)


@pytest.mark.parametrize("method,path,body", [
    ("GET", f"{VIDEOS}?target=my-videos", None), ("POST", VIDEOS, {"videoId": 1}),
    ("DELETE", f"{VIDEOS}/1", None), ("PUT", "/api/v1/server/redundancy/example.com", {"redundancyAllowed": True})])
def test_the_routes_need_the_admins_rights(server, moderator, method, path, body):
    assert server.anonymous.request(method, path, json=body).status_code == 401
    response = moderator.request(method, path, json=body)  # moderators have neither right
    assert response.status_code == 403, response.text
    assert "does not have right" in response.json()["detail"]


@pytest.mark.parametrize("params", [{}, {"target": "everything"}, {"target": "my-videos", "sort": "-createdAt"},
                                    {"target": "my-videos", "count": 101}, {"target": "my-videos", "start": -1}])
def test_bad_list_queries(server, params):
    response = server.root.get(VIDEOS, params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


def test_the_list_answers_with_a_page(server):
    for target in ("my-videos", "remote-videos"):
        response = server.root.get(VIDEOS, params={"target": target, "sort": "-name"})
        assert response.status_code == 200, response.text
        assert set(response.json()) == {"total", "data"}


@pytest.mark.parametrize("body", [{}, {"videoId": None}, {"videoId": "not a video"}, {"videoId": 1.5},
                                  {"videoId": True}, {"videoId": [1]}, {"videoId": "a\u0000b"}])
def test_bad_mirror_requests(server, body):
    response = server.root.post(VIDEOS, json=body)
    assert response.status_code == 400, response.text


def test_mirroring_an_unknown_or_a_local_video(server):
    assert server.root.post(VIDEOS, json={"videoId": 2**31 - 2}).status_code == 404
    assert server.root.post(VIDEOS, json={"videoId": str(uuid.uuid4())}).status_code == 404


@pytest.mark.parametrize("ref", ["0", "abc", "-1", str(2**40)])
def test_removing_a_bad_or_unknown_mirror(server, ref):
    response = server.root.delete(f"{VIDEOS}/{ref}")
    assert response.status_code == 400, response.text
    assert server.root.delete(f"{VIDEOS}/{2**31 - 2}").status_code == 404


@pytest.mark.parametrize("host,body,status", [
    ("unknown-host.example", {"redundancyAllowed": True}, 404),
    ("bad_host!", {"redundancyAllowed": True}, 400),
    ("example.com", {}, 400), ("example.com", {"redundancyAllowed": "yes"}, 400),
    ("example.com", {"redundancyAllowed": None}, 400)])
def test_bad_server_redundancy_updates(server, host, body, status):
    response = server.root.put(f"/api/v1/server/redundancy/{host}", json=body)
    assert response.status_code == status, response.text
