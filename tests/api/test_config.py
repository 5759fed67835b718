"""Config tag: public configuration, About, the admin's custom configuration (also as seen by a
second process on the same database) and the instance's avatar and banner.

Custom-configuration edits run on a dedicated instance so the shared server keeps its settings.
"""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

from tests.api.upstream_spec import schema_errors
from tests.support.server import ServerProcess

STATIC_CONFIG = {"webadmin": {"configuration": {"edition": {"allowed": False}}}}


@pytest.fixture(scope="module")
def instance(server_factory) -> ServerProcess:
    return server_factory()


@pytest.fixture(scope="module")
def second_process(instance, tmp_path_factory):
    """Another `vidpub serve` on the same database, whose own file forbids editing the configuration."""
    workdir = tmp_path_factory.mktemp("second-process")
    process = ServerProcess(workdir, instance.config["database"]["url"], STATIC_CONFIG)
    process.start()
    yield process
    process.stop()


@pytest.fixture
def restore_custom_config(instance):
    yield
    assert instance.root.delete("/api/v1/config/custom").status_code == 200


def png_bytes(size=(640, 480), color=(200, 30, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


# -- public configuration ----------------------------------------------------------------------------

def test_public_config_is_complete_against_the_upstream_schema(server):
    response = server.anonymous.get("/api/v1/config")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert schema_errors("ServerConfig", body) == []
    assert body["serverVersion"] == "7.0.0"
    assert body["avatar"]["file"]["size"]["max"] == 4 * 1024 * 1024
    assert body["avatar"]["file"]["extensions"] == [".png", ".jpeg", ".jpg", ".gif", ".webp"]
    assert body["transcoding"]["hls"]["enabled"] is True
    assert body["transcoding"]["web_videos"]["enabled"] is False
    assert ".mkv" in body["video"]["file"]["extensions"] and ".mp3" in body["video"]["file"]["extensions"]
    assert body["views"]["videos"]["watchingInterval"] == {"anonymous": 5000, "users": 5000}
    assert body["export"]["users"]["exportExpiration"] == 2 * 86400 * 1000
    assert body["export"]["users"]["maxUserVideoQuota"] == 10 * 1024**3
    assert body["fieldsConstraints"]["users"]["password"] == {"minLength": 6, "maxLength": 50}
    # PeerTube 8 fields beside the 7.0 ones
    assert body["theme"]["builtIn"] and body["plugin"]["registeredExternalAuths"] == []


def test_public_config_is_the_same_for_a_logged_in_user(server, unique):
    user = server.create_user(f"cfgview{unique}")
    assert user.get("/api/v1/config").json() == server.anonymous.get("/api/v1/config").json()


def test_about_is_complete_against_the_upstream_schema(server):
    body = server.anonymous.get("/api/v1/config/about").json()
    assert schema_errors("ServerConfigAbout", body) == []
    assert body["instance"]["terms"] == "No terms for now."


def test_custom_config_is_complete_against_the_7_0_schema(server):
    body = server.root.get("/api/v1/config/custom").json()
    assert schema_errors("ServerConfigCustom", body) == []
    # the PeerTube 8 spellings are answered beside the 7.0 ones
    assert body["transcoding"]["webVideos"] == body["transcoding"]["web_videos"]
    assert body["import"]["videoChannelSynchronization"]["enabled"] is False


# -- editing the custom configuration ----------------------------------------------------------------

def test_put_changes_the_custom_and_public_configuration(instance, unique, restore_custom_config):
    root = instance.root
    custom = root.get("/api/v1/config/custom").json()
    custom["instance"]["name"] = f"Instance {unique}"
    custom["instance"]["shortDescription"] = "A short one"
    custom["signup"]["enabled"] = True
    custom["signup"]["requiresApproval"] = False
    custom["user"]["videoQuota"] = 5 * 1024**3
    custom["live"]["maxDuration"] = 3_600_000
    custom["transcoding"]["resolutions"]["720p"] = True

    response = root.put("/api/v1/config/custom", json=custom)
    assert response.status_code == 200, response.text
    assert response.json()["instance"]["name"] == f"Instance {unique}"
    assert root.get("/api/v1/config/custom").json() == response.json()

    public = instance.anonymous.get("/api/v1/config").json()
    assert public["instance"]["name"] == f"Instance {unique}"
    assert public["instance"]["shortDescription"] == "A short one"
    assert public["signup"]["allowed"] is True and public["signup"]["requiresApproval"] is False
    assert public["user"]["videoQuota"] == 5 * 1024**3
    assert public["live"]["maxDuration"] == 3_600_000
    assert public["transcoding"]["enabledResolutions"] == [720]
    about = instance.anonymous.get("/api/v1/config/about").json()
    assert about["instance"]["name"] == f"Instance {unique}"


def test_signup_is_not_allowed_once_the_user_limit_is_reached(instance, restore_custom_config):
    users = instance.root.get("/api/v1/users", params={"count": 1}).json()["total"]
    body = {"signup": {"enabled": True, "limit": users}}
    assert instance.root.put("/api/v1/config/custom", json=body).status_code == 200
    assert instance.anonymous.get("/api/v1/config").json()["signup"]["allowed"] is False
    body["signup"]["limit"] = users + 1
    assert instance.root.put("/api/v1/config/custom", json=body).status_code == 200
    assert instance.anonymous.get("/api/v1/config").json()["signup"]["allowed"] is True


def test_delete_restores_the_configuration_file_values(instance, unique):
    root = instance.root
    defaults = root.get("/api/v1/config/custom").json()
    changed = root.put("/api/v1/config/custom", json={"instance": {"name": f"Temporary {unique}"},
                                                      "contactForm": {"enabled": False}})
    assert changed.status_code == 200
    assert changed.json()["contactForm"]["enabled"] is False

    response = root.delete("/api/v1/config/custom")
    assert response.status_code == 200
    assert response.json() == defaults
    assert root.get("/api/v1/config/custom").json() == defaults
    assert instance.anonymous.get("/api/v1/config").json()["instance"]["name"] == defaults["instance"]["name"]


def test_a_put_keeps_what_it_leaves_out(instance, unique, restore_custom_config):
    """A client knowing fewer fields (an older PeerTube client) cannot wipe the others."""
    root = instance.root
    assert root.put("/api/v1/config/custom", json={"instance": {"terms": f"T {unique}"}}).status_code == 200
    assert root.put("/api/v1/config/custom", json={"instance": {"name": f"Only {unique}"}}).status_code == 200
    custom = root.get("/api/v1/config/custom").json()
    assert custom["instance"]["name"] == f"Only {unique}"
    assert custom["instance"]["terms"] == f"T {unique}"
    assert root.put("/api/v1/config/custom", json={}).json() == custom


def test_the_7_0_spellings_are_accepted_and_the_new_ones_win(instance, restore_custom_config):
    root = instance.root
    legacy = {"transcoding": {"web_videos": {"enabled": True}}}
    assert root.put("/api/v1/config/custom", json=legacy).status_code == 200
    assert instance.anonymous.get("/api/v1/config").json()["transcoding"]["web_videos"]["enabled"] is True

    both = {"transcoding": {"webVideos": {"enabled": False}, "web_videos": {"enabled": True}}}
    response = root.put("/api/v1/config/custom", json=both)
    assert response.status_code == 200
    assert response.json()["transcoding"]["webVideos"] == {"enabled": False}
    assert response.json()["transcoding"]["web_videos"] == {"enabled": False}


def test_another_process_sees_the_change_and_honours_its_static_configuration(
        instance, second_process, unique, restore_custom_config):
    name = f"Shared {unique}"
    assert instance.root.put("/api/v1/config/custom", json={"instance": {"name": name}}).status_code == 200

    def seen_by_second_process():
        return second_process.anonymous.get("/api/v1/config").json()["instance"]["name"] == name

    second_process.wait_for(seen_by_second_process, timeout=20, interval=0.25)
    assert second_process.root.get("/api/v1/config/custom").json()["instance"]["name"] == name

    # its own configuration file forbids editing: PeerTube answers 405
    refused = second_process.root.put("/api/v1/config/custom", json={"instance": {"name": "No"}})
    assert refused.status_code == 405
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert second_process.root.delete("/api/v1/config/custom").status_code == 405
    public = second_process.anonymous.get("/api/v1/config").json()
    assert public["webadmin"]["configuration"]["edition"]["allowed"] is False
    assert public["instance"]["name"] == name


# -- instance avatar and banner ----------------------------------------------------------------------

def test_instance_avatar_and_banner_appear_in_config_and_about(instance, second_process):
    root = instance.root
    picked = root.post("/api/v1/config/instance-avatar/pick",
                       files={"avatarfile": ("logo.png", png_bytes(), "image/png")})
    assert picked.status_code == 204, picked.text
    banner = root.post("/api/v1/config/instance-banner/pick",
                       files={"bannerfile": ("banner.png", png_bytes((1200, 400)), "image/png")})
    assert banner.status_code == 204, banner.text

    public = instance.anonymous.get("/api/v1/config").json()
    avatars, banners = public["instance"]["avatars"], public["instance"]["banners"]
    assert sorted((a["width"], a["height"]) for a in avatars) == [(48, 48), (120, 120), (600, 600),
                                                                   (1500, 1500)]
    assert sorted((b["width"], b["height"]) for b in banners) == [(600, 100), (1920, 317)]
    about = instance.anonymous.get("/api/v1/config/about").json()["instance"]
    assert about["avatars"] == avatars and about["banners"] == banners
    for image in banners:
        assert image["path"].startswith("/lazy-static/banners/")
        served = httpx.get(instance.url + image["path"])
        assert served.status_code == 200 and served.headers["content-type"] == "image/png"
        assert Image.open(io.BytesIO(served.content)).size == (image["width"], image["height"])
    # the other process rebuilds its cached configuration too (its URLs name its own test port)
    paths = sorted(image["path"] for image in banners)

    def banner_paths_of_second_process():
        public = second_process.anonymous.get("/api/v1/config").json()
        return sorted(image["path"] for image in public["instance"]["banners"])

    second_process.wait_for(lambda: banner_paths_of_second_process() == paths, timeout=20, interval=0.25)

    assert root.delete("/api/v1/config/instance-avatar").status_code == 204
    assert root.delete("/api/v1/config/instance-banner").status_code == 204
    public = instance.anonymous.get("/api/v1/config").json()
    assert public["instance"]["avatars"] == [] and public["instance"]["banners"] == []
    for image in avatars + banners:
        assert httpx.get(instance.url + image["path"]).status_code == 404
