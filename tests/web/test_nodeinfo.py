"""NodeInfo: discovery links and the 2.0 document, as fediverse crawlers read them.

A dedicated instance: the document is cached for ten minutes, so its counts are only exact on an
instance nobody asked before the users below exist."""

from __future__ import annotations

import httpx
import pytest

from tests.support.server import ServerProcess

PROFILE_CONTENT_TYPE = 'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/2.0#"'


@pytest.fixture(scope="module")
def instance(server_factory) -> ServerProcess:
    return server_factory(config={"instance": {"name": "Nodeinfo Test", "short_description": "Short words"},
                                  "signup": {"enabled": True}})


def test_well_known_nodeinfo_links_the_document_and_the_instance_actor(instance):
    response = httpx.get(instance.url + "/.well-known/nodeinfo")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"links": [
        {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0",
         "href": f"{instance.url}/nodeinfo/2.0.json"},
        {"rel": "https://www.w3.org/ns/activitystreams#Application",
         "href": f"{instance.url}/accounts/peertube"},
    ]}


def test_nodeinfo_document(instance):
    # root logs in; one user logs in too; another never does
    instance.root.get("/api/v1/users/me")
    instance.create_user("nodeinfo_active")
    created = instance.root.post("/api/v1/users", json={
        "username": "nodeinfo_idle", "password": "password1", "email": "idle@example.com", "role": 2})
    assert created.status_code == 200, created.text

    response = httpx.get(instance.url + "/nodeinfo/2.0.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == PROFILE_CONTENT_TYPE
    body = response.json()
    assert body["version"] == "2.0"
    assert body["software"] == {"name": "peertube", "version": "7.0.0"}
    assert body["protocols"] == ["activitypub"]
    assert body["services"] == {"inbound": [], "outbound": ["atom1.0", "rss2.0"]}
    assert body["openRegistrations"] is True
    assert body["usage"] == {"users": {"total": 3, "activeMonth": 2, "activeHalfyear": 2},
                             "localPosts": 0, "localComments": 0}

    metadata = body["metadata"]
    assert metadata["taxonomy"] == {"postsName": "Videos"}
    assert metadata["nodeName"] == "Nodeinfo Test"
    assert metadata["nodeDescription"] == "Short words"
    node = metadata["nodeConfig"]
    public = instance.anonymous.get("/api/v1/config").json()
    assert node["search"] == {"remoteUri": public["search"]["remoteUri"]}
    assert node["theme"] == {"registered": [], "default": "default"}
    assert node["transcoding"] == {"hls": {"enabled": True}, "web_videos": {"enabled": False},
                                   "enabledResolutions": []}
    assert node["live"] == {"enabled": False, "transcoding": {"enabled": True, "enabledResolutions": []}}
    assert node["import"] == {"videos": {"http": {"enabled": False}, "torrent": {"enabled": False}}}
    assert node["avatar"]["file"] == public["avatar"]["file"]
    assert node["video"] == public["video"] and node["videoCaption"] == public["videoCaption"]
    assert node["user"] == {"videoQuota": -1, "videoQuotaDaily": -1}
    assert node["trending"] == {"videos": {"intervalDays": 7}}
    for key in ("plugin", "email", "contactForm", "autoBlacklist", "tracker"):
        assert key in node


def test_other_nodeinfo_versions_do_not_exist(instance):
    assert httpx.get(instance.url + "/nodeinfo/2.1.json").status_code == 404
    assert httpx.get(instance.url + "/nodeinfo/1.0.json").status_code == 404


def test_usage_counts_local_videos_and_comments(server_factory):
    from tests.support.comments import commentable_video, post_reply, post_thread

    fresh = server_factory()  # its own process: nothing cached yet
    author = fresh.create_user("nodeinfo_author")
    video = commentable_video(author)
    thread = post_thread(author, video, "first")
    post_reply(fresh.root, video, thread["id"], "second")
    deleted = post_thread(author, video, "soon gone")
    assert author.delete(f"/api/v1/videos/{video['uuid']}/comments/{deleted['id']}").status_code == 204

    usage = httpx.get(fresh.url + "/nodeinfo/2.0.json").json()["usage"]
    assert usage["localPosts"] == 1 and usage["localComments"] == 2
