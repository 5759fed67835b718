"""A new follower gets what the followed instance already had: once A accepts D's follow, D reads A's
outbox and stores A's earlier videos, fetched from A (PeerTube's crawl of the outbox on Accept)."""

from __future__ import annotations

import uuid

import pytest

from tests.federation.conftest import FEDERATION_CONFIG, follow_instance, host_of, wait_until
from tests.support.published_videos import published_video
from vidpub.federation import outbox_crawl


def test_a_new_follower_gets_the_videos_published_before_it_followed(server_a, server_factory):
    owner = server_a.create_user(f"earlier{uuid.uuid4().hex[:8]}")
    earlier = published_video(owner, name="published before the follow")
    newcomer = server_factory(FEDERATION_CONFIG)
    assert newcomer.anonymous.get(f"/api/v1/videos/{earlier['uuid']}").status_code == 404

    follow_instance(newcomer, server_a)
    copy = wait_until(lambda: (found := newcomer.anonymous.get(f"/api/v1/videos/{earlier['uuid']}")).status_code == 200
                      and found.json(), what=f"A's earlier video on {host_of(newcomer)}")
    assert copy["name"] == "published before the follow"
    assert copy["isLocal"] is False and copy["account"]["host"] == host_of(server_a)


    def crawl_listed():  # the job ends after the videos it stored
        jobs = newcomer.root.get("/api/v1/jobs/completed", params={"jobType": "activitypub-http-fetcher"}).json()
        return [job for job in jobs["data"] if job["data"]["uri"].endswith("/outbox")]

    [crawl] = wait_until(crawl_listed, what="the crawl of A's outbox listed as completed")
    assert crawl["data"]["type"] == "activity"


VIDEO = "https://tube.example/videos/watch/1"


@pytest.mark.parametrize(("activity", "expected"), [
    ({"type": "Create", "object": {"type": "Video", "id": VIDEO}}, VIDEO),
    ({"type": "Announce", "object": VIDEO}, VIDEO),
    ({"type": "Announce", "object": {"type": "Video", "id": VIDEO}}, VIDEO),
    ({"type": "Create", "object": {"type": "Note", "id": VIDEO}}, None),          # a comment
    ({"type": "Create", "object": VIDEO}, None),                                   # not known to be a video
    ({"type": "Like", "object": VIDEO}, None),
    ({"type": "Announce", "object": "javascript:alert(1)"}, None),
])
def test_only_videos_created_or_shared_are_taken(activity, expected):
    assert outbox_crawl._video_url(activity) == expected
