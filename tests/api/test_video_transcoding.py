"""Video Transcoding: an administrator makes a format again from the video's best file; the studio
edits a video (when enabled) and the edit goes through transcoding again."""

from __future__ import annotations

import av
import pytest

from tests.support.media import make_clip, make_image
from tests.support.video_files import path_of
from tests.support.videos import PUBLISHED, get_video, my_channel_id, upload_video, wait_for_state

CONFIG = {"transcoding": {"web_videos": {"enabled": False}, "hls": {"enabled": True},
                          "resolutions": {"144p": True}},
          "video_studio": {"enabled": True}}


@pytest.fixture(scope="module")
def studio_server(server_factory):
    return server_factory(config=CONFIG)


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4", duration=4, width=320, height=180)


def published(server, clip, client=None) -> dict:
    client = client or server.root
    video = upload_video(client, my_channel_id(client), clip, name="transcoded", privacy=1)
    wait_for_state(client, video["uuid"])
    return get_video(client, video["uuid"])


def test_web_videos_made_on_request_then_hls_made_again(studio_server, clip):
    video = published(studio_server, clip)
    ref = video["uuid"]
    assert video["files"] == [] and len(video["streamingPlaylists"][0]["files"]) == 2

    response = studio_server.root.post(f"/api/v1/videos/{ref}/transcoding", json={"transcodingType": "web-video"})
    assert response.status_code == 204, response.text
    after = wait_for_state(studio_server.root, ref, PUBLISHED)
    assert [f["resolution"]["id"] for f in after["files"]] == [180, 144]
    assert after["streamingPlaylists"][0]["playlistUrl"] == video["streamingPlaylists"][0]["playlistUrl"]
    assert after["publishedAt"] == video["publishedAt"]  # not a new video

    old_hls = {f["fileUrl"] for f in after["streamingPlaylists"][0]["files"]}
    response = studio_server.root.post(f"/api/v1/videos/{ref}/transcoding",
                                       json={"transcodingType": "hls", "forceTranscoding": False})
    assert response.status_code == 204
    again = studio_server.root.post(f"/api/v1/videos/{ref}/transcoding", json={"transcodingType": "hls"})
    assert again.status_code == 409 and again.json()["code"] == "video_already_being_transcoded"
    latest = wait_for_state(studio_server.root, ref, PUBLISHED)
    new_hls = {f["fileUrl"] for f in latest["streamingPlaylists"][0]["files"]}
    assert len(new_hls) == 2 and not new_hls & old_hls
    assert [f["fileUrl"] for f in latest["files"]] == [f["fileUrl"] for f in after["files"]]


def test_forced_transcoding_while_one_is_pending(studio_server, clip):
    video = published(studio_server, clip)
    url = f"/api/v1/videos/{video['uuid']}/transcoding"
    assert studio_server.root.post(url, json={"transcodingType": "webtorrent"}).status_code == 204
    forced = studio_server.root.post(url, json={"transcodingType": "hls", "forceTranscoding": True})
    assert forced.status_code == 204
    final = wait_for_state(studio_server.root, video["uuid"], PUBLISHED)
    assert len(final["files"]) == 2 and len(final["streamingPlaylists"][0]["files"]) == 2


def test_studio_cut_and_watermark(studio_server, clip, tmp_path):
    owner = studio_server.create_user(f"studio{tmp_path.name[-6:]}")
    video = published(studio_server, clip, owner)
    assert video["duration"] == 4
    watermark = make_image(tmp_path / "mark.png", 64, 64, "red")
    with watermark.open("rb") as image:
        response = owner.post(f"/api/v1/videos/{video['uuid']}/studio/edit",
                              data={"tasks[0][name]": "cut", "tasks[0][options][start]": "1",
                                    "tasks[0][options][end]": "3", "tasks[1][name]": "add-watermark"},
                              files={"tasks[1][options][file]": ("mark.png", image, "image/png")})
    assert response.status_code == 204, response.text
    assert get_video(owner, video["uuid"])["state"]["id"] in (2, 9)  # to edit, then to transcode
    edited = wait_for_state(owner, video["uuid"], PUBLISHED)
    assert edited["duration"] == 2
    files = edited["streamingPlaylists"][0]["files"]
    assert [f["resolution"]["id"] for f in files] == [180, 144]
    # the mark sits in the top right corner: 10 % of the width, 2 % margins
    top = studio_server.data_dir / "storage" / "streaming-playlists" / "hls" / video["uuid"] / \
        files[0]["fileUrl"].rsplit("/", 1)[1]
    with av.open(str(top)) as container:
        frame = next(container.decode(video=0)).to_image()
    corner = (320 - 6 - 16, 3 + 16)
    red, green, blue = frame.getpixel(corner)
    assert red > 180 and green < 80 and blue < 80
    with av.open(str(clip)) as container:  # the test pattern itself is not red there
        red, green, blue = next(container.decode(video=0)).to_image().getpixel(corner)
    assert not (red > 180 and green < 80 and blue < 80)
    assert not list((studio_server.data_dir / "storage" / "tmp-persistent" / "studio").iterdir())


