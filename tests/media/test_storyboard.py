"""PeerTube's storyboard sprite rules (peertube-internals §4.5), and a real sprite sheet."""

from __future__ import annotations

import asyncio

import pytest
from PIL import Image

from tests.support.media import make_clip
from vidpub.media import storyboard
from vidpub.media.ffmpeg import ffmpeg_binary


@pytest.mark.parametrize("duration,expected", [(2.9, (0, 0)), (3, (1, 3)), (10, (1, 10)), (121, (1, 121)),
                                               (122, (2, 61)), (200, (2, 100)), (3600, (30, 120))])
def test_sprite_duration_and_count(duration, expected):
    assert storyboard.sprites_metadata(duration) == expected


@pytest.mark.parametrize("total,expected", [(3, (3, 1)), (11, (11, 1)), (12, (6, 2)), (100, (10, 10)),
                                            (121, (11, 11)), (61, (11, 6))])
def test_grid_is_the_first_that_holds_every_sprite(total, expected):
    assert storyboard.grid_size(total) == expected


def test_sprite_size_keeps_the_aspect_ratio_with_a_long_side_of_192():
    assert storyboard.sprite_size(1920, 1080) == (192, 108)
    assert storyboard.sprite_size(1080, 1920) == (108, 192)
    assert storyboard.sprite_size(640, 480) == (192, 144)


def test_short_videos_get_no_storyboard():
    assert storyboard.plan_storyboard(2.5, 640, 360) is None


def test_a_real_sprite_sheet(tmp_path):
    clip = make_clip(tmp_path / "clip.mp4", duration=5, width=320, height=180, audio=False)
    plan = storyboard.plan_storyboard(5, 320, 180)
    assert (plan.columns, plan.rows, plan.sprite_duration) == (5, 1, 1)
    destination = tmp_path / "storyboard.jpg"
    asyncio.run(storyboard.generate_storyboard(ffmpeg_binary(None), clip, destination, plan))
    with Image.open(destination) as image:
        assert image.size == (plan.total_width, plan.total_height) == (960, 108)
        # five different moments of the moving pattern: no two sprites are identical
        sprites = [image.crop((i * 192, 0, (i + 1) * 192, 108)).tobytes() for i in range(5)]
        assert len(set(sprites)) == 5
