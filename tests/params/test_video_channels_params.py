"""Video channels: bad bodies, names already taken, the per-user limit, and someone else's channel."""

from __future__ import annotations

import io
import uuid

import pytest
from PIL import Image

CHANNELS = "/api/v1/video-channels"


def suffix() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="module")
def owner(server):
    return server.create_user(f"chp_owner_{suffix()}")


@pytest.fixture(scope="module")
def channel(owner):
    name = f"chp_channel_{suffix()}"
    response = owner.post(CHANNELS, json={"name": name, "displayName": "Param channel"})
    assert response.status_code == 200, response.text
    return name


@pytest.fixture(scope="module")
def stranger(server):
    return server.create_user(f"chp_other_{suffix()}")


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "green").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["", "Upper", "with space", ".leading", "trailing-", "a" * 51, "émile", "a/b",
                                  "a@b", 42, None])
def test_bad_channel_names_are_refused(owner, name):
    response = owner.post(CHANNELS, json={"name": name, "displayName": "Good"})
    assert response.status_code == 400, response.text
    assert "name" in response.json()["invalid-params"]


@pytest.mark.parametrize("field,value", [
    ("displayName", ""), ("displayName", "x" * 121), ("displayName", None), ("displayName", 5),
    ("description", "ab"), ("description", "x" * 1001), ("description", ["list"]),
    ("support", "ab"), ("support", "x" * 1001), ("support", {"no": "object"}),
])
def test_bad_fields_are_refused_on_create_and_update(owner, channel, field, value):
    body = {"name": f"chp_bad_{suffix()}", "displayName": "Good", field: value}
    response = owner.post(CHANNELS, json=body)
    assert response.status_code == 400, response.text
    assert field in response.json()["invalid-params"]
    response = owner.put(f"{CHANNELS}/{channel}", json={field: value})
    assert response.status_code == 400, response.text
    assert field in response.json()["invalid-params"]


def test_display_name_is_required_on_create(owner, channel):
    response = owner.post(CHANNELS, json={"name": f"chp_nodisplay_{suffix()}"})
    assert response.status_code == 400 and "displayName" in response.json()["invalid-params"]
    response = owner.put(f"{CHANNELS}/{channel}", json={"bulkVideosSupportUpdate": "yes please"})
    assert response.status_code == 400 and "bulkVideosSupportUpdate" in response.json()["invalid-params"]


def test_a_name_taken_by_an_account_or_a_channel_is_a_conflict(owner, channel):
    username = owner.get("/api/v1/users/me").json()["username"]
    for taken in (username, channel, f"{username}_channel"):
        response = owner.post(CHANNELS, json={"name": taken, "displayName": "Clash"})
        assert response.status_code == 409, response.text
        assert response.json()["detail"] == ("Another actor (account/channel) with this name on this instance "
                                             "already exists or has already existed.")


def test_a_user_name_taken_by_a_channel_is_a_conflict(server, channel):
    response = server.root.post("/api/v1/users", json={"username": channel, "password": "password1",
                                                        "email": f"{channel}@example.com", "role": 2})
    assert response.status_code == 409, response.text


def test_the_number_of_channels_per_user_is_limited(server_factory):
    limited = server_factory(config={"video_channels": {"max_per_user": 2}})
    user = limited.create_user("limited_user")
    assert user.post(CHANNELS, json={"name": "limited_second", "displayName": "Second"}).status_code == 200
    refused = user.post(CHANNELS, json={"name": "limited_third", "displayName": "Third"})
    assert refused.status_code == 400, refused.text
    assert refused.json()["detail"] == "You cannot create more than 2 channels"
    assert limited.anonymous.get(f"{CHANNELS}/limited_third").status_code == 404


def test_anonymous_callers_are_refused(server, channel):
    anonymous = server.anonymous
    assert anonymous.post(CHANNELS, json={"name": f"chp_anon_{suffix()}", "displayName": "A"}).status_code == 401
    assert anonymous.put(f"{CHANNELS}/{channel}", json={"displayName": "A"}).status_code == 401
    assert anonymous.delete(f"{CHANNELS}/{channel}").status_code == 401
    assert anonymous.get(f"{CHANNELS}/{channel}/followers").status_code == 401
    avatar = anonymous.post(f"{CHANNELS}/{channel}/avatar/pick", files={"avatarfile": ("a.png", png())})
    assert avatar.status_code == 401
    assert anonymous.delete(f"{CHANNELS}/{channel}/banner").status_code == 401
    assert anonymous.post(f"{CHANNELS}/{channel}/import-videos",
                          json={"externalChannelUrl": "https://example.com/c"}).status_code == 401


def test_someone_elses_channel_is_forbidden(server, owner, channel, stranger):
    before = server.anonymous.get(f"{CHANNELS}/{channel}").json()
    attempts = [
        stranger.put(f"{CHANNELS}/{channel}", json={"displayName": "Hijacked"}),
        stranger.delete(f"{CHANNELS}/{channel}"),
        stranger.get(f"{CHANNELS}/{channel}/followers"),
        stranger.post(f"{CHANNELS}/{channel}/avatar/pick", files={"avatarfile": ("a.png", png(), "image/png")}),
        stranger.post(f"{CHANNELS}/{channel}/banner/pick", files={"bannerfile": ("b.png", png(), "image/png")}),
        stranger.delete(f"{CHANNELS}/{channel}/avatar"),
        stranger.delete(f"{CHANNELS}/{channel}/banner"),
        stranger.post(f"{CHANNELS}/{channel}/import-videos", json={"externalChannelUrl": "https://example.com/c"}),
    ]
    for response in attempts:
        assert response.status_code == 403, (response.request.method, response.request.url, response.text)
    after = server.anonymous.get(f"{CHANNELS}/{channel}").json()
    assert after == before


def test_unknown_channels_are_404(owner):
    for handle in ("nobody_here", "nobody@elsewhere.example", "@"):
        assert owner.get(f"{CHANNELS}/{handle}").status_code == 404
        assert owner.put(f"{CHANNELS}/{handle}", json={"displayName": "X"}).status_code == 404
        assert owner.delete(f"{CHANNELS}/{handle}").status_code == 404
        assert owner.get(f"{CHANNELS}/{handle}/followers").status_code == 404
        assert owner.delete(f"{CHANNELS}/{handle}/avatar").status_code == 404


def test_images_must_be_images(owner, channel):
    response = owner.post(f"{CHANNELS}/{channel}/avatar/pick",
                          files={"avatarfile": ("a.png", b"not an image at all", "image/png")})
    assert response.status_code == 400 and "avatarfile" in response.json()["invalid-params"]
    response = owner.post(f"{CHANNELS}/{channel}/banner/pick", files={"avatarfile": ("b.png", png(), "image/png")})
    assert response.status_code == 400 and "bannerfile" in response.json()["invalid-params"]


@pytest.mark.parametrize("params,field", [({"count": 101}, "count"), ({"start": -1}, "start"),
                                          ({"sort": "secret"}, "sort"), ({"withStats": "often"}, "withStats")])
def test_bad_list_parameters_are_400(server, owner, channel, params, field):
    for path, client in ((CHANNELS, server.anonymous), (f"{CHANNELS}/{channel}/followers", owner)):
        if field == "withStats" and path != CHANNELS:
            continue
        response = client.get(path, params=params)
        assert response.status_code == 400, response.text
        assert field in response.json()["invalid-params"]
