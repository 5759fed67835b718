"""My Notifications: who may call, and bad input named by field."""

from __future__ import annotations

import uuid

import pytest

from tests.support.notifications import NOTIFICATIONS, REQUIRED_SETTINGS, SETTINGS

ROUTES = [("GET", NOTIFICATIONS), ("POST", f"{NOTIFICATIONS}/read"), ("POST", f"{NOTIFICATIONS}/read-all"),
          ("PUT", SETTINGS)]


@pytest.mark.parametrize("method,path", ROUTES)
def test_anonymous_callers_are_refused(server, method, path):
    response = server.anonymous.request(method, path, json={"ids": [1]})
    assert response.status_code == 401, response.text


@pytest.fixture(scope="module")
def user(server):
    return server.create_user(f"notifp_{uuid.uuid4().hex[:8]}")


@pytest.mark.parametrize("params", [{"start": -1}, {"count": -1}, {"count": 101}, {"start": 2**40},
                                    {"sort": "-id"}, {"sort": "title"}, {"unread": "maybe"},
                                    {"typeOneOf": "x"}, {"typeOneOf": 0}])
def test_list_query_is_checked(user, params):
    response = user.get(NOTIFICATIONS, params=params)
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": "1"}, {"ids": [1, "x"]}, {"ids": [2**40]},
                                  {"ids": [True]}, {"ids": list(range(1001))}, {"ids": None}])
def test_read_needs_a_list_of_ids(user, body):
    response = user.post(f"{NOTIFICATIONS}/read", json=body)
    assert response.status_code == 400, response.text
    assert {key.split(".")[0] for key in response.json()["invalid-params"]} == {"ids"}


@pytest.mark.parametrize("field", sorted(REQUIRED_SETTINGS))
def test_every_spec_setting_is_required(user, field):
    body = {key: value for key, value in REQUIRED_SETTINGS.items() if key != field}
    response = user.put(SETTINGS, json=body)
    assert response.status_code == 400, response.text
    assert field in response.json()["invalid-params"]


@pytest.mark.parametrize("value", [-1, 4, 1.5, "1", True, None, 2**40])
def test_setting_values_are_none_web_email_or_both(user, value):
    for field in ("newFollow", "myVideoStudioEditionFinished"):
        response = user.put(SETTINGS, json={**REQUIRED_SETTINGS, field: value})
        if value is None and field == "myVideoStudioEditionFinished":
            assert response.status_code == 204, response.text  # optional: null leaves it as it is
            continue
        assert response.status_code == 400, response.text
        assert field in response.json()["invalid-params"]
