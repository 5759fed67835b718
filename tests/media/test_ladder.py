"""The ladder rules, checked against PeerTube's own numbers (peertube-internals §4.3, §4.4)."""

from __future__ import annotations

import pytest

from vidpub.media import ladder
from vidpub.media.probe import ProbeResult

ALL_ENABLED = {f"{r}p": True for r in ladder.VOD_RESOLUTIONS}


def probe_of(width=1920, height=1080, fps=30.0, *, video=True, audio=True, video_codec="h264", pix_fmt="yuv420p",
             video_bitrate=4_000_000, audio_codec="aac", audio_bitrate=128_000, layout="stereo", rotation=0):
    return ProbeResult(duration=10, size=1, format_name="mp4", has_video=video, has_audio=audio,
                       width=width if video else 0, height=height if video else 0, fps=fps if video else 0,
                       video_codec=video_codec if video else None, pix_fmt=pix_fmt if video else None,
                       video_bitrate=video_bitrate if video else None, audio_codec=audio_codec if audio else None,
                       audio_bitrate=audio_bitrate if audio else None, audio_channels=2 if audio else None,
                       audio_layout=layout if audio else None, rotation=rotation)


def settings(resolutions=None, *, always_original=True, max_fps=60, split=False):
    return {"resolutions": resolutions or {}, "always_transcode_original_resolution": always_original,
            "fps": {"max": max_fps}, "hls": {"split_audio_and_video": split}}


# -- bitrates ------------------------------------------------------------------------------------------

# 240p and 480p land one bit under the exact product: 16/9 is not exact in binary floating point,
# and PeerTube's JavaScript computes the same doubles in the same order, so it floors to these too.
@pytest.mark.parametrize("resolution,expected", [
    (144, 210_124), (240, 522_239), (360, 1_036_800), (480, 1_474_559), (720, 3_041_280), (1080, 6_220_800),
    (1440, 9_953_280), (2160, 19_906_560)])
def test_average_bitrate_of_each_bucket_at_30_fps_16_9(resolution, expected):
    assert ladder.average_bitrate(resolution, 16 / 9, 30) == expected


def test_max_and_min_bitrates_use_their_own_bits_per_pixel():
    assert ladder.max_bitrate(1080, 16 / 9, 30) == int(1080 * 1920 * 30 * 0.17)
    assert ladder.min_bitrate(1080, 16 / 9, 30) == 1_244_160


def test_audio_only_bitrates_fall_back_to_fixed_values():
    assert (ladder.average_bitrate(0, 16 / 9, 0), ladder.max_bitrate(0, 16 / 9, 0),
            ladder.min_bitrate(0, 16 / 9, 0)) == (192_000, 256_000, 10_000)


def test_target_bitrate_never_exceeds_the_input_by_more_than_30_percent():
    assert ladder.target_bitrate(1080, 16 / 9, 30, None) == 6_220_800
    assert ladder.target_bitrate(1080, 16 / 9, 30, 3_000_000) == 3_900_000
    # ... but never below the resolution's floor
    assert ladder.target_bitrate(1080, 16 / 9, 30, 100_000) == 1_244_160


def test_portrait_ratio_below_one_uses_the_other_side():
    assert ladder.average_bitrate(1080, 9 / 16, 30) == ladder.average_bitrate(1080, 16 / 9, 30)


@pytest.mark.parametrize("codec,bitrate,expected", [
    ("aac", 128_000, -1), ("aac", 500_000, 384), ("mp3", 320_000, 320), ("mp3", 500_000, 384),
    ("opus", None, 256), ("flac", None, 384), ("flac", 900_000, 384)])
def test_audio_bitrate_caps(codec, bitrate, expected):
    assert ladder.max_audio_kbits(codec, bitrate) == expected


# -- frame rates ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("fps,resolution,original,expected", [
    (60, 480, False, 30), (50, 360, False, 25), (48, 240, False, 24), (59.94, 240, False, 25),
    (60, 720, False, 60), (60, 480, True, 60), (25, 144, False, 25), (120, 1080, True, 60), (100, 1080, True, 50),
    (0.5, 1080, True, 1)])
def test_output_fps(fps, resolution, original, expected):
    assert ladder.output_fps(fps, resolution, is_original=original, max_fps=60) == expected


def test_output_fps_follows_a_lower_configured_maximum():
    assert ladder.output_fps(60, 1080, is_original=True, max_fps=30) == 30
    assert ladder.output_fps(60, 480, is_original=False, max_fps=24) == 24


# -- resolutions -------------------------------------------------------------------------------------------

def test_candidates_in_peertube_order_never_above_the_input():
    enabled = ladder.enabled_resolutions(ALL_ENABLED)
    assert ladder.resolutions_to_transcode(720, enabled, include_input=False, strict_lower=True,
                                           has_audio=True) == [0, 480, 360, 240, 144]
    assert ladder.resolutions_to_transcode(720, enabled, include_input=False, strict_lower=False,
                                           has_audio=False) == [480, 360, 720, 240, 144]


