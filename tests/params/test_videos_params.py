"""Bad input and missing rights on the video API: lists, one video, its edition and deletion. Each
answer is PeerTube's 4xx problem document naming the field."""

from __future__ import annotations

import uuid

import pytest

from tests.support.published_videos import published_video


@pytest.fixture(scope="module")
def setting(server):
    suffix = uuid.uuid4().hex[:6]
    owner = server.create_user(f"parowner{suffix}")
    other = server.create_user(f"parother{suffix}")
    return {"owner": owner, "other": other, "video": published_video(owner), "suffix": suffix}


def _invalid(response, field: str) -> None:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    fields = response.json()["invalid-params"]
    assert any(name == field or name.startswith(f"{field}.") for name in fields), response.text


@pytest.mark.parametrize("params,field", [
    ({"sort": "-nothing"}, "sort"),
    ({"sort": "-match"}, "sort"),
    ({"count": 101}, "count"),
    ({"start": -1}, "start"),
    ({"categoryOneOf": "music"}, "categoryOneOf"),
    ({"categoryOneOf[]": "music"}, "categoryOneOf"),
    ({"licenceOneOf[0]": "1.5"}, "licenceOneOf"),
    ({"categoryOneOf": "9" * 20}, "categoryOneOf"),  # past the database's integers: a 400, not a 500
    ({"start": "abc", "count": 5}, "start"),
    ({"search": "x" * 1001}, "search"),
    ({"nsfw": "maybe"}, "nsfw"),
    ({"nsfwFlagsExcluded": 8}, "nsfwFlagsExcluded"),
    ({"isLocal": "perhaps"}, "isLocal"),
    ({"hasHLSFiles": "2x"}, "hasHLSFiles"),
    ({"skipCount": "sure"}, "skipCount"),
    ({"include": 1024}, "include"),
    ({"privacyOneOf[]": 9}, "privacyOneOf"),
    ({"stateOneOf[]": 99}, "stateOneOf"),
    ({"tagsOneOf[]": "x" * 101}, "tagsOneOf"),
])
def test_bad_list_queries(server, params, field):
    _invalid(server.anonymous.get("/api/v1/videos", params=params), field)


def test_moderator_only_list_options(server, setting):
    for client in (server.anonymous, setting["other"]):
        for params in ({"include": 1}, {"privacyOneOf": 3}):
            response = client.get("/api/v1/videos", params=params)
            assert response.status_code == 401, response.text
            assert response.json()["detail"] == "You are not allowed to see all videos."
        _invalid(client.get("/api/v1/videos", params={"sort": "-localVideoFilesSize"}), "sort")
    moderator = server.create_user(f"parmod{setting['suffix']}", role=1)
    assert moderator.get("/api/v1/videos", params={"include": 3, "privacyOneOf": 3}).status_code == 200


