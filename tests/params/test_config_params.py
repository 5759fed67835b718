"""Config tag and avatar uploads: who may call them and what bad input gets (refusals change
nothing, so the shared server is used; every refusal is checked to leave the configuration as it was)."""

from __future__ import annotations

import io
import socket

import pytest
from PIL import Image

from vidpub.services.auth.rights import UserRole

MAX_IMAGE_BYTES = 4 * 1024 * 1024
ADMIN_ROUTES = [
    ("GET", "/api/v1/config/custom"), ("PUT", "/api/v1/config/custom"), ("DELETE", "/api/v1/config/custom"),
    ("POST", "/api/v1/config/instance-avatar/pick"), ("DELETE", "/api/v1/config/instance-avatar"),
    ("POST", "/api/v1/config/instance-banner/pick"), ("DELETE", "/api/v1/config/instance-banner"),
]


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (1, 2, 3)).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def callers(server):
    import uuid
    suffix = uuid.uuid4().hex[:8]
    return {"user": server.create_user(f"cfgp_user_{suffix}", role=int(UserRole.USER)),
            "moderator": server.create_user(f"cfgp_mod_{suffix}", role=int(UserRole.MODERATOR))}


@pytest.fixture
def unchanged_config(server):
    """The custom configuration must be the same after the test."""
    before = server.root.get("/api/v1/config/custom").json()
    yield
    assert server.root.get("/api/v1/config/custom").json() == before


def invalid_fields(response) -> set[str]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return set(response.json().get("invalid-params", {}))


# -- permissions -------------------------------------------------------------------------------------

