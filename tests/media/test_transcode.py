"""Real transcodes of small generated clips with the server's ffmpeg, every output checked with PyAV:
frame size, frame rate, keyframes every 2 s, the playlists, the segment hashes, the remuxed web videos."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from fractions import Fraction
from pathlib import Path

import av
import pytest

from tests.support.media import make_clip, make_image
from vidpub.media import hls, transcode
from vidpub.media.ffmpeg import ffmpeg_binary
from vidpub.media.ladder import plan_ladder
from vidpub.media.probe import probe
from vidpub.services.videos.files import write_hls_playlists, write_master_playlist
from vidpub.services.videos.transcoding_outputs import describe_outputs


def keyframe_times(path: Path) -> list[float]:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return sorted(float(p.pts * stream.time_base) for p in container.demux(stream)
                      if p.is_keyframe and p.pts is not None)


def decoded_frames(path: Path) -> tuple[int, tuple[int, int]]:
    with av.open(str(path)) as container:
        frames = list(container.decode(video=0))
        return len(frames), (frames[0].width, frames[0].height)


def run_ladder(source: Path, workdir: Path, transcoding: dict, *, hls_enabled=True, web=False,
               image: Path | None = None):
    probed = probe(source)
    ladder = plan_ladder(probed, transcoding, keyframe_interval=transcode.keyframe_interval(source))
    job = transcode.TranscodeJob(input_path=source, ladder=ladder, duration=probed.duration, image_path=image,
                                 outputs=transcode.plan_outputs(ladder, workdir, hls=hls_enabled, web_videos=web))
    asyncio.run(transcode.transcode(ffmpeg_binary(None), job, nice=0))
    outputs = describe_outputs(job, probed)
    if outputs.master is not None:  # the job writes it when recording the files
        write_master_playlist(outputs.directory, outputs.master.name, [p.row() for p in outputs.of_kind("hls")],
                              outputs.duration, [])
    return job, outputs


def settings(*resolutions, **extra):
    return {"resolutions": {f"{r}p": True for r in resolutions}, "always_transcode_original_resolution": True,
            "fps": {"max": 60}, "hls": {"split_audio_and_video": False}, **extra}


@pytest.fixture(scope="module")
def landscape(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "landscape.mp4", duration=4.5, width=640, height=360,
                     fps=25)


def test_one_decode_makes_every_rendition_in_hls_and_web_videos(landscape, tmp_path):
    _, outputs = run_ladder(landscape, tmp_path, settings(240, 144), web=True)
    hls_files = outputs.of_kind("hls")
    assert [(p.rendition.resolution, p.probe.width, p.probe.height) for p in hls_files] == [
        (360, 640, 360), (240, 426, 240), (144, 256, 144)]
    for produced in outputs.produced:
        assert produced.probe.fps == 25 and produced.probe.has_audio
        assert produced.probe.video_codec == "h264" and produced.probe.audio_codec == "aac"
        frames, size = decoded_frames(produced.path)
        assert size == (produced.probe.width, produced.probe.height)
        assert abs(frames - 4.5 * 25) <= 2
        times = keyframe_times(produced.path)
        start = times[0]
        assert [round(t - start, 2) for t in times] == [0.0, 2.0, 4.0], produced.path.name

    # the web videos are progressive faststart MP4s holding the same packets as the HLS files
    for web, fragmented in zip(outputs.of_kind("web-video"), hls_files):
        assert web.rendition == fragmented.rendition
        head = web.path.read_bytes()[:4096]
        assert head.index(b"moov") < (head.index(b"mdat") if b"mdat" in head else len(head))
        with av.open(str(web.path)) as a, av.open(str(fragmented.path)) as b:
            assert [bytes(p) for p in a.demux(video=0) if p.size] == [bytes(p) for p in b.demux(video=0) if p.size]

    master = outputs.master.read_text().splitlines()
    assert master[:2] == ["#EXTM3U", "#EXT-X-VERSION:3"]
    infs = [line for line in master if line.startswith("#EXT-X-STREAM-INF")]
    assert len(infs) == 3
    assert re.fullmatch(r'#EXT-X-STREAM-INF:BANDWIDTH=\d+,RESOLUTION=256x144,FRAME-RATE=25,'
                        r'CODECS="avc1\.64[0-9a-f]{4},mp4a\.40\.2"', infs[0])
    assert [master[master.index(line) + 1] for line in infs] == [p.playlist.name for p in reversed(hls_files)]

    hashes = json.loads(outputs.segments_sha256.read_text())
    assert set(hashes) == {p.path.name for p in hls_files}
    for produced in hls_files:
        data = produced.path.read_bytes()
        ranges = hls.byte_ranges(produced.playlist.read_text())
        assert len(hashes[produced.path.name]) == len(ranges) == 2  # 4.5 s in 4 s segments
        for key, digest in hashes[produced.path.name].items():
            start, end = map(int, key.split("-"))
            assert hashlib.sha256(data[start:end + 1]).hexdigest() == digest


def test_the_command_decodes_the_source_once(landscape, tmp_path):
    probed = probe(landscape)
    ladder = plan_ladder(probed, settings(240, 144))
    job = transcode.TranscodeJob(input_path=landscape, ladder=ladder, duration=probed.duration,
                                 outputs=transcode.plan_outputs(ladder, tmp_path, hls=True, web_videos=False))
    args = transcode.ffmpeg_arguments(job)
    assert args.count("-i") == 1
    graph = args[args.index("-filter_complex") + 1]
    assert graph.startswith("[0:v:0]split=3")
    assert args.count("libx264") == 3 and args.count("hls") == 3
    assert "-hls_flags" in args and args[args.index("-hls_flags") + 1] == "single_file"


def test_web_videos_only_are_written_directly(landscape, tmp_path):
    _, outputs = run_ladder(landscape, tmp_path, settings(144), hls_enabled=False, web=True)
    assert outputs.of_kind("hls") == [] and outputs.master is None
    assert [(p.rendition.resolution, p.probe.height) for p in outputs.produced] == [(360, 360), (144, 144)]
    assert sorted(f.name for f in tmp_path.iterdir()) == sorted(p.path.name for p in outputs.produced)


def test_portrait_input(tmp_path):
    clip = make_clip(tmp_path / "portrait.mp4", duration=2.5, width=360, height=640, fps=30, audio=False)
    _, outputs = run_ladder(clip, tmp_path / "out", settings(240))
    assert [(p.rendition.resolution, p.probe.width, p.probe.height, p.probe.has_audio) for p in outputs.produced] == [
        (360, 360, 640, False), (240, 240, 426, False)]
    assert "RESOLUTION=240x426" in outputs.master.read_text()


def test_high_frame_rate_renditions_below_720p_are_brought_to_a_standard_rate(tmp_path):
    clip = make_clip(tmp_path / "fast.mp4", duration=2, width=480, height=270, fps=50, audio=False)
    _, outputs = run_ladder(clip, tmp_path / "out", settings(144))
    assert [(p.rendition.resolution, p.probe.fps) for p in outputs.produced] == [(270, 50), (144, 25)]
    for produced in outputs.produced:
        times = keyframe_times(produced.path)
        assert [round(t - times[0], 2) for t in times] == [0.0]  # 2 s clip: one GOP


def test_audio_upload_is_merged_with_the_preview_image(tmp_path):
    audio = make_clip(tmp_path / "song.m4a", duration=3, video=False)
    image = make_image(tmp_path / "preview.jpg", 850, 480)
    _, outputs = run_ladder(audio, tmp_path / "out", settings("0", 360), image=image)
    assert [(p.rendition.resolution, p.probe.has_video, p.probe.width, p.probe.height) for p in outputs.produced] == [
        (480, True, 850, 480), (360, True, 638, 360), (0, False, 0, 0)]
    top = outputs.produced[0]
    assert top.probe.fps == 25 and top.probe.has_audio and abs(top.probe.duration - 3) < 0.2
    # the audio-only rendition is not announced when video renditions exist
    assert "RESOLUTION=0x0" not in outputs.master.read_text()


def test_split_audio_and_video(landscape, tmp_path):
    _, outputs = run_ladder(landscape, tmp_path, settings(144, hls={"split_audio_and_video": True}), web=True)
    kinds = [(p.kind, p.rendition.resolution, p.probe.has_video, p.probe.has_audio) for p in outputs.produced]
    assert kinds == [("hls", 360, True, False), ("web-video", 360, True, True), ("hls", 144, True, False),
                     ("web-video", 144, True, True), ("hls", 0, False, True)]
    master = outputs.master.read_text()
    audio_playlist = outputs.produced[-1].playlist.name
    assert f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",AUTOSELECT=YES,DEFAULT=YES,URI="{audio_playlist}"' \
        in master
    assert master.count('AUDIO="audio"') == 2


def test_an_input_with_keyframes_every_2_s_is_copied_not_encoded(tmp_path):
    clip = make_clip(tmp_path / "clean.mp4", duration=4.5, width=640, height=360, fps=25,
                     extra=["-g", "50", "-b:v", "600k"])
    _, outputs = run_ladder(clip, tmp_path / "out", settings(144))
    top = outputs.produced[0]
    assert top.rendition.copy_video and top.rendition.copy_audio
    with av.open(str(clip)) as a, av.open(str(top.path)) as b:
        assert [bytes(p) for p in a.demux(video=0) if p.size] == [bytes(p) for p in b.demux(video=0) if p.size]


def test_master_playlist_rewrite_keeps_what_is_left(landscape, tmp_path):
    _, outputs = run_ladder(landscape, tmp_path, settings(144))
    rows = [p.row() for p in outputs.of_kind("hls")]
    write_hls_playlists(tmp_path, "master.m3u8", "sha.json", rows[:1], 4.5, [hls.Subtitle("Français", "fr", "x.m3u8")])
    master = (tmp_path / "master.m3u8").read_text()
    assert master.count("#EXT-X-STREAM-INF") == 1 and 'SUBTITLES="subtitles"' in master
    assert '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subtitles",NAME="Français"' in master
    assert list(json.loads((tmp_path / "sha.json").read_text())) == [rows[0].filename]


def test_frame_rates_are_passed_exactly():
    assert [transcode.frame_rate(fps) for fps in (25.0, 30000 / 1001, 60000 / 1001, 24000 / 1001, 12.5)] == [
        "25", "30000/1001", "60000/1001", "24000/1001", "25/2"]


def test_ntsc_rate_input_keeps_its_exact_rate(tmp_path):
    clip = make_clip(tmp_path / "ntsc.mp4", duration=2, width=320, height=180, audio=False, fps="30000/1001")
    _, outputs = run_ladder(clip, tmp_path / "out", settings(144))
    for produced in outputs.produced:
        with av.open(str(produced.path)) as container:
            assert container.streams.video[0].average_rate == Fraction(30000, 1001)
