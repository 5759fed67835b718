"""Accounts through the API: the list, one account by handle, its ratings and its followers (of the
account and of each of its channels)."""

from __future__ import annotations

from tests.api.upstream_spec import schema_errors
from tests.support.published_videos import published_video

ACCOUNTS = "/api/v1/accounts"


def test_an_account_is_read_by_name_or_handle(server, unique):
    server.create_user(f"acc{unique}")
    response = server.anonymous.get(f"{ACCOUNTS}/acc{unique}")
    assert response.status_code == 200, response.text
    account = response.json()
    assert schema_errors("Account", account) == []
    assert account["name"] == f"acc{unique}" and account["displayName"] == f"acc{unique}"
    assert account["url"] == f"{server.url}/accounts/acc{unique}"
    assert account["userId"] is not None and account["hostRedundancyAllowed"] is False
    assert server.anonymous.get(f"{ACCOUNTS}/acc{unique}@{account['host']}").json()["id"] == account["id"]
    assert server.anonymous.get(f"{ACCOUNTS}/acc{unique}@elsewhere.example").status_code == 404
    assert server.anonymous.get(f"{ACCOUNTS}/nobody_{unique}").status_code == 404
    # a channel's name is not an account's
    assert server.anonymous.get(f"{ACCOUNTS}/acc{unique}_channel").status_code == 404


def test_the_list_holds_every_account_sorted_by_creation(server, unique):
    server.create_user(f"accfirst{unique}")
    server.create_user(f"accsecond{unique}")
    newest = server.anonymous.get(ACCOUNTS, params={"sort": "-createdAt", "count": 2})
    assert newest.status_code == 200, newest.text
    body = newest.json()
    assert [a["name"] for a in body["data"]] == [f"accsecond{unique}", f"accfirst{unique}"]
    for account in body["data"]:
        assert schema_errors("Account", account) == []
    oldest = server.anonymous.get(ACCOUNTS, params={"sort": "createdAt", "count": 1}).json()
    assert oldest["total"] == body["total"] >= 3
    assert oldest["data"][0]["name"] == "peertube"  # the instance's own account, made first


def test_ratings_list_likes_and_dislikes(server, unique):
    author = server.create_user(f"accauthor{unique}")
    rater = server.create_user(f"accrater{unique}")
    liked, disliked = published_video(author), published_video(author)
    for video, rating in ((liked, "like"), (disliked, "dislike")):
        response = rater.put(f"/api/v1/videos/{video['uuid']}/rate", json={"rating": rating})
        assert response.status_code == 204, response.text

    ratings = rater.get(f"{ACCOUNTS}/accrater{unique}/ratings", params={"sort": "createdAt"})
    assert ratings.status_code == 200, ratings.text
    body = ratings.json()
    assert body["total"] == 2
    assert [(r["video"]["uuid"], r["rating"]) for r in body["data"]] == [(liked["uuid"], "like"),
                                                                         (disliked["uuid"], "dislike")]
    for item in body["data"]:
        assert schema_errors("VideoRating", item) == []
    only_likes = rater.get(f"{ACCOUNTS}/accrater{unique}/ratings", params={"rating": "like"}).json()
    assert only_likes["total"] == 1 and only_likes["data"][0]["video"]["uuid"] == liked["uuid"]
    newest = rater.get(f"{ACCOUNTS}/accrater{unique}/ratings", params={"sort": "-createdAt", "count": 1}).json()
    assert newest["total"] == 2 and newest["data"][0]["video"]["uuid"] == disliked["uuid"]
    # holders of MANAGE_USERS read anyone's
    assert server.root.get(f"{ACCOUNTS}/accrater{unique}/ratings").json()["total"] == 2


def test_followers_of_the_account_and_of_its_channels(server, unique):
    owner = server.create_user(f"accfol{unique}")
    second = owner.post("/api/v1/video-channels", json={"name": f"accfol_second_{unique}", "displayName": "Second"})
    assert second.status_code == 200, second.text
    host = server.anonymous.get(f"{ACCOUNTS}/accfol{unique}").json()["host"]
    fan = server.create_user(f"accfan{unique}")
    other_fan = server.create_user(f"accotherfan{unique}")
    for client, channel in ((fan, f"accfol{unique}_channel"), (other_fan, f"accfol_second_{unique}")):
        response = client.post("/api/v1/users/me/subscriptions", json={"uri": f"{channel}@{host}"})
        assert response.status_code == 204, response.text

    followers = owner.get(f"{ACCOUNTS}/accfol{unique}/followers", params={"sort": "createdAt"})
    assert followers.status_code == 200, followers.text
    body = followers.json()
    assert body["total"] == 2
    assert [(f["follower"]["name"], f["following"]["name"]) for f in body["data"]] == [
        (f"accfan{unique}", f"accfol{unique}_channel"), (f"accotherfan{unique}", f"accfol_second_{unique}")]
    for follow in body["data"]:
        assert schema_errors("Follow", follow) == []
    found = owner.get(f"{ACCOUNTS}/accfol{unique}/followers", params={"search": "ACCOTHER"}).json()
    assert [f["follower"]["name"] for f in found["data"]] == [f"accotherfan{unique}"]
    page = owner.get(f"{ACCOUNTS}/accfol{unique}/followers", params={"start": 1, "count": 1, "sort": "createdAt"})
    assert [f["follower"]["name"] for f in page.json()["data"]] == [f"accotherfan{unique}"]
