"""`WatchAction` documents both ways, on a document shaped like real PeerTube's (a viewer's session
sent by the viewer's instance to the video's origin)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from vidpub.federation.ap.common import InvalidObject
from vidpub.federation.ap.watch_action import watch_action_from_ap, watch_action_to_ap

PEERTUBE_WATCH_ACTION = {
    "id": "https://peer.example/videos/local-viewer/3f0d2c4e-8e55-4c61-9d1c-7b6f5d0a9e11",
    "type": "WatchAction",
    "startTime": "2026-11-27T06:00:00.000Z",
    "endTime": "2026-11-27T06:05:10.000Z",
    "location": {"addressCountry": "FR", "addressRegion": "Bretagne"},
    "uuid": "3f0d2c4e-8e55-4c61-9d1c-7b6f5d0a9e11",
    "object": "https://tube.example/videos/watch/6a2ed4e4-83c6-4e5a-a6a1-1f0e0b2a0c11",
    "actionStatus": "CompletedActionStatus",
    "duration": "PT4M10S",
    "watchSections": [{"startTimestamp": 0, "endTimestamp": 60}, {"startTimestamp": 120, "endTimestamp": 310}],
}


def test_peertube_watch_action_is_read():
    fields = watch_action_from_ap(copy.deepcopy(PEERTUBE_WATCH_ACTION))
    assert fields.watch_time == 250 and fields.sections == [(0, 60), (120, 310)]
    assert (fields.country, fields.region) == ("FR", "Bretagne")
    assert fields.start == datetime(2026, 11, 27, 6, 0, tzinfo=UTC)
    assert fields.video_url.endswith("6a2ed4e4-83c6-4e5a-a6a1-1f0e0b2a0c11")


def test_ours_reads_back_the_same():
    fields = watch_action_from_ap(copy.deepcopy(PEERTUBE_WATCH_ACTION))
    document = watch_action_to_ap(url=fields.id, viewer_uuid=fields.uuid, video_url=fields.video_url,
                                  start=fields.start, end=fields.end, watch_time=fields.watch_time,
                                  sections=fields.sections, country=fields.country, region=fields.region)
    assert document["duration"] == "PT250S"
    assert watch_action_from_ap(document) == fields
    without_location = watch_action_to_ap(url=fields.id, viewer_uuid=fields.uuid, video_url=fields.video_url,
                                          start=fields.start, end=fields.end, watch_time=0, sections=[])
    assert "location" not in without_location and watch_action_from_ap(without_location).country is None


@pytest.mark.parametrize("change", [
    {"type": "View"}, {"actionStatus": "ActiveActionStatus"}, {"uuid": "nope"}, {"object": "mailto:x@y"},
    {"duration": "forever"}, {"endTime": "2026-11-27T05:00:00.000Z"}, {"startTime": None},
    {"watchSections": [{"startTimestamp": -1, "endTimestamp": 3}]},
    {"watchSections": [{"startTimestamp": 0, "endTimestamp": 1}] * 101}, {"watchSections": "all"},
])
def test_unusable_watch_actions_are_refused(change):
    with pytest.raises(InvalidObject):
        watch_action_from_ap({**copy.deepcopy(PEERTUBE_WATCH_ACTION), **change})