def test_studio_intro(studio_server, clip, tmp_path):
    video = published(studio_server, clip)
    intro = make_clip(tmp_path / "intro.mp4", duration=2, width=160, height=90, audio=False)
    with intro.open("rb") as handle:
        response = studio_server.root.post(f"/api/v1/videos/{video['uuid']}/studio/edit",
                                           data={"tasks[0][name]": "add-intro"},
                                           files={"tasks[0][options][file]": ("intro.mp4", handle, "video/mp4")})
    assert response.status_code == 204, response.text
    # the video waits for its edition, then for its transcoding: another edit must wait
    busy = studio_server.root.post(f"/api/v1/videos/{video['uuid']}/studio/edit",
                                   json={"tasks": [{"name": "cut", "options": {"start": 1}}]})
    assert busy.status_code == 409
    assert busy.json()["detail"] == "Cannot edit video that is already waiting for transcoding/edition"
    edited = wait_for_state(studio_server.root, video["uuid"], PUBLISHED)
    assert edited["duration"] == 6


def test_studio_disabled_answers_as_peertube(server):
    response = server.root.post("/api/v1/videos/1/studio/edit", json={"tasks": [{"name": "cut"}]})
    assert response.status_code == 400
    assert response.json()["detail"] == "Video studio is disabled on this instance"
    assert server.anonymous.post("/api/v1/videos/1/studio/edit", json={}).status_code == 401


def test_a_video_not_waiting_for_transcoding_plays_its_upload_meanwhile(studio_server, clip):
    """With the job queue paused, the video stays in TO_TRANSCODE: without `waitTranscoding` it is
    public and playable at once through the uploaded file; with it, hidden until published."""
    root = studio_server.root
    assert root.post("/api/v1/jobs/pause").status_code == 204
    try:
        early = upload_video(root, my_channel_id(root), clip, name="early", privacy=1, waitTranscoding=False)
        waiting = upload_video(root, my_channel_id(root), clip, name="waiting", privacy=1, waitTranscoding=True)
        seen = studio_server.anonymous.get(f"/api/v1/videos/{early['uuid']}")
        assert seen.status_code == 200, seen.text
        video = seen.json()
        assert video["state"]["id"] == 2 and video["streamingPlaylists"] == []
        [upload] = video["files"]
        played = studio_server.anonymous.get(path_of(upload["fileUrl"]), headers={"Range": "bytes=0-99"})
        assert played.status_code == 206 and len(played.content) == 100
        assert studio_server.anonymous.get(f"/api/v1/videos/{waiting['uuid']}").status_code == 403
    finally:
        assert root.post("/api/v1/jobs/resume").status_code == 204
    published = wait_for_state(root, early["uuid"], PUBLISHED)
    assert published["files"] == [] and len(published["streamingPlaylists"][0]["files"]) == 2
    assert published["publishedAt"] > video["publishedAt"]  # dated from its publication
    wait_for_state(root, waiting["uuid"], PUBLISHED)
    assert studio_server.anonymous.get(f"/api/v1/videos/{waiting['uuid']}").status_code == 200


def test_an_audio_upload_becomes_a_video_of_its_preview(studio_server, tmp_path):
    song = make_clip(tmp_path / "song.mp3", duration=3, video=False, audio_codec="libmp3lame")
    root = studio_server.root
    uploaded = upload_video(root, my_channel_id(root), song, name="song", privacy=1, mime="audio/mpeg")
    video = wait_for_state(root, uploaded["uuid"], PUBLISHED)
    files = video["streamingPlaylists"][0]["files"]
    assert [(f["resolution"]["id"], f["hasVideo"], f["hasAudio"]) for f in files] == [(480, True, True),
                                                                                       (144, True, True)]
    assert video["duration"] == 3
