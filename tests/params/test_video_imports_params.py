"""Video imports: who may import, what is refused before anything is fetched, and managing imports."""

from __future__ import annotations

import pytest

from tests.support.imports import channel_id, wait_for_import
from tests.support.media import make_image

IMPORTS = "/api/v1/videos/imports"
MINE = "/api/v1/users/me/videos/imports"
SOME_URL = "https://example.org/v.mp4"


@pytest.fixture(scope="module")
def guarded_server(server_factory):
    """HTTP and torrent imports enabled, loopback and private addresses refused (the default)."""
    enabled = {"http": {"enabled": True}, "torrent": {"enabled": True}}
    return server_factory(config={"import": {"videos": enabled}})


@pytest.fixture(scope="module")
def importer(guarded_server):
    return guarded_server.create_user("params_importer")


def invalid_field(response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    named = response.json()["invalid-params"]
    assert any(key == field or key.startswith(field + ".") for key in named), named


def test_anonymous_callers_are_refused(server):
    assert server.anonymous.post(IMPORTS, json={"channelId": 1, "targetUrl": SOME_URL}
                                 ).status_code == 401
    assert server.anonymous.get(MINE).status_code == 401
    assert server.anonymous.delete(f"{IMPORTS}/1").status_code == 401
    assert server.anonymous.post(f"{IMPORTS}/1/cancel").status_code == 401


def test_http_import_disabled_by_default(server, unique):
    client = server.create_user(f"noimport{unique}")
    response = client.post(IMPORTS, json={"channelId": channel_id(client), "targetUrl": SOME_URL})
    assert response.status_code == 409, response.text
    assert response.json()["detail"] == "HTTP import is not enabled on this instance."
    magnet = client.post(IMPORTS, json={"channelId": channel_id(client),
                                        "magnetUri": "magnet:?xt=urn:btih:" + "a" * 40})
    assert magnet.status_code == 409
    assert magnet.json()["detail"] == "Torrent/magnet URI import is not enabled on this instance."


@pytest.mark.parametrize("body,field", [
    ({"targetUrl": SOME_URL}, "channelId"),
    ({"channelId": "abc", "targetUrl": SOME_URL}, "channelId"),
    ({"targetUrl": "ftp://example.org/v.mp4"}, "targetUrl"),
    ({"targetUrl": "not a url"}, "targetUrl"),
    ({"targetUrl": "https://example.org/" + "a" * 2000}, "targetUrl"),
    ({"targetUrl": "https:///nohost"}, "targetUrl"),
    ({"magnetUri": "magnet:?dn=nothing"}, "magnetUri"),
    ({"targetUrl": SOME_URL, "name": "ab"}, "name"),
    ({"targetUrl": SOME_URL, "privacy": 42}, "privacy"),
    ({"targetUrl": SOME_URL, "tags": ["a"]}, "tags"),
    ({"targetUrl": SOME_URL, "category": 9999}, "category"),
    ({"targetUrl": SOME_URL, "privacy": 5}, "videoPasswords"),
])
def test_bad_fields_are_named(guarded_server, importer, body, field):
    if field != "channelId":
        body = {**body, "channelId": channel_id(importer)}
    invalid_field(importer.post(IMPORTS, json=body), field)


def test_malformed_bodies(importer):
    assert importer.post(IMPORTS, content=b"{not json", headers={"Content-Type": "application/json"}
                         ).status_code == 400
    assert importer.post(IMPORTS, content=b"[1, 2]",
                         headers={"Content-Type": "application/json"}).status_code == 400
    invalid_field(importer.post(IMPORTS, data={"targetUrl": SOME_URL}), "channelId")


def test_a_source_is_required(importer):
    response = importer.post(IMPORTS, json={"channelId": channel_id(importer), "name": "Nothing to import"})
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == "Should have a magnetUri or a targetUrl or a torrent file."


def test_channels_of_others_and_unknown_channels(guarded_server, importer, unique):
    other = guarded_server.create_user(f"params_other{unique}")
    response = importer.post(IMPORTS, json={"channelId": channel_id(other), "targetUrl": SOME_URL})
    assert response.status_code == 403, response.text
    invalid_field(importer.post(IMPORTS, json={"channelId": 2**31 - 1, "targetUrl": SOME_URL}), "channelId")


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/v.mp4", "http://localhost/v.mp4",
                                 "http://10.1.2.3/v.mp4", "http://[::1]/v.mp4",
                                 "http://169.254.169.254/latest/meta-data/", "http://0.0.0.0/v.mp4"])