def test_bad_video_references(server, setting):
    assert server.anonymous.get("/api/v1/videos/not*valid").status_code in (400, 404)
    _invalid(server.anonymous.get(f"/api/v1/videos/{'a' * 41}"), "id")
    for ref in ("0", "99999999", str(uuid.uuid4()), "zzzzzzzzzzzzzzzzzzzzzz", "9" * 12):
        response = server.anonymous.get(f"/api/v1/videos/{ref}")
        assert response.status_code == 404, (ref, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
    video = setting["video"]["uuid"]
    assert server.anonymous.get(f"/api/v1/videos/{video}/metadata/999999999").status_code == 404
    _invalid(server.anonymous.get(f"/api/v1/videos/{video}/metadata/abc"), "videoFileId")
    too_long = server.anonymous.get(f"/api/v1/videos/{video}", headers={"x-peertube-video-password": "p" * 101})
    assert too_long.status_code == 400


def test_lists_of_unknown_owners(server, setting):
    assert server.anonymous.get("/api/v1/video-channels/no_such_channel_x/videos").status_code == 404
    assert server.anonymous.get("/api/v1/accounts/no_such_account_x/videos").status_code == 404
    assert server.anonymous.get("/api/v1/accounts/someone@unknown.example/videos").status_code == 404
    assert server.anonymous.get("/api/v1/users/me/videos").status_code == 401


def test_update_and_delete_need_the_right_user(server, setting):
    path = f"/api/v1/videos/{setting['video']['uuid']}"
    assert server.anonymous.put(path, json={"name": "mine now"}).status_code == 401
    assert server.anonymous.delete(path).status_code == 401
    for response in (setting["other"].put(path, json={"name": "mine now"}), setting["other"].delete(path)):
        assert response.status_code == 403, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert setting["owner"].get(path).json()["name"] != "mine now"
    assert setting["owner"].put("/api/v1/videos/99999999", json={"name": "ghost"}).status_code == 404


@pytest.mark.parametrize("body,field", [
    ({"name": "ab"}, "name"),
    ({"name": "x" * 121}, "name"),
    ({"name": None}, "name"),
    ({"category": 99}, "category"),
    ({"licence": 42}, "licence"),
    ({"language": "xx-nope"}, "language"),
    ({"privacy": 9}, "privacy"),
    ({"commentsPolicy": 7}, "commentsPolicy"),
    ({"description": "d" * 10001}, "description"),
    ({"support": "s" * 1001}, "support"),
    ({"tags": ["a"]}, "tags"),
    ({"tags": ["one", "two", "three", "four", "five", "six"]}, "tags"),
    ({"nsfwFlags": 4}, "nsfwFlags"),
    ({"originallyPublishedAt": "yesterday"}, "originallyPublishedAt"),
    ({"scheduleUpdate": {"updateAt": "soon"}}, "scheduleUpdate.updateAt"),
    ({"scheduleUpdate": {"updateAt": "2099-01-01T00:00:00Z", "privacy": 3}}, "scheduleUpdate.privacy"),
    ({"privacy": 5}, "videoPasswords"),
    ({"privacy": 5, "videoPasswords": ["x"]}, "videoPasswords"),
    ({"channelId": 0}, "channelId"),
    ({"channelId": None}, "channelId"),
    ({"downloadEnabled": "often"}, "downloadEnabled"),
])
def test_bad_updates(server, setting, body, field):
    path = f"/api/v1/videos/{setting['video']['uuid']}"
    _invalid(setting["owner"].put(path, json=body), field)


def test_update_refuses_another_users_channel_and_bad_bodies(server, setting, tmp_path):
    path = f"/api/v1/videos/{setting['video']['uuid']}"
    other_channel = setting["other"].get("/api/v1/users/me").json()["videoChannels"][0]["id"]
    _invalid(setting["owner"].put(path, json={"channelId": other_channel}), "channelId")
    _invalid(setting["owner"].put(path, json={"channelId": 2**31 - 1}), "channelId")
    malformed = setting["owner"].put(path, content=b"{not json", headers={"content-type": "application/json"})
    assert malformed.status_code == 400
    assert setting["owner"].put(path, json=["a list"]).status_code == 400
    huge = b'{"description": "' + b"d" * (1024 * 1024) + b'"}'
    assert setting["owner"].put(path, content=huge, headers={"content-type": "application/json"}).status_code == 413
    text = tmp_path / "cover.png"
    text.write_text("this is not an image")
    with text.open("rb") as handle:
        _invalid(setting["owner"].put(path, data={"name": "with a bad image"},
                                      files={"thumbnailfile": ("cover.png", handle, "image/png")}), "thumbnailfile")
    with text.open("rb") as handle:
        _invalid(setting["owner"].put(path, files={"previewfile": ("cover.txt", handle, "text/plain")}), "previewfile")
    # nothing of the refused updates stuck
    assert setting["owner"].get(path).json()["name"] != "with a bad image"
    thumbnails = list((server.data_dir / "storage" / "thumbnails").iterdir())
    referenced = {setting["owner"].get(path).json()["thumbnailPath"].rsplit("/", 1)[1]}
    assert referenced <= {p.name for p in thumbnails}
