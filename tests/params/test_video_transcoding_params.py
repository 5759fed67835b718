"""Validation and permissions of the Video Transcoding and Video Files routes (PeerTube's answers):
bad bodies and ids, states that forbid the task, rights, the studio's tasks and files.
Refusals change nothing, so a video published once per module serves every check."""

from __future__ import annotations

import pytest

from tests.support.media import make_clip, make_image
from tests.support.videos import get_video, my_channel_id, upload_video, wait_for_state

CONFIG = {"transcoding": {"web_videos": {"enabled": True}}, "video_studio": {"enabled": True}}


@pytest.fixture(scope="module")
def instance(server_factory):
    return server_factory(config=CONFIG)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4", duration=2, width=160, height=90)


@pytest.fixture(scope="module")
def video(instance, clip) -> dict:
    uploaded = upload_video(instance.root, my_channel_id(instance.root), clip, name="params", privacy=1)
    wait_for_state(instance.root, uploaded["uuid"])
    return get_video(instance.root, uploaded["uuid"])


@pytest.fixture(scope="module")
def plain_user(instance):
    return instance.create_user("transcoding_params_user")


def invalid_param(response, field: str) -> dict:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["status"] == 400 and field in body["invalid-params"], body
    return body["invalid-params"][field]


# -- POST /videos/{id}/transcoding ----------------------------------------------------------------------

@pytest.mark.parametrize("body", [{}, {"transcodingType": "dash"}, {"transcodingType": 3},
                                  {"transcodingType": "hls", "forceTranscoding": "maybe"}])
def test_transcoding_body_is_checked(instance, video, body):
    response = instance.root.post(f"/api/v1/videos/{video['uuid']}/transcoding", json=body)
    field = "forceTranscoding" if "forceTranscoding" in body else "transcodingType"
    invalid_param(response, field)


def test_transcoding_of_unknown_or_malformed_videos(instance):
    body = {"transcodingType": "hls"}
    assert instance.root.post("/api/v1/videos/987654/transcoding", json=body).status_code == 404
    assert instance.root.post("/api/v1/videos/0c9b6e5e-0000-4000-8000-000000000000/transcoding",
                              json=body).status_code == 404
    invalid_param(instance.root.post("/api/v1/videos/not%20an%20id/transcoding", json=body), "id")


def test_transcoding_needs_the_right(instance, video, plain_user):
    body = {"transcodingType": "hls"}
    assert instance.anonymous.post(f"/api/v1/videos/{video['uuid']}/transcoding", json=body).status_code == 401
    refused = plain_user.post(f"/api/v1/videos/{video['uuid']}/transcoding", json=body)
    assert refused.status_code == 403 and "RUN_VIDEO_TRANSCODING" in refused.json()["detail"]


def test_transcoding_refused_when_disabled(server_factory, clip):
    disabled = server_factory(config={"transcoding": {"enabled": False}})
    uploaded = upload_video(disabled.root, my_channel_id(disabled.root), clip, name="untranscoded", privacy=1)
    video = get_video(disabled.root, uploaded["uuid"])
    assert video["state"]["id"] == 1 and len(video["files"]) == 1  # published as uploaded
    response = disabled.root.post(f"/api/v1/videos/{uploaded['uuid']}/transcoding",
                                  json={"transcodingType": "hls"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Cannot run transcoding job because transcoding is disabled on this instance"
    # with nothing but the uploaded file, no format can be deleted
    assert disabled.root.delete(f"/api/v1/videos/{uploaded['uuid']}/web-videos").status_code == 400


# -- DELETE /videos/{id}/hls|web-videos[/{fileId}] ---------------------------------------------------------

@pytest.mark.parametrize("suffix", ["hls", "web-videos", "hls/1", "web-videos/1"])
def test_file_routes_need_the_right(instance, video, plain_user, suffix):
    url = f"/api/v1/videos/{video['uuid']}/{suffix}"
    assert instance.anonymous.delete(url).status_code == 401
    refused = plain_user.delete(url)
    assert refused.status_code == 403 and "MANAGE_VIDEO_FILES" in refused.json()["detail"]


@pytest.mark.parametrize("file_id", ["abc", "0", "-1", "99999999999"])
def test_file_ids_are_checked(instance, video, file_id):
    for kind in ("hls", "web-videos"):
        response = instance.root.delete(f"/api/v1/videos/{video['uuid']}/{kind}/{file_id}")
        invalid_param(response, "videoFileId")


# -- POST /videos/{id}/studio/edit ---------------------------------------------------------------------

def studio(client, video, **kwargs):
    return client.post(f"/api/v1/videos/{video['uuid']}/studio/edit", **kwargs)


@pytest.mark.parametrize("tasks", [None, [], [{"name": "cut"}] * 11, "cut"])
def test_studio_needs_an_array_of_tasks(instance, video, tasks):
    invalid_param(studio(instance.root, video, json={} if tasks is None else {"tasks": tasks}), "tasks")


@pytest.mark.parametrize("task", [
    {"name": "cut"}, {"name": "cut", "options": {}}, {"name": "cut", "options": {"start": -1}},
    {"name": "cut", "options": {"start": "a"}}, {"name": "cut", "options": {"start": 3, "end": 2}},
    {"name": "add-intro"}, {"name": "add-watermark", "options": {}}, {"name": "rotate", "options": {"angle": 90}}])
def test_studio_task_is_checked(instance, video, task):
    response = studio(instance.root, video, json={"tasks": [task]})
    assert response.status_code == 400, response.text
    assert response.json()["detail"] == f"Task {task['name']} is invalid"


def test_studio_watermark_must_be_an_image_and_intro_a_video(instance, video, clip, tmp_path):
    with clip.open("rb") as handle:
        response = studio(instance.root, video, data={"tasks[0][name]": "add-watermark"},
                          files={"tasks[0][options][file]": ("mark.mp4", handle, "video/mp4")})
    assert (response.status_code, response.json()["detail"]) == (400, "Task add-watermark is invalid")
    sound = make_clip(tmp_path / "sound.m4a", duration=1, video=False)
    with sound.open("rb") as handle:
        response = studio(instance.root, video, data={"tasks[0][name]": "add-outro"},
                          files={"tasks[0][options][file]": ("sound.m4a", handle, "audio/mp4")})
    assert response.status_code == 400
    assert response.json()["detail"] == "Task add-outro is invalid: input file does not contain a video stream"
    image = make_image(tmp_path / "x.png", 10, 10)
    with image.open("rb") as handle:
        response = studio(instance.root, video, data={"tasks[0][name]": "add-intro"},
                          files={"tasks[0][options][file]": ("x.png", handle, "image/png")})
    assert response.status_code == 400


def test_studio_on_someone_elses_video(instance, video, plain_user):
    response = studio(plain_user, video, json={"tasks": [{"name": "cut", "options": {"start": 1}}]})
    assert response.status_code == 403
    assert studio(instance.anonymous, video, json={"tasks": []}).status_code == 401


def test_studio_of_unknown_video(instance):
    response = instance.root.post("/api/v1/videos/987654/studio/edit",
                                  json={"tasks": [{"name": "cut", "options": {"start": 1}}]})
    assert response.status_code == 404


def test_refusals_changed_nothing(instance, video):
    after = get_video(instance.root, video["uuid"])
    assert after["state"]["id"] == 1
    assert [f["fileUrl"] for f in after["files"]] == [f["fileUrl"] for f in video["files"]]
    kept_task_files = instance.data_dir / "storage" / "tmp-persistent" / "studio"
    assert not kept_task_files.exists() or not any(kept_task_files.iterdir())