@pytest.mark.parametrize("method,path", ADMIN_ROUTES, ids=[f"{m} {p}" for m, p in ADMIN_ROUTES])
def test_admin_routes_refuse_anonymous_users_and_moderators(server, callers, method, path, unchanged_config):
    body = {"json": {"instance": {"name": "Hijacked"}}} if method == "PUT" else {}
    if path.endswith("/pick"):
        field = "bannerfile" if "banner" in path else "avatarfile"
        body = {"files": {field: ("x.png", png_bytes(), "image/png")}}
    assert server.anonymous.request(method, path, **body).status_code == 401
    for name in ("user", "moderator"):
        response = callers[name].request(method, path, **body)
        assert response.status_code == 403, (name, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")


def test_public_routes_need_no_login(server):
    assert server.anonymous.get("/api/v1/config").status_code == 200
    assert server.anonymous.get("/api/v1/config/about").status_code == 200


def test_avatar_routes_need_a_login(server):
    assert server.anonymous.post("/api/v1/users/me/avatar/pick",
                                 files={"avatarfile": ("a.png", png_bytes(), "image/png")}).status_code == 401
    assert server.anonymous.delete("/api/v1/users/me/avatar").status_code == 401


# -- custom configuration bodies ---------------------------------------------------------------------

@pytest.mark.parametrize("body,field", [
    ({"signup": {"enabled": "true"}}, "signup.enabled"),
    ({"signup": {"limit": "10"}}, "signup.limit"),
    ({"signup": {"limit": -2}}, "signup.limit"),
    ({"instance": {"name": None}}, "instance.name"),
    ({"instance": {"name": ""}}, "instance.name"),
    ({"instance": {"name": 42}}, "instance.name"),
    ({"instance": {"defaultNSFWPolicy": "show_everything"}}, "instance.defaultNSFWPolicy"),
    ({"instance": {"languages": "en"}}, "instance.languages"),
    ({"admin": {"email": "not an email"}}, "admin.email"),
    ({"transcoding": {"concurrency": 0}}, "transcoding.concurrency"),
    ({"transcoding": {"resolutions": {"720p": "yes"}}}, "transcoding.resolutions.720p"),
    ({"transcoding": {"profile": "turbo"}}, "transcoding.profile"),
    ({"live": {"maxDuration": "5 hours"}}, "live.maxDuration"),
    ({"user": {"videoQuota": -5}}, "user.videoQuota"),
    ({"broadcastMessage": {"level": "panic"}}, "broadcastMessage.level"),
    ({"defaults": {"player": {"theme": "neon"}}}, "defaults.player.theme"),
    ({"import": {"videos": {"http": {"enabled": 1}}}}, "import.videos.http.enabled"),
    ({"instance": "PeerTube"}, "instance"),
    ({"instance": {"name": "nul\u0000name"}}, "instance.name"),  # PostgreSQL's JSONB cannot hold it
    ({"instance": {"languages": ["en", "f\u0000r"]}}, "instance.languages"),
    ({"user": {"videoQuota": 2**63}}, "user.videoQuota"),  # past BIGINT
])
def test_wrongly_typed_fields_are_refused_by_name(server, body, field, unchanged_config):
    assert field in invalid_fields(server.root.put("/api/v1/config/custom", json=body))


@pytest.mark.parametrize("body,field", [
    ({"signup": {"requiresEmailVerification": True}}, "signup.requiresEmailVerification"),  # no SMTP here
    ({"transcoding": {"enabled": True, "hls": {"enabled": False}, "webVideos": {"enabled": False}}},
     "transcoding.hls.enabled"),
    ({"import": {"videos": {"http": {"enabled": False}}, "videoChannelSynchronization": {"enabled": True}}},
     "import.videoChannelSynchronization.enabled"),
    ({"transcoding": {"enabled": False}, "live": {"enabled": True, "allowReplay": True}}, "live.allowReplay"),
    ({"transcoding": {"enabled": False}, "videoStudio": {"enabled": True}}, "videoStudio.enabled"),
    ({"trending": {"videos": {"algorithms": {"enabled": ["hot"], "default": "most-liked"}}}},
     "trending.videos.algorithms.default"),
    ({"theme": {"default": "no-such-theme"}}, "theme.default"),
    ({"followings": {"instance": {"autoFollowIndex": {"indexUrl": "ftp://example.org/index"}}}},
     "followings.instance.autoFollowIndex.indexUrl"),
])
def test_inconsistent_configurations_are_refused(server, body, field, unchanged_config):
    assert field in invalid_fields(server.root.put("/api/v1/config/custom", json=body))


@pytest.mark.parametrize("content", [b"{not json", b"[]", b"null"])
def test_malformed_bodies_are_refused(server, content, unchanged_config):
    response = server.root.put("/api/v1/config/custom", content=content,
                               headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")


# -- image uploads -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def uploader(server):
    import uuid
    return server.create_user(f"cfgp_up_{uuid.uuid4().hex[:8]}")


def avatar_post(client, files=None, **kwargs):
    return client.post("/api/v1/users/me/avatar/pick", files=files, **kwargs)


def test_missing_file_is_refused_by_name(uploader):
    response = avatar_post(uploader, files={"otherfile": ("a.png", png_bytes(), "image/png")})
    assert "avatarfile" in invalid_fields(response)
    response = uploader.post("/api/v1/users/me/avatar/pick", json={"avatarfile": "a.png"})
    assert "avatarfile" in invalid_fields(response)


@pytest.mark.parametrize("name,content,mime", [
    ("fake.png", b"This is a text file with a .png name\n" * 10, "image/png"),
    ("empty.png", b"", "image/png"),
    ("truncated.png", png_bytes()[:60], "image/png"),
    ("icon.bmp", None, "image/bmp"),           # a real picture, in a format PeerTube does not take
    ("picture.txt", png_bytes(), "text/plain"),  # a real PNG under a refused extension
])
def test_files_that_are_not_accepted_images_are_refused(uploader, name, content, mime):
    if content is None:
        buffer = io.BytesIO()
        Image.new("RGB", (32, 32)).save(buffer, "BMP")
        content = buffer.getvalue()
    response = avatar_post(uploader, files={"avatarfile": (name, content, mime)})
    assert "avatarfile" in invalid_fields(response)
    assert uploader.get("/api/v1/users/me").json()["account"]["avatars"] == []


def test_oversized_image_is_refused(uploader, server):
    too_big = png_bytes() + b"\0" * (MAX_IMAGE_BYTES + 1 - len(png_bytes()))
    response = avatar_post(uploader, files={"avatarfile": ("big.png", too_big, "image/png")})
    assert response.status_code == 413
    assert response.headers["x-file-maximum-size"] == str(MAX_IMAGE_BYTES)
    assert response.headers["content-type"].startswith("application/problem+json")
    admin = server.root.post("/api/v1/config/instance-banner/pick",
                             files={"bannerfile": ("big.png", too_big, "image/png")})
    assert admin.status_code == 413


def test_an_announced_oversized_body_is_refused_before_it_is_read(server, uploader):
    """The Content-Length alone decides: the server answers without waiting for the body."""
    host, port = server.url.removeprefix("http://").split(":")
    request = (f"POST /api/v1/users/me/avatar/pick HTTP/1.1\r\nHost: {host}:{port}\r\n"
               f"Authorization: Bearer {uploader.token}\r\n"
               "Content-Type: multipart/form-data; boundary=xyz\r\n"
               f"Content-Length: {50 * 1024 * 1024}\r\nConnection: close\r\n\r\n--xyz\r\n").encode()
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(request)
        status_line = connection.makefile("rb").readline()
    assert status_line.split()[1] == b"413", status_line