def test_private_addresses_are_refused(importer, url):
    response = importer.post(IMPORTS, json={"channelId": channel_id(importer), "targetUrl": url})
    assert response.status_code == 403, response.text
    assert response.json()["detail"] == "Cannot use non unicast IP as targetUrl."
    assert importer.get(MINE).json()["total"] == 0


def test_torrent_imports_are_refused_even_when_enabled(importer, tmp_path):
    magnet = importer.post(IMPORTS, json={"channelId": channel_id(importer),
                                          "magnetUri": "magnet:?xt=urn:btih:" + "a" * 40})
    assert magnet.status_code == 409, magnet.text
    assert "no BitTorrent client" in magnet.json()["detail"]
    torrent = importer.post(IMPORTS, data={"channelId": str(channel_id(importer))},
                            files={"torrentfile": ("video.torrent", b"d4:infod4:name1:aee",
                                                   "application/x-bittorrent")})
    assert torrent.status_code == 409, torrent.text


def test_images_must_be_images(importer, tmp_path):
    fields = {"channelId": str(channel_id(importer)), "targetUrl": SOME_URL}
    fake = importer.post(IMPORTS, data=fields,
                         files={"thumbnailfile": ("thumb.jpg", b"not an image", "image/jpeg")})
    invalid_field(fake, "thumbnailfile")
    image = make_image(tmp_path / "preview.gif", 200, 100).read_bytes()
    wrong_type = importer.post(IMPORTS, data=fields,
                               files={"previewfile": ("preview.gif", image, "image/gif")})
    invalid_field(wrong_type, "previewfile")
    huge = b"\xff" * (20 * 1024**2)
    too_big = importer.post(IMPORTS, data=fields, files={"thumbnailfile": ("t.jpg", huge, "image/jpeg")})
    assert too_big.status_code == 413, too_big.text


def test_list_parameters(importer):
    assert importer.get(MINE, params={"sort": "-name"}).status_code == 400
    assert importer.get(MINE, params={"count": 101}).status_code == 400
    assert importer.get(MINE, params={"start": -1}).status_code == 400
    assert importer.get(MINE, params={"videoChannelSyncId": "x"}).status_code == 400
    listed = importer.get(MINE, params={"videoChannelSyncId": 3})
    assert listed.json() == {"total": 0, "data": []}


def test_unknown_and_bad_import_ids(importer):
    for method, path in (("DELETE", f"{IMPORTS}/{{}}"), ("POST", f"{IMPORTS}/{{}}/cancel")):
        assert importer.request(method, path.format(2**31 - 1)).status_code == 404
        assert importer.request(method, path.format("abc")).status_code == 400
        assert importer.request(method, path.format(0)).status_code == 400


def test_managing_the_imports_of_others(import_server, media_host, unique):
    owner = import_server.create_user(f"params_owner{unique}")
    response = owner.post(IMPORTS, json={"channelId": channel_id(owner), "name": "Owned import",
                                         "targetUrl": media_host.base_url + "/clip.mp4"})
    assert response.status_code == 200, response.text
    import_id = response.json()["id"]
    wait_for_import(owner, import_id)

    stranger = import_server.create_user(f"params_stranger{unique}")
    moderator = import_server.create_user(f"params_moderator{unique}", role=1)
    for caller in (stranger, moderator):  # moderators do not hold MANAGE_VIDEO_IMPORTS
        for method, path in (("DELETE", f"{IMPORTS}/{import_id}"), ("POST", f"{IMPORTS}/{import_id}/cancel")):
            refused = caller.request(method, path)
            assert refused.status_code == 403, refused.text
    # an ended import cannot be cancelled
    assert owner.post(f"{IMPORTS}/{import_id}/cancel").status_code == 409
    assert owner.delete(f"{IMPORTS}/{import_id}").status_code == 204
    assert owner.delete(f"{IMPORTS}/{import_id}").status_code == 404
