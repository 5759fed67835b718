"""Comments in tests: a video to comment on (uploaded, not waited for: a video still transcoding is
shown unless its owner asked to wait), threads and replies posted through the API."""

from __future__ import annotations

import uuid

from tests.support.interactions import clip
from tests.support.server import Client
from tests.support.videos import my_channel_id, upload_video


def commentable_video(client: Client, **fields) -> dict:
    """A public video of `client` (unless `fields` say otherwise): `{id, uuid, shortUUID}`."""
    fields = {"name": f"comments {uuid.uuid4().hex[:8]}", "privacy": 1, **fields}
    return upload_video(client, my_channel_id(client), clip(1), **fields)


def post_thread(client: Client, video: dict, text: str, headers: dict | None = None) -> dict:
    response = client.post(f"/api/v1/videos/{video['uuid']}/comment-threads", json={"text": text}, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()["comment"]


def post_reply(client: Client, video: dict, comment_id: int, text: str) -> dict:
    response = client.post(f"/api/v1/videos/{video['uuid']}/comments/{comment_id}", json={"text": text})
    assert response.status_code == 200, response.text
    return response.json()["comment"]


def threads(client: Client, video: dict, **params) -> dict:
    response = client.get(f"/api/v1/videos/{video['uuid']}/comment-threads", params=params)
    assert response.status_code == 200, response.text
    return response.json()


def thread_tree(client: Client, video: dict, thread_id: int) -> dict:
    response = client.get(f"/api/v1/videos/{video['uuid']}/comment-threads/{thread_id}")
    assert response.status_code == 200, response.text
    return response.json()
