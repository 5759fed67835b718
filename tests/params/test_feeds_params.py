"""Feeds and oEmbed: bad input is a 4xx problem naming the field, never a 5xx."""

from __future__ import annotations

import uuid

import pytest


@pytest.mark.parametrize("path", ["/feeds/videos.html", "/feeds/subscriptions.pdf", "/feeds/video-comments.rss3"])
def test_unknown_formats(server, path):
    response = server.anonymous.get(path)
    assert response.status_code == 400
    assert "format" in response.json()["invalid-params"]


@pytest.mark.parametrize("params,field", [
    ({"format": "html"}, "format"), ({"accountId": "abc"}, "accountId"), ({"accountId": 0}, "accountId"),
    ({"accountId": 2**31}, "accountId"), ({"videoChannelId": -3}, "videoChannelId"),
    ({"accountName": "x" * 301}, "accountName"), ({"sort": "-nope"}, "sort"), ({"nsfw": "maybe"}, "nsfw"),
    ({"isLocal": "perhaps"}, "isLocal"), ({"include": 4096}, "include"), ({"privacyOneOf": 9}, "privacyOneOf"),
    ({"hasHLSFiles": "x"}, "hasHLSFiles")])
def test_bad_video_feed_filters(server, params, field):
    response = server.anonymous.get("/feeds/videos.xml", params=params)
    assert response.status_code == 400, response.text
    assert field in response.json()["invalid-params"]


def test_moderators_filters_need_the_right(server):
    user = server.create_user(f"feedp_user_{uuid.uuid4().hex[:8]}")
    for params in ({"include": 1}, {"privacyOneOf": 3}):
        assert server.anonymous.get("/feeds/videos.xml", params=params).status_code == 401
        assert user.get("/feeds/videos.xml", params=params).status_code == 401
    assert server.root.get("/feeds/videos.xml", params={"include": 1, "privacyOneOf": 3}).status_code == 200


@pytest.mark.parametrize("params,field", [
    ({}, "accountId"), ({"accountId": 1}, "token"), ({"token": "abc"}, "accountId"),
    ({"accountId": "x", "token": "abc"}, "accountId"), ({"accountId": 1, "token": "t" * 101}, "token")])
def test_bad_subscription_feed_queries(server, params, field):
    response = server.anonymous.get("/feeds/subscriptions.xml", params=params)
    assert response.status_code == 400, response.text
    assert field in response.json()["invalid-params"]


def test_a_subscription_feed_of_an_unknown_account(server):
    response = server.anonymous.get("/feeds/subscriptions.xml", params={"accountId": 2**31 - 1, "token": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize("params,status", [
    ({"videoId": "../../etc"}, 400), ({"videoId": "x" * 41}, 400), ({"videoId": "99999999"}, 404),
    ({"videoChannelName": "nobody_here_at_all"}, 404), ({"accountId": "one"}, 400)])
def test_bad_comment_feed_queries(server, params, status):
    assert server.anonymous.get("/feeds/video-comments.xml", params=params).status_code == status


@pytest.mark.parametrize("params", [{}, {"videoChannelId": "abc"}, {"videoChannelId": 0}])
def test_bad_podcast_feed_queries(server, params):
    response = server.anonymous.get("/feeds/podcast/videos.xml", params=params)
    assert response.status_code == 400
    assert "videoChannelId" in response.json()["invalid-params"]


def test_unacceptable_content_types(server):
    response = server.anonymous.get("/feeds/videos.json", headers={"Accept": "application/xml"})
    assert response.status_code == 406
    response = server.anonymous.get("/feeds/videos.xml", headers={"Accept": "text/xml;q=0, application/xml;q=0"})
    assert response.status_code == 406


def test_feeds_are_rate_limited(server_factory):
    limited = server_factory(config={"rates_limit": {"feeds": {"window": "1 minute", "max": 2}}})
    statuses = [limited.anonymous.get("/feeds/videos.xml").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


@pytest.mark.parametrize("params,status", [
    ({}, 400), ({"url": ""}, 400), ({"url": "x" * 2001}, 400), ({"url": "http://127.0.0.1/w/x", "maxwidth": "wide"}, 400),
    ({"url": "http://127.0.0.1/w/x", "maxheight": 0}, 400), ({"url": "http://[::1"}, 400),
    ({"url": "http://127.0.0.1/w/x", "format": "xml"}, 501)])
def test_bad_oembed_queries(server, params, status):
    response = server.anonymous.get("/services/oembed", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
