"""Acceptance: a real clip (video + audio) uploaded through each upload path is transcoded and
published; every rendition decodes at its resolution with a keyframe every 2 s, the master playlist
lists them all and `segments-sha256.json` matches the bytes."""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from pathlib import Path

import av
import pytest

from tests.support.media import make_clip
from tests.support.videos import my_channel_id, upload_resumable, upload_video, wait_for_state

LADDER = {360, 240}  # the source's own resolution, and the one enabled rung below it
GOP_SECONDS = 2.0


@pytest.fixture(scope="module")
def instance(server_factory):
    return server_factory(config={"transcoding": {"resolutions": {"240p": True},
                                                  "web_videos": {"enabled": True}, "hls": {"enabled": True}}})


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("acceptance") / "clip.mp4", duration=5, width=640, height=360, fps=25)


def fetch(instance, url: str) -> bytes:
    response = instance.anonymous.get(url.removeprefix(instance.url))
    assert response.status_code == 200, url
    return response.content


def check_rendition(path: Path, resolution: int) -> None:
    """Decodes entirely, has the expected height and audio, and a keyframe at least every 2 s."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert container.streams.audio, f"{path.name} has no audio"
        keyframes, frames = [], 0
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            if packet.is_keyframe:
                keyframes.append(float(packet.pts * stream.time_base))
            for frame in packet.decode():
                assert frame.height == resolution
                frames += 1
        duration = frames / float(stream.average_rate)
    assert frames > 0 and duration == pytest.approx(5, abs=0.2)
    start = keyframes[0]
    times = [t - start for t in keyframes]
    frame = 1 / 25
    for mark in range(0, int(duration), int(GOP_SECONDS)):
        assert any(abs(t - mark) <= frame + 1e-3 for t in times), f"no keyframe at {mark}s in {path.name}: {times}"
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert max(gaps) <= GOP_SECONDS + frame, gaps


@pytest.mark.parametrize("upload", [upload_video, upload_resumable], ids=["legacy", "resumable"])
def test_an_upload_is_transcoded_and_published(instance, clip, tmp_path, upload):
    user = instance.create_user(f"acc{uuid.uuid4().hex[:8]}")
    created = upload(user, my_channel_id(user), clip, name="acceptance", privacy=1)
    video = wait_for_state(user, created["uuid"], timeout=300)

    web_videos = {f["resolution"]["id"]: f for f in video["files"]}
    assert set(web_videos) == LADDER
    for resolution, file in web_videos.items():
        path = tmp_path / f"web-{resolution}.mp4"
        path.write_bytes(fetch(instance, file["fileUrl"]))
        assert path.stat().st_size == file["size"]
        check_rendition(path, resolution)

    [playlist] = video["streamingPlaylists"]
    hls_files = {f["resolution"]["id"]: f for f in playlist["files"]}
    assert set(hls_files) == LADDER
    master = fetch(instance, playlist["playlistUrl"]).decode()
    listed = re.findall(r"#EXT-X-STREAM-INF:[^\n]*RESOLUTION=(\d+)x(\d+)", master)
    assert sorted(int(height) for _, height in listed) == sorted(LADDER)

    hashes = json.loads(fetch(instance, playlist["segmentsSha256Url"]))
    for resolution, file in hls_files.items():
        content = fetch(instance, file["fileUrl"])
        path = tmp_path / f"hls-{resolution}.mp4"
        path.write_bytes(content)
        check_rendition(path, resolution)
        ranges = hashes[file["fileUrl"].rsplit("/", 1)[1]]
        assert ranges
        for byte_range, digest in ranges.items():
            start, end = (int(x) for x in byte_range.split("-"))
            assert hashlib.sha256(content[start:end + 1]).hexdigest() == digest
