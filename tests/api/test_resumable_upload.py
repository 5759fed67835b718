"""The resumable upload protocol (uploadx, as PeerTube speaks it): init, chunks, progress, resume,
cancel, and an upload surviving the server being killed in the middle of a chunk."""

from __future__ import annotations

import socket
import uuid
from pathlib import Path

import httpx
import pytest
from PIL import Image

from tests.support.media import make_clip, make_image
from tests.support.videos import (RESUMABLE_PATH, get_video, my_channel_id, resumable_init, send_chunk, upload_id_of)


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("resumable") / "clip.mp4", duration=2, width=320, height=240)


@pytest.fixture
def user(server, unique):
    return server.create_user(f"res{unique}")


def progress(client, upload_id: str, total: int) -> httpx.Response:
    return client.put(RESUMABLE_PATH, params={"upload_id": upload_id}, content=b"",
                      headers={"Content-Range": f"bytes */{total}"})


def test_a_chunked_upload_creates_the_video(server, user, clip):
    channel = my_channel_id(user)
    content = clip.read_bytes()
    init = resumable_init(user, channel, clip, name="chunked upload", privacy=1, tags=["chunks", "uploadx"],
                          description="sent in pieces", category=15, waitTranscoding=True)
    assert init.status_code == 201, init.text
    location = init.headers["location"]
    assert location.startswith(f"{server.url}{RESUMABLE_PATH}?upload_id=")
    upload_id = upload_id_of(init)

    chunk = 16 * 1024
    for first in range(0, len(content) - chunk, chunk):
        response = send_chunk(user, upload_id, content[first:first + chunk], first, len(content))
        assert response.status_code == 308, response.text
        assert response.headers["range"] == f"bytes=0-{first + chunk - 1}"
    first = (len(content) - 1) // chunk * chunk
    final = send_chunk(user, upload_id, content[first:], first, len(content))
    assert final.status_code == 200, final.text
    created = final.json()["video"]
    assert set(created) == {"id", "shortUUID", "uuid"}

    video = get_video(user, created["uuid"])
    assert (video["id"], video["shortUUID"], video["name"]) == (created["id"], created["shortUUID"], "chunked upload")
    assert video["privacy"]["id"] == 1 and video["category"]["id"] == 15
    assert sorted(video["tags"]) == ["chunks", "uploadx"]
    assert video["description"] == "sent in pieces"
    assert video["waitTranscoding"] is True

    # the last chunk sent again (its answer was lost) and a progress query get the same answer
    again = send_chunk(user, upload_id, content[first:], first, len(content))
    assert again.status_code == 200 and again.json() == final.json()
    assert progress(user, upload_id, len(content)).json() == final.json()


def test_init_again_resumes_the_session(user, clip):
    channel = my_channel_id(user)
    content = clip.read_bytes()
    first_init = resumable_init(user, channel, clip, name="resume me")
    assert first_init.status_code == 201
    upload_id = upload_id_of(first_init)
    assert resumable_init(user, channel, clip, name="resume me").status_code == 201  # nothing stored yet

    assert send_chunk(user, upload_id, content[:4000], 0, len(content)).status_code == 308
    again = resumable_init(user, channel, clip, name="resume me")
    assert again.status_code == 200
    assert upload_id_of(again) == upload_id and again.headers["range"] == "bytes=0-3999"

    other = resumable_init(user, channel, clip, name="another video")
    assert other.status_code == 201 and upload_id_of(other) != upload_id
    for identifier in (upload_id, upload_id_of(other)):
        assert user.delete(RESUMABLE_PATH, params={"upload_id": identifier}).status_code == 204


def test_progress_queries(user, clip):
    content = clip.read_bytes()
    upload_id = upload_id_of(resumable_init(user, my_channel_id(user), clip, name="progress"))
    empty = progress(user, upload_id, len(content))
    assert empty.status_code == 308 and "range" not in empty.headers
    send_chunk(user, upload_id, content[:1234], 0, len(content))
    stored = progress(user, upload_id, len(content))
    assert stored.status_code == 308 and stored.headers["range"] == "bytes=0-1233"
    assert user.delete(RESUMABLE_PATH, params={"upload_id": upload_id}).status_code == 204


