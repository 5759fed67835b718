"""The video lists and the search build their items from plain rows (`schemas/video_items.py`); the
items of the other paths come from the ORM models (`schemas.videos.video_json`). Both must give the
same JSON: a list asked with `include=TAGS` (a moderator's option) takes the model path, so the two
answers for the same videos are compared field by field, with avatars, thumbnails, a truncated
description, a schedule and the caller's watch position in play."""

from __future__ import annotations

import io
import uuid

from PIL import Image

from vidpub.schemas.videos import VideoJson
from tests.support.published_videos import published_video

INCLUDE_TAGS = 128


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (30, 140, 90)).save(buffer, "PNG")
    return buffer.getvalue()


def test_list_items_equal_the_model_built_ones(server):
    word = f"items{uuid.uuid4().hex[:8]}"
    owner = server.create_user(word)
    assert owner.post("/api/v1/users/me/avatar/pick",
                      files={"avatarfile": ("a.png", _png(), "image/png")}).status_code == 200
    assert owner.post(f"/api/v1/video-channels/{word}_channel/avatar/pick",
                      files={"avatarfile": ("c.png", _png(), "image/png")}).status_code == 200
    long_text = ("A long description, with commas, spaces  and words " * 8) + word
    first = published_video(owner, name=f"first {word}", description=long_text, tags=[word], category=3,
                            licence=2, language="fr", originallyPublishedAt="2011-02-03T04:05:06.789Z")
    second = published_video(owner, name=f"second {word}", tags=[word], nsfw=True, nsfwFlags=1,
                             nsfwSummary="careful")
    response = owner.put(f"/api/v1/videos/{second['uuid']}",
                         json={"scheduleUpdate": {"updateAt": "2099-01-01T00:00:00.000Z", "privacy": 1}})
    assert response.status_code == 204, response.text
    root = server.root
    response = root.post(f"/api/v1/videos/{first['uuid']}/views", json={"currentTime": 2, "sessionId": word})
    assert response.status_code == 204, response.text

    params = {"tagsOneOf": word, "nsfw": "both", "count": 10}
    lean = root.get("/api/v1/videos", params=params).json()
    rich = root.get("/api/v1/videos", params={**params, "include": INCLUDE_TAGS}).json()
    assert lean["total"] == rich["total"] == 2
    for item, model_item in zip(lean["data"], rich["data"], strict=True):
        assert model_item.pop("tags") == [word]
        assert item == model_item
        # and the item is a valid `Video` that the model writes back identically
        assert VideoJson.model_validate(item).model_dump(mode="json") == item

    by_uuid = {item["uuid"]: item for item in lean["data"]}
    assert by_uuid[first["uuid"]]["userHistory"] == {"currentTime": 2}
    assert by_uuid[first["uuid"]]["truncatedDescription"].endswith("...")
    assert by_uuid[second["uuid"]]["scheduledUpdate"]["updateAt"] == "2099-01-01T00:00:00.000Z"
    assert by_uuid[first["uuid"]]["account"]["avatars"] and by_uuid[first["uuid"]]["channel"]["avatars"]
    # the search answers with the same items
    found = root.get("/api/v1/search/videos", params={"search": word, "nsfw": "both", "sort": "-publishedAt"}).json()
    assert found["data"] == lean["data"]
