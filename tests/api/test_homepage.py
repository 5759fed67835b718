"""The instance's custom homepage: none at first, set and replaced by an administrator, readable by
anyone, and announced in `/api/v1/config` (`homepage.enabled`) as soon as it has content."""

from __future__ import annotations

import pytest

HOMEPAGE = "/api/v1/custom-pages/homepage/instance"


@pytest.fixture(scope="module")
def instance(server_factory):
    return server_factory()


def _enabled(client) -> bool:
    response = client.get("/api/v1/config")
    assert response.status_code == 200, response.text
    return response.json()["homepage"]["enabled"]


def test_homepage_lifecycle(instance):
    anonymous, root = instance.anonymous, instance.root
    missing = anonymous.get(HOMEPAGE)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    assert _enabled(anonymous) is False

    content = "# Welcome\n\n<peertube-videos-list data-count=\"4\"></peertube-videos-list>\n\nÇa marche."
    assert root.put(HOMEPAGE, json={"content": content}).status_code == 204
    assert anonymous.get(HOMEPAGE).json() == {"content": content}
    assert _enabled(anonymous) is True

    assert root.put(HOMEPAGE, json={"content": "second"}).status_code == 204
    assert anonymous.get(HOMEPAGE).json() == {"content": "second"}

    # an empty page: the client shows its default home again
    assert root.put(HOMEPAGE, json={"content": ""}).status_code == 204
    assert anonymous.get(HOMEPAGE).json() == {"content": ""}
    assert _enabled(anonymous) is False


def test_the_homepage_survives_a_restart(instance):
    assert instance.root.put(HOMEPAGE, json={"content": "kept"}).status_code == 204
    instance.stop()
    instance.start()
    assert instance.anonymous.get(HOMEPAGE).json() == {"content": "kept"}
    assert _enabled(instance.anonymous) is True