def test_peertube_default_config_makes_only_the_original_resolution():
    plan = ladder.plan_ladder(probe_of(), settings())
    assert [r.resolution for r in plan.renditions] == [1080]
    assert plan.top.fps == 30


def test_full_ladder_for_a_1080p_input():
    plan = ladder.plan_ladder(probe_of(), settings({f"{r}p": True for r in (144, 240, 360, 480, 720, 1080)}))
    assert [r.resolution for r in plan.renditions] == [1080, 720, 480, 360, 240, 144]
    assert all(r.gop == 60 for r in plan.renditions)  # keyframes every 2 s at 30 fps


def test_never_upscales():
    plan = ladder.plan_ladder(probe_of(640, 360), settings({"720p": True, "1080p": True, "240p": True}))
    assert [r.resolution for r in plan.renditions] == [360, 240]


def test_original_resolution_rounded_to_even():
    plan = ladder.plan_ladder(probe_of(1280, 717), settings({"480p": True}))
    assert [r.resolution for r in plan.renditions] == [718, 480]


def test_without_always_transcode_original_the_top_is_the_best_enabled_resolution():
    plan = ladder.plan_ladder(probe_of(1920, 1000), settings({"720p": True, "360p": True}, always_original=False))
    assert [r.resolution for r in plan.renditions] == [720, 360]
    # nothing enabled fits: the input's own resolution
    plan = ladder.plan_ladder(probe_of(640, 360), settings({"720p": True}, always_original=False))
    assert [r.resolution for r in plan.renditions] == [360]


def test_high_frame_rate_input_keeps_its_rate_on_top_and_on_720p_and_above():
    plan = ladder.plan_ladder(probe_of(fps=60), settings({"720p": True, "480p": True, "240p": True}))
    assert [(r.resolution, r.fps) for r in plan.renditions] == [(1080, 60), (720, 60), (480, 30), (240, 30)]
    assert [r.gop for r in plan.renditions] == [120, 120, 60, 60]


def test_portrait_resolution_is_the_width():
    plan = ladder.plan_ladder(probe_of(1080, 1920), settings({"720p": True}))
    assert plan.is_portrait
    assert [r.resolution for r in plan.renditions] == [1080, 720]
    assert ladder.scaled_size(1080, 1920, 720) == (720, 1280)
    assert ladder.scaled_size(1920, 1080, 720) == (1280, 720)


def test_audio_only_rendition_when_0p_enabled_and_the_input_has_sound():
    plan = ladder.plan_ladder(probe_of(), settings({"0p": True, "480p": True}))
    assert [(r.resolution, r.has_video, r.has_audio) for r in plan.renditions] == [
        (1080, True, True), (480, True, True), (0, False, True)]
    silent = ladder.plan_ladder(probe_of(audio=False), settings({"0p": True}))
    assert [r.resolution for r in silent.renditions] == [1080]


def test_split_audio_and_video():
    plan = ladder.plan_ladder(probe_of(), settings({"480p": True}, split=True))
    assert plan.split_audio
    assert [(r.resolution, r.has_video, r.has_audio) for r in plan.renditions] == [
        (1080, True, False), (480, True, False), (0, False, True)]


def test_audio_input_is_merged_into_a_480p_video_at_25_fps():
    plan = ladder.plan_ladder(probe_of(video=False, audio_codec="mp3", audio_bitrate=192_000),
                              settings({"0p": True, "360p": True, "720p": True}))
    assert plan.merge_audio
    assert [(r.resolution, r.fps, r.has_video) for r in plan.renditions] == [
        (480, 25, True), (360, 25, True), (0, 0, False)]
    assert plan.top.audio_kbits == 192 and not plan.top.copy_audio


# -- quick transcode -------------------------------------------------------------------------------------

def test_a_clean_h264_aac_input_is_copied():
    plan = ladder.plan_ladder(probe_of(video_bitrate=3_000_000), settings({"480p": True}), keyframe_interval=2.0)
    assert plan.top.copy_video and plan.top.copy_audio
    assert not plan.renditions[1].copy_video  # lower renditions are always encoded


@pytest.mark.parametrize("change", [
    {"video_codec": "hevc"}, {"pix_fmt": "yuv444p"}, {"fps": 1}, {"fps": 120}, {"video_bitrate": 20_000_000},
    {"video_bitrate": None}, {"rotation": 90}])
def test_inputs_that_must_be_encoded(change):
    plan = ladder.plan_ladder(probe_of(**change), settings(), keyframe_interval=2.0)
    assert not plan.top.copy_video


def test_sparse_keyframes_prevent_copying():
    assert not ladder.plan_ladder(probe_of(), settings(), keyframe_interval=10.0).top.copy_video
    assert not ladder.plan_ladder(probe_of(), settings(), keyframe_interval=None).top.copy_video


@pytest.mark.parametrize("change,copied", [
    ({}, True), ({"audio_codec": "mp3"}, False), ({"audio_bitrate": 500_000}, False),
    ({"audio_bitrate": None}, False), ({"layout": "quad"}, False), ({"layout": None}, False)])
def test_audio_copy_rules(change, copied):
    assert ladder.can_copy_audio(probe_of(**change)) is copied
