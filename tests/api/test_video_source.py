"""A video's source: its description, the kept original, and replacing the video's file."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.support.media import make_clip
from tests.support.videos import (get_video, my_channel_id, resumable_init, send_chunk, upload_id_of, upload_video,
                                  wait_for_state)


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("source")
    return {"first": make_clip(folder / "first.mp4", duration=2, width=320, height=240),
            "second": make_clip(folder / "second take.mp4", duration=3, width=480, height=360)}


@pytest.fixture(scope="module")
def instance(server_factory):
    return server_factory(config={"video_file": {"update": {"enabled": True}},
                                  "transcoding": {"original_file": {"keep": True}}})


def originals(instance) -> Path:
    return instance.data_dir / "storage" / "original-video-files"


def test_source_describes_the_upload_and_keeps_the_original(instance, clips):
    user = instance.create_user(f"src{uuid.uuid4().hex[:8]}")
    created = upload_video(user, my_channel_id(user), clips["first"], name="sourced")
    source = user.get(f"/api/v1/videos/{created['uuid']}/source").json()
    assert source["inputFilename"] == source["filename"] == "first.mp4"
    assert source["resolution"] == {"id": 240, "label": "240p"}
    assert (source["width"], source["height"], source["fps"]) == (320, 240, 25)
    assert source["size"] == clips["first"].stat().st_size
    assert source["metadata"]["streams"][0]["codec_type"] == "video"
    assert source["createdAt"].endswith("Z")
    kept = source["fileDownloadUrl"]
    assert kept.startswith(f"{instance.url}/download/original-video-files/")
    assert (originals(instance) / kept.rsplit("/", 1)[1]).read_bytes() == clips["first"].read_bytes()

    moderator = instance.create_user(f"smod{uuid.uuid4().hex[:8]}", role=1)
    assert moderator.get(f"/api/v1/videos/{created['uuid']}/source").status_code == 200


def test_deleting_the_kept_original(instance, clips):
    user = instance.create_user(f"del{uuid.uuid4().hex[:8]}")
    created = upload_video(user, my_channel_id(user), clips["first"], name="drop original")
    kept = user.get(f"/api/v1/videos/{created['id']}/source").json()["fileDownloadUrl"]
    path = originals(instance) / kept.rsplit("/", 1)[1]
    assert path.exists()
    response = user.delete(f"/api/v1/videos/{created['id']}/source/file")
    assert response.status_code == 204
    assert not path.exists()
    source = user.get(f"/api/v1/videos/{created['id']}/source").json()
    assert source["fileDownloadUrl"] is None and source["inputFilename"] == "first.mp4"


def test_replacing_the_file_of_a_video(instance, clips):
    user = instance.create_user(f"rep{uuid.uuid4().hex[:8]}")
    created = upload_video(user, my_channel_id(user), clips["first"], name="replace me", privacy=1)
    before = wait_for_state(user, created["uuid"])
    old_original = user.get(f"/api/v1/videos/{created['uuid']}/source").json()["fileDownloadUrl"]

    url = f"/api/v1/videos/{created['uuid']}/source/replace-resumable"
    second = clips["second"]
    init = resumable_init(user, None, second, url=url)
    assert init.status_code == 201, init.text
    assert init.headers["location"] == f"{instance.url}{url}?upload_id={upload_id_of(init)}"
    content = second.read_bytes()
    half = len(content) // 2
    assert send_chunk(user, upload_id_of(init), content[:half], 0, len(content), url).status_code == 308
    final = send_chunk(user, upload_id_of(init), content[half:], half, len(content), url)
    assert final.status_code == 200, final.text
    assert final.json()["inputFilename"] == "second take.mp4"
    assert final.json()["resolution"]["id"] == 360

    after = wait_for_state(user, created["uuid"])
    assert after["inputFileUpdatedAt"] is not None
    assert after["duration"] == 3 and after["aspectRatio"] == pytest.approx(480 / 360, abs=0.01)
    resolutions = {f["resolution"]["id"] for p in after["streamingPlaylists"] for f in p["files"]}
    resolutions |= {f["resolution"]["id"] for f in after["files"]}
    assert resolutions == {360}
    assert after["thumbnailPath"] != before["thumbnailPath"]  # generated from the new file
    assert not (originals(instance) / old_original.rsplit("/", 1)[1]).exists()
    source = user.get(f"/api/v1/videos/{created['uuid']}/source").json()
    assert source["inputFilename"] == "second take.mp4" and source["fileDownloadUrl"] != old_original


def test_replacement_rules(server_factory, clips):
    """Only the owner (or a moderator) replaces a file, and not while the video is being processed."""
    instance = server_factory(config={"video_file": {"update": {"enabled": True}}, "jobs": {"in_process": False}})
    owner = instance.create_user(f"rro{uuid.uuid4().hex[:8]}")
    stranger = instance.create_user(f"rrs{uuid.uuid4().hex[:8]}")
    created = upload_video(owner, my_channel_id(owner), clips["first"], name="busy")
    url = f"/api/v1/videos/{created['uuid']}/source/replace-resumable"
    assert resumable_init(stranger, None, clips["second"], url=url).status_code == 403
    assert get_video(owner, created["uuid"])["state"]["id"] == 2  # nothing transcodes on this instance
    busy = resumable_init(owner, None, clips["second"], url=url)
    assert busy.status_code == 409, busy.text
    assert resumable_init(owner, None, clips["second"], url=f"/api/v1/videos/{uuid.uuid4()}/source/replace-resumable"
                          ).status_code == 404