def test_cancel_removes_the_session_and_its_data(server, user, clip):
    content = clip.read_bytes()
    upload_id = upload_id_of(resumable_init(user, my_channel_id(user), clip, name="cancel me"))
    send_chunk(user, upload_id, content[:5000], 0, len(content))
    data_files = list((server.data_dir / "storage" / "tmp-persistent" / "resumable-uploads").glob(f"*-{upload_id}*"))
    assert len(data_files) == 1 and data_files[0].stat().st_size == 5000

    cancelled = user.delete(RESUMABLE_PATH, params={"upload_id": upload_id})
    assert cancelled.status_code == 204 and cancelled.content == b""
    assert not data_files[0].exists()
    assert progress(user, upload_id, len(content)).status_code == 404


def test_multipart_init_with_images(server, user, clip, tmp_path):
    preview = make_image(tmp_path / "preview.png", 1280, 720, color="orange")
    fields = {"name": "with images", "channelId": str(my_channel_id(user)), "filename": clip.name, "privacy": "1"}
    init = user.post(RESUMABLE_PATH, data=fields,
                     files={"previewfile": ("preview.png", preview.read_bytes(), "image/png")},
                     headers={"X-Upload-Content-Length": str(clip.stat().st_size), "X-Upload-Content-Type": "video/mp4"})
    assert init.status_code == 201, init.text
    content = clip.read_bytes()
    final = send_chunk(user, upload_id_of(init), content, 0, len(content))
    assert final.status_code == 200, final.text

    video = get_video(user, final.json()["video"]["uuid"])
    image = server.anonymous.get(video["previewPath"])
    assert image.status_code == 200
    path = tmp_path / "served.jpg"
    path.write_bytes(image.content)
    with Image.open(path) as served:
        assert served.size == (850, 480)
        red, green, blue = served.convert("RGB").getpixel((425, 240))
        assert red > 200 and 120 < green < 200 and blue < 60  # the uploaded orange, not a frame of the clip


def test_an_upload_survives_the_server_being_killed_mid_chunk(server_factory, tmp_path):
    """SIGKILL while a chunk is half received; after a restart the session resumes from what was
    acknowledged and the stored file is byte-identical to the source."""
    instance = server_factory(config={"jobs": {"in_process": False}})
    source = make_clip(tmp_path / "big.mp4", duration=4, width=1280, height=720, extra=["-qp", "0"])
    content = source.read_bytes()
    total = len(content)
    assert total > 4 * 1024 * 1024
    client = instance.create_user(f"kill{uuid.uuid4().hex[:8]}")
    init = resumable_init(client, my_channel_id(client), source, name="killed mid-upload", privacy=1)
    upload_id = upload_id_of(init)
    first_chunk = 1024 * 1024
    assert send_chunk(client, upload_id, content[:first_chunk], 0, total).status_code == 308

    data_file = next((instance.data_dir / "storage" / "tmp-persistent" / "resumable-uploads").glob(f"*-{upload_id}*"))
    second_chunk = content[first_chunk:first_chunk + 3 * 1024 * 1024]
    connection = socket.create_connection(("127.0.0.1", instance.port))
    head = (f"PUT {RESUMABLE_PATH}?upload_id={upload_id} HTTP/1.1\r\nHost: 127.0.0.1:{instance.port}\r\n"
            f"Authorization: Bearer {client.token}\r\nContent-Type: application/octet-stream\r\n"
            f"Content-Range: bytes {first_chunk}-{first_chunk + len(second_chunk) - 1}/{total}\r\n"
            f"Content-Length: {len(second_chunk)}\r\n\r\n")
    connection.sendall(head.encode() + second_chunk[: 2 * 1024 * 1024])
    instance.wait_for(lambda: data_file.stat().st_size > first_chunk)  # part of the chunk reached the disk
    instance.kill()
    connection.close()

    instance.start()
    status = progress(client, upload_id, total)
    assert status.status_code == 308
    acknowledged = int(status.headers["range"].rsplit("-", 1)[1]) + 1
    assert acknowledged == first_chunk  # the half chunk was never acknowledged: it is asked for again
    assert data_file.stat().st_size == acknowledged

    chunk = 1024 * 1024
    response = None
    for first in range(acknowledged, total, chunk):
        response = send_chunk(client, upload_id, content[first:first + chunk], first, total)
        assert response.status_code in (200, 308), response.text
    assert response.status_code == 200
    video = get_video(client, response.json()["video"]["uuid"])
    assert video["state"]["id"] == 2  # no worker runs here: still waiting for its transcoding
    served = instance.anonymous.get(video["files"][0]["fileUrl"].removeprefix(instance.url))
    assert served.status_code == 200
    assert served.content == content
