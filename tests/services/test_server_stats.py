"""The instance statistics on a real database of each backend: the inbox figures (successes and
errors per activity type, types PeerTube does not list counted in the totals only), and the optional
figures an admin hides."""

from __future__ import annotations

import pytest

from tests.jobs.helpers import make_database, open_runtime, run
from vidpub.services import server_stats


@pytest.fixture(scope="module")
def stats_config(database_url_factory, tmp_path_factory):
    return make_database(database_url_factory(), tmp_path_factory.mktemp("server-stats-data"))


def test_processed_activities_add_up_per_type(stats_config):
    async def scenario():
        async with open_runtime(stats_config) as runtime:
            async with runtime.db.transaction() as session:
                for activity_type, success in [("View", True), ("View", True), ("View", False), ("Create", True),
                                               ("Move", True), (None, False)]:
                    await server_stats.record_inbox_outcome(session, activity_type, success)
            async with runtime.db.session(write=False) as session:
                return await server_stats.instance_stats(session, runtime.config)

    stats = run(scenario())
    assert (stats["totalActivityPubViewMessagesSuccesses"], stats["totalActivityPubViewMessagesErrors"]) == (2, 1)
    assert stats["totalActivityPubCreateMessagesSuccesses"] == 1
    assert stats["totalActivityPubFlagMessagesSuccesses"] == 0
    assert (stats["totalActivityPubMessagesProcessed"], stats["totalActivityPubMessagesSuccesses"],
            stats["totalActivityPubMessagesErrors"]) == (6, 4, 2)
    assert stats["activityPubMessagesProcessedPerSecond"] > 0
    assert stats["totalActivityPubMessagesWaiting"] == 0


def test_an_admin_may_hide_the_optional_figures(stats_config):
    hidden = stats_config.with_overrides({"stats": {
        section: {"enabled": False}
        for section in ("registration_requests", "abuses", "total_moderators", "total_admins")}})

    async def scenario():
        async with open_runtime(hidden) as runtime:
            async with runtime.db.session(write=False) as session:
                return await server_stats.instance_stats(session, runtime.config)

    stats = run(scenario())
    for field in ("totalModerators", "totalAdmins", "totalAbuses", "totalAbusesProcessed",
                  "averageAbuseResponseTimeMs", "totalRegistrationRequests", "totalRegistrationRequestsProcessed",
                  "averageRegistrationRequestResponseTimeMs"):
        assert stats[field] is None, field
    assert stats["totalUsers"] == 1 and stats["totalAdmins"] is None
