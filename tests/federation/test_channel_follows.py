"""Channel follows between real servers (a user subscribing to a remote channel, both directions),
unsubscription, remote actors and their documents, and search of a remote channel by handle."""

from __future__ import annotations

from tests.federation.conftest import host_of, wait_until

AP = {"Accept": "application/activity+json"}


def _channel(server, owner, name: str) -> dict:
    response = owner.post("/api/v1/video-channels", json={"name": name, "displayName": f"Channel {name}",
                                                           "description": "Remote *channel*"})
    assert response.status_code == 200, response.text
    return response.json()["videoChannel"]


def _followers_count(server, name: str) -> int:
    return server.anonymous.get(f"/api/v1/video-channels/{name}").json()["followersCount"]


def _subscribed(user, handle: str) -> bool:
    return user.get(f"/api/v1/users/me/subscriptions/{handle}").status_code == 200


def test_user_subscribes_to_a_remote_channel_both_directions(server_a, server_b, unique):
    owner_b = server_b.create_user(f"chowner{unique}")
    _channel(server_b, owner_b, f"chan_b_{unique}")
    owner_a = server_a.create_user(f"chowner{unique}")
    _channel(server_a, owner_a, f"chan_a_{unique}")
    fan_a = server_a.create_user(f"fan{unique}")
    fan_b = server_b.create_user(f"fan{unique}")

    handle_b = f"chan_b_{unique}@{host_of(server_b)}"
    assert fan_a.post("/api/v1/users/me/subscriptions", json={"uri": handle_b}).status_code == 204
    handle_a = f"chan_a_{unique}@{host_of(server_a)}"
    assert fan_b.post("/api/v1/users/me/subscriptions", json={"uri": handle_a}).status_code == 204

    wait_until(lambda: _subscribed(fan_a, handle_b), what="A's subscription accepted")
    wait_until(lambda: _subscribed(fan_b, handle_a), what="B's subscription accepted")
    assert _followers_count(server_b, f"chan_b_{unique}") == 1
    assert _followers_count(server_a, f"chan_a_{unique}") == 1

    # the remote channel is a known channel on the follower's side, with its owner and description
    remote = fan_a.get(f"/api/v1/users/me/subscriptions/{handle_b}").json()
    assert remote["host"] == host_of(server_b) and remote["displayName"] == f"Channel chan_b_{unique}"
    assert remote["ownerAccount"]["name"] == f"chowner{unique}"
    assert remote["ownerAccount"]["host"] == host_of(server_b)
    listed = server_a.anonymous.get(f"/api/v1/video-channels/{handle_b}")
    assert listed.status_code == 200 and listed.json()["url"] == f"{server_b.url}/video-channels/chan_b_{unique}"

    # the followers collection of the channel names the remote follower
    collection = server_b.anonymous.get(f"/video-channels/chan_b_{unique}/followers?page=1", headers=AP).json()
    assert collection["orderedItems"] == [f"{server_a.url}/accounts/fan{unique}"]

    # unsubscribing sends an Undo: the channel loses its follower
    assert fan_a.delete(f"/api/v1/users/me/subscriptions/{handle_b}").status_code == 204
    wait_until(lambda: _followers_count(server_b, f"chan_b_{unique}") == 0, what="Undo delivered")
    assert not _subscribed(fan_a, handle_b)


def test_remote_channel_found_by_handle_search(server_a, server_c, unique):
    owner = server_c.create_user(f"srch{unique}")
    _channel(server_c, owner, f"found_{unique}")
    handle = f"found_{unique}@{host_of(server_c)}"
    # anonymous callers may not make the server fetch anything (search.remote_uri.anonymous: false)
    anonymous = server_a.anonymous.get("/api/v1/search/video-channels", params={"search": handle}).json()
    assert anonymous["total"] == 0
    user = server_a.create_user(f"searcher{unique}")
    found = user.get("/api/v1/search/video-channels", params={"search": handle}).json()
    assert found["total"] == 1
    assert found["data"][0]["name"] == f"found_{unique}" and found["data"][0]["host"] == host_of(server_c)
    # by URL as well, now known
    by_url = user.get("/api/v1/search/video-channels",
                      params={"search": f"{server_c.url}/video-channels/found_{unique}"}).json()
    assert by_url["total"] == 1


def test_actor_documents_and_webfinger(server_a, unique):
    user = server_a.create_user(f"doc{unique}")
    _channel(server_a, user, f"docchan_{unique}")
    person = server_a.anonymous.get(f"/accounts/doc{unique}", headers=AP)
    assert person.status_code == 200
    assert person.headers["content-type"].startswith("application/activity+json")
    document = person.json()
    assert document["type"] == "Person" and document["id"] == f"{server_a.url}/accounts/doc{unique}"
    assert document["inbox"] == f"{server_a.url}/accounts/doc{unique}/inbox"
    assert document["endpoints"]["sharedInbox"] == f"{server_a.url}/inbox"
    assert document["publicKey"]["owner"] == document["id"]
    assert document["publicKey"]["publicKeyPem"].startswith("-----BEGIN PUBLIC KEY-----")
    group = server_a.anonymous.get(f"/video-channels/docchan_{unique}", headers=AP).json()
    assert group["type"] == "Group" and group["attributedTo"] == [{"type": "Person", "id": document["id"]}]
    application = server_a.anonymous.get("/accounts/peertube", headers=AP).json()
    assert application["type"] == "Application"
    # the key stays the same from one request to the next
    again = server_a.anonymous.get(f"/accounts/doc{unique}", headers=AP).json()
    assert again["publicKey"]["publicKeyPem"] == document["publicKey"]["publicKeyPem"]
    # without an ActivityPub Accept the route is not the ActivityPub document
    html = server_a.anonymous.get(f"/accounts/doc{unique}", headers={"Accept": "text/html"})
    assert not html.headers.get("content-type", "").startswith("application/activity+json")

    finger = server_a.anonymous.get("/.well-known/webfinger",
                                    params={"resource": f"acct:docchan_{unique}@{host_of(server_a)}"})
    assert finger.status_code == 200
    assert finger.json()["links"][0] == {"rel": "self", "type": "application/activity+json",
                                         "href": f"{server_a.url}/video-channels/docchan_{unique}"}
    assert server_a.anonymous.get("/.well-known/webfinger",
                                  params={"resource": "acct:nobody_here@" + host_of(server_a)}).status_code == 404
    assert server_a.anonymous.get("/.well-known/webfinger").status_code == 400

    empty = server_a.anonymous.get(f"/accounts/doc{unique}/followers", headers=AP).json()
    assert empty == {"@context": empty["@context"], "id": f"{document['id']}/followers",
                     "type": "OrderedCollection", "totalItems": 0}
