"""Video Mirroring admin API on one instance (both backends): empty lists in PeerTube's page shape,
a local video cannot be mirrored, and the instance policy route knows only known servers. The
mirroring itself between instances is in tests/federation/test_redundancy_federation.py."""

from __future__ import annotations

from tests.support.published_videos import clip
from tests.support.videos import my_channel_id, upload_video

MIRRORS = "/api/v1/server/redundancy/videos"


def test_lists_of_an_instance_without_copies(server):
    for target in ("my-videos", "remote-videos"):
        for sort in ("name", "-name"):
            response = server.root.get(MIRRORS, params={"target": target, "sort": sort, "start": 0, "count": 5})
            assert response.status_code == 200, response.text
            assert response.json() == {"total": 0, "data": []}


def test_a_local_video_is_not_mirrored(server, unique):
    user = server.create_user(f"redapi{unique}")
    video = upload_video(user, my_channel_id(user), clip(), name=f"local {unique}", privacy=1)
    for ref in (video["id"], video["uuid"], video["shortUUID"]):
        response = server.root.post(MIRRORS, json={"videoId": ref})
        assert response.status_code == 400, response.text
        assert response.json()["detail"] == "Cannot create a redundancy on a local video"
    assert server.root.get(MIRRORS, params={"target": "my-videos"}).json()["total"] == 0


def test_the_policy_of_an_unknown_server_is_not_found(server):
    response = server.root.put("/api/v1/server/redundancy/never-seen.example", json={"redundancyAllowed": True})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
