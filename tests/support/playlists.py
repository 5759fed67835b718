"""Playlists in tests: creating them as PeerTube's client does (multipart), adding videos, reading back."""

from __future__ import annotations

import io
import uuid

from PIL import Image

from tests.support.server import Client
from tests.support.videos import form_fields, my_channel_id

PUBLIC, UNLISTED, PRIVATE = 1, 2, 3
REGULAR, WATCH_LATER = 1, 2
ELEMENT_REGULAR, ELEMENT_DELETED, ELEMENT_PRIVATE, ELEMENT_UNAVAILABLE = 0, 1, 2, 3


def jpeg_bytes(size=(640, 360), color=(200, 60, 20)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def create_playlist_response(client: Client, *, thumbnail: bytes | None = None, **fields):
    """`POST /video-playlists` as multipart form data (PeerTube's client sends every field as text)."""
    data: dict[str, list[str]] = {}
    for key, value in form_fields(fields):
        data.setdefault(key, []).append(value)
    files = {"thumbnailfile": ("thumb.jpg", thumbnail, "image/jpeg")} if thumbnail is not None else None
    if files is None:
        # without a file part httpx would send url-encoded data: force multipart like the client
        files = {"unused": ("", b"", "application/octet-stream")}
    return client.post("/api/v1/video-playlists", data=data, files=files)


def create_playlist(client: Client, privacy: int = PUBLIC, *, channel: bool = True, **fields) -> dict:
    """A playlist of `client` (in its first channel unless `channel` is False); `{id, uuid, shortUUID}`."""
    fields = {"displayName": f"playlist {uuid.uuid4().hex[:8]}", "privacy": privacy, **fields}
    if channel and "videoChannelId" not in fields:
        fields["videoChannelId"] = my_channel_id(client)
    response = create_playlist_response(client, **fields)
    assert response.status_code == 200, response.text
    return response.json()["videoPlaylist"]


def get_playlist(client: Client, ref) -> dict:
    response = client.get(f"/api/v1/video-playlists/{ref}")
    assert response.status_code == 200, response.text
    return response.json()


def add_video(client: Client, playlist_ref, video_ref, **timestamps) -> int:
    response = client.post(f"/api/v1/video-playlists/{playlist_ref}/videos", json={"videoId": video_ref, **timestamps})
    assert response.status_code == 200, response.text
    return response.json()["videoPlaylistElement"]["id"]


def elements(client: Client, playlist_ref, **params) -> dict:
    response = client.get(f"/api/v1/video-playlists/{playlist_ref}/videos", params={"count": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()


def element_video_ids(client: Client, playlist_ref) -> list[int | None]:
    return [item["video"]["id"] if item["video"] else None for item in elements(client, playlist_ref)["data"]]


def watch_later_id(client: Client) -> int:
    special = client.get("/api/v1/users/me").json()["specialPlaylists"]
    return next(item["id"] for item in special if item["type"] == WATCH_LATER)
