"""My Subscriptions: who may call, and bad input named by field."""

from __future__ import annotations

import uuid

import pytest

from tests.support.notifications import SUBSCRIPTIONS

ROUTES = [("GET", SUBSCRIPTIONS), ("POST", SUBSCRIPTIONS), ("GET", f"{SUBSCRIPTIONS}/exist?uris=a@b.example"),
          ("GET", f"{SUBSCRIPTIONS}/videos"), ("GET", f"{SUBSCRIPTIONS}/a@b.example"),
          ("DELETE", f"{SUBSCRIPTIONS}/a@b.example")]


@pytest.mark.parametrize("method,path", ROUTES)
def test_anonymous_callers_are_refused(server, method, path):
    response = server.anonymous.request(method, path, json={"uri": "a@b.example"})
    assert response.status_code == 401, response.text


@pytest.fixture(scope="module")
def fan(server):
    return server.create_user(f"subsp_{uuid.uuid4().hex[:8]}")


@pytest.mark.parametrize("body", [{}, {"uri": None}, {"uri": 12}, {"uri": ""}, {"uri": "no_host"},
                                  {"uri": "a@b@c"}, {"uri": "@host.example"}, {"uri": "name@"},
                                  {"uri": "bad name@host.example"}, {"uri": "x" * 300 + "@host.example"},
                                  {"uri": "name@host.example\x00"}])
def test_a_bad_uri_names_the_field(fan, body):
    response = fan.post(SUBSCRIPTIONS, json=body)
    assert response.status_code == 400, response.text
    assert "uri" in response.json()["invalid-params"]


@pytest.mark.parametrize("uris", [[], ["no_host"], ["a@b.example", "@b.example"], ["a@b.example"] * 501])
def test_exist_needs_valid_handles(fan, uris):
    response = fan.get(f"{SUBSCRIPTIONS}/exist", params=[("uris", uri) for uri in uris])
    assert response.status_code == 400, response.text
    assert "uris" in response.json()["invalid-params"]


@pytest.mark.parametrize("handle", ["no_host", "a@b@c", "%00@host.example"])
def test_a_bad_handle_in_the_path_is_a_400(fan, handle):
    for method in ("GET", "DELETE"):
        response = fan.request(method, f"{SUBSCRIPTIONS}/{handle}")
        assert response.status_code == 400, response.text


def test_an_unknown_subscription_is_a_404(fan):
    assert fan.get(f"{SUBSCRIPTIONS}/nobody@peertube.example").status_code == 404
    assert fan.delete(f"{SUBSCRIPTIONS}/nobody@peertube.example").status_code == 404


@pytest.mark.parametrize("params", [{"start": -1}, {"count": -1}, {"count": 101}, {"start": 2**40},
                                    {"sort": "-name"}, {"sort": "x" * 200}, {"search": ""}])
def test_list_pagination_and_sort_are_checked(fan, params):
    response = fan.get(SUBSCRIPTIONS, params=params)
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("params", [{"start": -1}, {"count": 101}, {"sort": "-nope"}, {"categoryOneOf": "x"},
                                    {"privacyOneOf": 3}, {"include": 1}])
def test_subscription_videos_check_the_list_filters(fan, params):
    response = fan.get(f"{SUBSCRIPTIONS}/videos", params=params)
    assert 400 <= response.status_code < 500, response.text
