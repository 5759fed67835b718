"""Every route guarded by a user right refuses anonymous callers (401) and callers without the right
(403): plain users always, moderators for the rights PeerTube does not give them.

The guarded routes are found by walking the app's own dependency tree for `require_right` checks, so a
route added with a right is covered here the moment it exists. Refusals change nothing, so the shared
server is used; positive checks (the right lets the caller through) are made with GET only."""

from __future__ import annotations

import uuid

import pytest

from tests.params.app_routes import introspection_app, required_rights, route_contexts
from vidpub.services.auth.rights import UserRole, has_right


def guarded_routes() -> list[tuple[str, str, frozenset]]:
    found = set()
    for route in route_contexts(introspection_app()):
        rights = required_rights(route)
        if rights:
            for method in set(route.methods or ()) - {"HEAD"}:
                found.add((method, route.path_format, frozenset(rights)))
    return sorted(found, key=lambda item: (item[1], item[0]))


GUARDED = guarded_routes()


def concrete(path: str) -> str:
    """Every path parameter set to 1: the rights check comes before anything is looked up."""
    parts = []
    for segment in path.split("/"):
        parts.append("1" if segment.startswith("{") and segment.endswith("}") else segment)
    return "/".join(parts)


def is_rights_refusal(response) -> bool:
    return response.status_code == 403 and "does not have right" in response.json().get("detail", "")


@pytest.fixture(scope="module")
def callers(server):
    suffix = uuid.uuid4().hex[:8]
    return {"user": server.create_user(f"perm_user_{suffix}", role=int(UserRole.USER)),
            "moderator": server.create_user(f"perm_mod_{suffix}", role=int(UserRole.MODERATOR))}


def test_the_walk_finds_the_guarded_routes():
    routes = {(method, path): rights for method, path, rights in GUARDED}
    # two routes of the spine, guarded at route level and at router level
    assert {right.name for right in routes[("GET", "/api/v1/users")]} == {"MANAGE_USERS"}
    assert {right.name for right in routes[("POST", "/api/v1/jobs/pause")]} == {"MANAGE_JOBS"}
    assert ("GET", "/api/v1/users/me") not in routes


@pytest.mark.parametrize("method,path,rights", GUARDED,
                         ids=[f"{method} {path}" for method, path, _ in GUARDED])
def test_guarded_route_refuses_callers_without_the_right(server, callers, method, path, rights):
    url = concrete(path)

    anonymous = server.anonymous.request(method, url)
    assert anonymous.status_code == 401, anonymous.text
    assert anonymous.headers["content-type"].startswith("application/problem+json")
    assert anonymous.json()["status"] == 401

    plain = callers["user"].request(method, url)
    assert plain.status_code == 403, plain.text
    assert plain.headers["content-type"].startswith("application/problem+json")
    assert plain.json()["status"] == 403

    moderator_allowed = all(has_right(UserRole.MODERATOR, right) for right in rights)
    if not moderator_allowed:
        moderator = callers["moderator"].request(method, url)
        assert moderator.status_code == 403, moderator.text
    elif method == "GET":
        moderator = callers["moderator"].get(url)
        assert moderator.status_code != 401 and not is_rights_refusal(moderator), moderator.text


@pytest.mark.parametrize("path", sorted({path for method, path, _ in GUARDED if method == "GET"}))
def test_administrators_pass_every_rights_check(server, path):
    response = server.root.get(concrete(path))
    assert response.status_code != 401 and not is_rights_refusal(response), response.text


def test_rights_refusal_is_recognised(server, callers):
    """The positive checks above look for the refusal's wording: make sure it is the one used."""
    assert ("GET", "/api/v1/users") in {(m, p) for m, p, _ in GUARDED}
    assert is_rights_refusal(callers["user"].get("/api/v1/users"))
    assert not is_rights_refusal(server.root.get("/api/v1/users"))
