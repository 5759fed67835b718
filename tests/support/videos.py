"""Uploading videos in tests, the way PeerTube clients do, and waiting for their processing."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from tests.support.server import Client

PUBLISHED, TO_TRANSCODE, TRANSCODING_FAILED = 1, 2, 7
RESUMABLE_PATH = "/api/v1/videos/upload-resumable"


def form_fields(fields: dict[str, Any]) -> list[tuple[str, str]]:
    """Flatten metadata as PeerTube's tools do: `tags[0]`, `scheduleUpdate[updateAt]`, booleans as text."""
    flat: list[tuple[str, str]] = []

    def text(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, (list, tuple)):
            flat += [(f"{key}[{index}]", text(item)) for index, item in enumerate(value)]
        elif isinstance(value, dict):
            flat += [(f"{key}[{sub}]", text(item)) for sub, item in value.items() if item is not None]
        else:
            flat.append((key, text(value)))
    return flat


def my_channel_id(client: Client) -> int:
    response = client.get("/api/v1/users/me")
    assert response.status_code == 200, response.text
    return response.json()["videoChannels"][0]["id"]


def upload_video_response(client: Client, channel_id: int, path: Path, *, filename: str | None = None,
                          mime: str = "video/mp4", thumbnailfile: Path | None = None,
                          previewfile: Path | None = None, **fields) -> httpx.Response:
    """The legacy multipart upload (`POST /api/v1/videos/upload`), answer as is."""
    data: dict[str, list[str]] = {}
    for key, value in form_fields({"name": fields.pop("name", f"video {path.stem}"), "channelId": channel_id,
                                   **fields}):
        data.setdefault(key, []).append(value)
    files = [("videofile", (filename or path.name, path.open("rb"), mime))]
    for field, image in (("thumbnailfile", thumbnailfile), ("previewfile", previewfile)):
        if image is not None:
            files.append((field, (image.name, image.open("rb"), "image/jpeg" if image.suffix in (".jpg", ".jpeg")
                                  else "image/png")))
    try:
        return client.post("/api/v1/videos/upload", data=data, files=files, timeout=300)
    finally:
        for _, (_, handle, _) in files:
            handle.close()


def upload_video(client: Client, channel_id: int, path: Path, **fields) -> dict:
    """Upload `path` with the legacy multipart route; returns `{id, shortUUID, uuid}`."""
    response = upload_video_response(client, channel_id, path, **fields)
    assert response.status_code == 200, response.text
    return response.json()["video"]


def resumable_init(client: Client, channel_id: int | None, path: Path | None, *, size: int | None = None,
                   filename: str | None = None, mime: str = "video/mp4", url: str = RESUMABLE_PATH,
                   **fields) -> httpx.Response:
    """`POST` of the resumable protocol with PeerTube's headers and a JSON body."""
    body: dict[str, Any] = {"filename": filename or (path.name if path else "video.mp4"), **fields}
    if channel_id is not None:
        body.setdefault("name", f"video {Path(body['filename']).stem}")
        body["channelId"] = channel_id
    declared = size if size is not None else path.stat().st_size
    return client.post(url, json=body, headers={"X-Upload-Content-Length": str(declared),
                                                "X-Upload-Content-Type": mime})


def upload_id_of(response: httpx.Response) -> str:
    location = response.headers["location"]
    return location.split("upload_id=", 1)[1]


def send_chunk(client: Client, upload_id: str, data: bytes, first: int, total: int,
               url: str = RESUMABLE_PATH) -> httpx.Response:
    last = first + len(data) - 1
    return client.put(url, params={"upload_id": upload_id}, content=data,
                      headers={"Content-Range": f"bytes {first}-{last}/{total}",
                               "Content-Type": "application/octet-stream"}, timeout=300)


def upload_resumable_response(client: Client, channel_id: int, path: Path, *, chunk_size: int = 256 * 1024,
                              mime: str = "video/mp4", url: str = RESUMABLE_PATH, **fields) -> httpx.Response:
    """A whole resumable upload; the answer to the last chunk (or the first failure)."""
    init = resumable_init(client, channel_id, path, mime=mime, url=url, **fields)
    if init.status_code not in (200, 201):
        return init
    upload_id = upload_id_of(init)
    content = path.read_bytes()
    response = init
    for first in range(0, len(content), chunk_size):
        response = send_chunk(client, upload_id, content[first:first + chunk_size], first, len(content), url)
        if response.status_code != 308:
            return response
    return response


def upload_resumable(client: Client, channel_id: int, path: Path, **fields) -> dict:
    response = upload_resumable_response(client, channel_id, path, **fields)
    assert response.status_code == 200, response.text
    return response.json()["video"]


def get_video(client: Client, ref: str | int) -> dict:
    response = client.get(f"/api/v1/videos/{ref}")
    assert response.status_code == 200, response.text
    return response.json()


def wait_for_state(client: Client, ref: str | int, state: int = PUBLISHED, timeout: float = 120) -> dict:
    """Poll the video until it reaches `state`; fails at once if transcoding failed instead."""
    deadline = time.time() + timeout
    video = get_video(client, ref)
    while time.time() < deadline:
        current = video["state"]["id"]
        if current == state:
            return video
        if current == TRANSCODING_FAILED and state != TRANSCODING_FAILED:
            raise AssertionError(f"video {ref} failed to transcode: {video['state']}")
        time.sleep(0.25)
        video = get_video(client, ref)
    raise AssertionError(f"video {ref} did not reach state {state} in {timeout}s (now {video['state']})")


# -- what a server keeps (to prove a refused upload leaves nothing behind) --------------------------------

UPLOAD_TABLES = ("video", "video_file", "video_streaming_playlist", "video_source", "thumbnail", "video_chapter",
                 "video_password", "schedule_video_update", "upload_session")
IGNORED_STORAGE = ("logs", "cache", "avatars", "well-known")


def stored_files(server) -> set[str]:
    """Every file under the server's storage (but logs, caches and avatars), relative paths."""
    root = server.data_dir / "storage"
    found = set()
    for path in root.rglob("*"):
        relative = path.relative_to(root)
        if path.is_file() and relative.parts[0] not in IGNORED_STORAGE:
            found.add(str(relative))
    return found


def row_counts(server) -> dict[str, int]:
    from tests.support.database import run_sql

    return {table: run_sql(server, f"SELECT COUNT(*) FROM {table}")[0][0] for table in UPLOAD_TABLES}


class NothingLeftBehind:
    """`with NothingLeftBehind(server): ...` fails if the block left a row or a file more than before
    (`sessions` upload sessions, with their data files, may be expected to remain)."""

    def __init__(self, server, sessions: int = 0):
        self.server = server
        self.sessions = sessions

    def __enter__(self):
        self.files = stored_files(self.server)
        self.rows = row_counts(self.server)
        return self

    def __exit__(self, kind, value, traceback):
        if kind is not None:
            return False
        rows = row_counts(self.server)
        expected = dict(self.rows, upload_session=self.rows["upload_session"] + self.sessions)
        assert rows == expected, f"rows left behind: {rows} (expected {expected})"
        new_files = stored_files(self.server) - self.files
        session_files = {f for f in new_files if f.startswith("tmp-persistent/resumable-uploads/")}
        assert len(session_files) <= self.sessions and new_files == session_files, \
            f"files left behind: {sorted(new_files)}"
        return False
