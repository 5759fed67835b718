"""My User avatar: upload (cleaned and cut to PeerTube's sizes), replacement, deletion, and the files
served under /lazy-static/avatars."""

from __future__ import annotations

import io

import httpx
from PIL import Image

from tests.api.upstream_spec import schema_errors

AVATAR_SIZES = [(48, 48), (120, 120), (600, 600), (1500, 1500)]


def image_bytes(fmt: str, size=(800, 600), color=(20, 120, 220), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def pick(client, content: bytes, name: str, mime: str):
    return client.post("/api/v1/users/me/avatar/pick", files={"avatarfile": (name, content, mime)})


def fetch(server, path: str) -> httpx.Response:
    return httpx.get(server.url + path)


def test_png_avatar_is_stored_in_every_size_and_served(server, unique):
    user = server.create_user(f"avatarpng{unique}")
    response = pick(user, image_bytes("PNG"), "me.png", "image/png")
    assert response.status_code == 200, response.text
    avatars = response.json()["avatars"]
    for avatar in avatars:
        assert schema_errors("ActorImage", avatar) == []
    assert sorted((a["width"], a["height"]) for a in avatars) == AVATAR_SIZES
    assert len({a["path"] for a in avatars}) == 4

    for avatar in avatars:
        assert avatar["path"].startswith("/lazy-static/avatars/") and avatar["path"].endswith(".png")
        assert avatar["fileUrl"] == server.url + avatar["path"]
        served = fetch(server, avatar["path"])
        assert served.status_code == 200
        assert served.headers["content-type"] == "image/png"
        assert served.headers["cache-control"] == "public, max-age=172800"
        stored = server.data_dir / "storage" / "avatars" / avatar["path"].rsplit("/", 1)[1]
        assert served.content == stored.read_bytes()
        picture = Image.open(io.BytesIO(served.content))
        assert picture.format == "PNG" and picture.size == (avatar["width"], avatar["height"])
        # a square crop of a landscape picture keeps its colour, not a letterbox
        assert picture.convert("RGB").getpixel((0, 0)) == (20, 120, 220)

    me = user.get("/api/v1/users/me").json()
    assert sorted(a["path"] for a in me["account"]["avatars"]) == sorted(a["path"] for a in avatars)


def test_jpeg_metadata_is_stripped(server, unique):
    user = server.create_user(f"avatarjpg{unique}")
    exif = Image.Exif()
    exif[0x010F] = "Camera maker the uploader did not mean to share"
    exif[0x8825] = {2: (48.0, 51.0, 30.0)}  # a GPS position
    photo = image_bytes("JPEG", exif=exif.tobytes(), comment=b"secret")
    response = pick(user, photo, "photo.jpg", "image/jpeg")
    assert response.status_code == 200, response.text
    for avatar in response.json()["avatars"]:
        served = fetch(server, avatar["path"])
        assert served.headers["content-type"] == "image/jpeg"
        picture = Image.open(io.BytesIO(served.content))
        assert picture.format == "JPEG" and picture.size == (avatar["width"], avatar["height"])
        assert dict(picture.getexif()) == {}
        assert "comment" not in picture.info and "exif" not in picture.info
        assert b"Camera maker" not in served.content


def test_animated_gif_stays_animated(server, unique):
    user = server.create_user(f"avatargif{unique}")
    frames = [Image.new("RGB", (200, 200), (i * 60, 0, 0)) for i in range(4)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    response = pick(user, buffer.getvalue(), "anim.gif", "image/gif")
    assert response.status_code == 200, response.text
    smallest = min(response.json()["avatars"], key=lambda a: a["width"])
    served = fetch(server, smallest["path"])
    assert served.headers["content-type"] == "image/gif"
    assert Image.open(io.BytesIO(served.content)).n_frames == 4


def test_a_new_avatar_replaces_the_previous_files(server, unique):
    user = server.create_user(f"avatarnew{unique}")
    first = pick(user, image_bytes("PNG"), "one.png", "image/png").json()["avatars"]
    second = pick(user, image_bytes("WEBP"), "two.webp", "image/webp")
    assert second.status_code == 200, second.text
    second_avatars = second.json()["avatars"]
    assert sorted((a["width"], a["height"]) for a in second_avatars) == AVATAR_SIZES
    for avatar in first:
        assert fetch(server, avatar["path"]).status_code == 404
        assert not (server.data_dir / "storage" / "avatars" / avatar["path"].rsplit("/", 1)[1]).exists()
    for avatar in second_avatars:
        served = fetch(server, avatar["path"])
        assert served.status_code == 200 and served.headers["content-type"] == "image/webp"
    me = user.get("/api/v1/users/me").json()
    assert sorted(a["path"] for a in me["account"]["avatars"]) == sorted(a["path"] for a in second_avatars)


def test_a_refused_upload_keeps_the_current_avatar(server, unique):
    user = server.create_user(f"avatarkeep{unique}")
    current = pick(user, image_bytes("PNG"), "me.png", "image/png").json()["avatars"]
    files_before = sorted(path.name for path in (server.data_dir / "storage" / "avatars").iterdir())
    refused = pick(user, b"just some text, not a picture\n" * 20, "fake.png", "image/png")
    assert refused.status_code == 400
    assert sorted(path.name for path in (server.data_dir / "storage" / "avatars").iterdir()) == files_before
    me = user.get("/api/v1/users/me").json()
    assert sorted(a["path"] for a in me["account"]["avatars"]) == sorted(a["path"] for a in current)
    for avatar in current:
        assert fetch(server, avatar["path"]).status_code == 200


def test_delete_removes_the_avatar_and_its_files(server, unique):
    user = server.create_user(f"avatardel{unique}")
    avatars = pick(user, image_bytes("PNG"), "me.png", "image/png").json()["avatars"]
    response = user.delete("/api/v1/users/me/avatar")
    assert response.status_code == 204
    assert user.get("/api/v1/users/me").json()["account"]["avatars"] == []
    for avatar in avatars:
        assert fetch(server, avatar["path"]).status_code == 404
    # deleting again is harmless
    assert user.delete("/api/v1/users/me/avatar").status_code == 204


def test_avatars_are_per_user(server, unique):
    alice = server.create_user(f"avataralice{unique}")
    bob = server.create_user(f"avatarbob{unique}")
    alice_avatars = pick(alice, image_bytes("PNG"), "a.png", "image/png").json()["avatars"]
    assert bob.get("/api/v1/users/me").json()["account"]["avatars"] == []
    assert bob.delete("/api/v1/users/me/avatar").status_code == 204
    assert fetch(server, alice_avatars[0]["path"]).status_code == 200
