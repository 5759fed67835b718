"""Storyboards: one JPEG grid of small frames, one every few seconds, shown above the player's
progress bar (PeerTube's sprite rules, peertube-internals §4.5)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from vidpub.media.ffmpeg import run_ffmpeg

SPRITE_MAX_SIZE = 192          # the long side of one sprite
SPRITES_MAX_EDGE_COUNT = 11    # a grid is at most 11 x 11
MIN_DURATION = 3               # shorter videos get no storyboard
THUMBNAIL_NICENESS = 10


@dataclass(frozen=True)
class StoryboardPlan:
    sprite_width: int
    sprite_height: int
    sprite_duration: int       # seconds between two sprites
    columns: int
    rows: int

    @property
    def total_width(self) -> int:
        return self.sprite_width * self.columns

    @property
    def total_height(self) -> int:
        return self.sprite_height * self.rows


def _even(value: float) -> int:
    number = max(2, round(value))
    return number if number % 2 == 0 else number + 1


def sprite_size(width: int, height: int) -> tuple[int, int]:
    """192 px on the long side, the other side by the aspect ratio (both even)."""
    if not width or not height:
        return SPRITE_MAX_SIZE, _even(SPRITE_MAX_SIZE * 9 / 16)
    if height > width:
        return _even(SPRITE_MAX_SIZE * width / height), SPRITE_MAX_SIZE
    return SPRITE_MAX_SIZE, _even(SPRITE_MAX_SIZE * height / width)


def sprites_metadata(duration: float) -> tuple[int, int]:
    """(sprite duration in seconds, number of sprites); (0, 0) when the video is too short."""
    if duration < MIN_DURATION:
        return 0, 0
    max_sprites = min(math.ceil(duration), SPRITES_MAX_EDGE_COUNT * SPRITES_MAX_EDGE_COUNT)
    sprite_duration = math.ceil(duration / max_sprites)
    return sprite_duration, math.ceil(duration / sprite_duration)


def grid_size(total: int) -> tuple[int, int]:
    """(columns, rows): the first grid of at most 11 x 11, rows <= columns, holding `total` sprites."""
    for rows in range(1, SPRITES_MAX_EDGE_COUNT + 1):
        for columns in range(rows, SPRITES_MAX_EDGE_COUNT + 1):
            if total <= rows * columns:
                return columns, rows
    return SPRITES_MAX_EDGE_COUNT, SPRITES_MAX_EDGE_COUNT


def plan_storyboard(duration: float, width: int, height: int) -> StoryboardPlan | None:
    sprite_duration, total = sprites_metadata(duration)
    if not total:
        return None
    columns, rows = grid_size(total)
    sprite_width, sprite_height = sprite_size(width, height)
    return StoryboardPlan(sprite_width, sprite_height, sprite_duration, columns, rows)


def storyboard_arguments(video_path: Path, destination: Path, plan: StoryboardPlan) -> list[str]:
    # one frame every `sprite_duration` seconds, scaled, tiled into a single image
    select = f"select='isnan(prev_selected_t)+gte(t-prev_selected_t\\,{plan.sprite_duration})'"
    graph = ",".join([select, f"scale={plan.sprite_width}:{plan.sprite_height}",
                      f"tile=layout={plan.columns}x{plan.rows}"])
    return ["-i", str(video_path), "-an", "-sn", "-dn", "-filter_complex", graph, "-fps_mode", "passthrough",
            "-frames:v", "1", "-q:v", "2", "-update", "1", str(destination)]


async def generate_storyboard(binary: str, video_path: Path, destination: Path, plan: StoryboardPlan,
                              timeout: float | None = None) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    await run_ffmpeg(binary, storyboard_arguments(video_path, destination, plan), nice=THUMBNAIL_NICENESS,
                     timeout=timeout)
