"""`GET /api/v1/server/stats` on a server of its own, so that every figure is known: users and their
activity, local videos and their files, comments, channels and playlists, moderation queues, the
redundancy strategies (the figures an admin switches off: tests/services/test_server_stats.py)."""

from __future__ import annotations

import pytest

from tests.api.upstream_spec import schema_errors
from tests.support.comments import post_thread
from tests.support.playlists import create_playlist
from tests.support.published_videos import published_video

STRATEGY_SIZE = 10 * 1024 ** 3
CONFIG = {"redundancy": {"videos": {"strategies": [
    {"strategy": "most-views", "size": "10GB", "min_lifetime": "25 hours"}]}}}


@pytest.fixture(scope="module")
def stats_server(server_factory):
    return server_factory(config=CONFIG)


def _stats(server) -> dict:
    response = server.anonymous.get("/api/v1/server/stats")
    assert response.status_code == 200, response.text
    return response.json()


def test_a_fresh_instance_counts_its_admin_and_nothing_else(stats_server):
    stats = _stats(stats_server)
    assert schema_errors("ServerStats", stats) == []
    assert (stats["totalUsers"], stats["totalAdmins"], stats["totalModerators"]) == (1, 1, 0)
    assert stats["totalLocalVideos"] == stats["totalVideos"] == stats["totalLocalVideoFilesSize"] == 0
    assert stats["totalLocalVideoChannels"] == 1 and stats["totalLocalDailyActiveVideoChannels"] == 0
    assert stats["totalLocalPlaylists"] == 0  # "Watch later" is no playlist of the instance's
    assert stats["videosRedundancy"] == [
        {"strategy": "most-views", "totalSize": STRATEGY_SIZE, "totalUsed": 0, "totalVideoFiles": 0, "totalVideos": 0},
        {"strategy": "manual", "totalSize": None, "totalUsed": 0, "totalVideoFiles": 0, "totalVideos": 0}]
    assert stats["totalAbuses"] == stats["totalRegistrationRequests"] == 0
    assert stats["averageAbuseResponseTimeMs"] is None
    assert stats["totalActivityPubViewMessagesSuccesses"] == stats["totalActivityPubMessagesProcessed"] == 0


def test_what_users_do_shows_in_the_figures(stats_server):
    before = _stats(stats_server)
    alice = stats_server.create_user("stats_alice")  # logs in: an active user
    video = published_video(alice)
    private = published_video(alice, privacy=3)
    post_thread(alice, video, "a first comment")
    create_playlist(alice)
    report = stats_server.create_user("stats_bob").post(
        "/api/v1/abuses", json={"reason": "stats test", "video": {"id": video["id"]}})
    assert report.status_code == 200, report.text
    decided = stats_server.root.put(f"/api/v1/abuses/{report.json()['abuse']['id']}", json={"state": 3})
    assert decided.status_code == 204, decided.text

    stats = _stats(stats_server)
    assert stats["totalUsers"] == before["totalUsers"] + 2
    assert stats["totalDailyActiveUsers"] >= 1 and stats["totalMonthlyActiveUsers"] >= stats["totalDailyActiveUsers"]
    # the lists' count: a private video is no video of the instance's
    assert (stats["totalLocalVideos"], stats["totalVideos"]) == (1, 1)
    files = [file["size"] for item in (video, private)
             for detail in [stats_server.root.get(f"/api/v1/videos/{item['uuid']}").json()]
             for file in detail["files"] + [f for p in detail["streamingPlaylists"] for f in p["files"]]]
    assert stats["totalLocalVideoFilesSize"] == sum(files) > 0
    assert stats["totalLocalVideoComments"] == stats["totalVideoComments"] == 1
    assert stats["totalLocalVideoChannels"] == before["totalLocalVideoChannels"] + 2
    assert stats["totalLocalDailyActiveVideoChannels"] == 1  # alice's channel published today
    assert stats["totalLocalPlaylists"] == 1
    assert (stats["totalAbuses"], stats["totalAbusesProcessed"]) == (1, 1)
    assert stats["averageAbuseResponseTimeMs"] >= 0
