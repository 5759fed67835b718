"""My History: who may call, and bad input named by field."""

from __future__ import annotations

import uuid

import pytest

HISTORY = "/api/v1/users/me/history/videos"


@pytest.mark.parametrize("method,path", [("GET", HISTORY), ("DELETE", f"{HISTORY}/1"),
                                         ("POST", f"{HISTORY}/remove")])
def test_anonymous_callers_are_refused(server, method, path):
    assert server.anonymous.request(method, path).status_code == 401


@pytest.fixture(scope="module")
def user(server):
    return server.create_user(f"histp_{uuid.uuid4().hex[:8]}")


@pytest.mark.parametrize("params", [{"start": -1}, {"count": -1}, {"count": 101}, {"start": 2**40},
                                    {"search": "x" * 1001}])
def test_list_query_is_checked(user, params):
    assert user.get(HISTORY, params=params).status_code == 400


@pytest.mark.parametrize("video_id", ["0", "-1", "abc", str(2**31), "1.5"])
def test_the_video_id_is_an_id(user, video_id):
    response = user.delete(f"{HISTORY}/{video_id}")
    assert response.status_code == 400, response.text


@pytest.mark.parametrize("value", ["yesterday", "2024-13-01", "", 12, ["2024-01-01"], "2024-01-01\x00"])
def test_before_date_must_be_iso_8601(user, value):
    response = user.post(f"{HISTORY}/remove", json={"beforeDate": value})
    assert response.status_code == 400, response.text
    assert "beforeDate" in response.json()["invalid-params"]


def test_a_malformed_body_is_refused(user):
    response = user.post(f"{HISTORY}/remove", content=b"{not json",
                         headers={"Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    form = user.post(f"{HISTORY}/remove", data={"beforeDate": "not a date"})
    assert form.status_code == 400 and "beforeDate" in form.json()["invalid-params"]
