"""Pure parts of the redundancy copies: which files a playlist names (and which references are
refused), and how the configured strategies are read."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from vidpub.config import load_config
from vidpub.services.redundancy_copies import (
    CopyError,
    Strategy,
    _checked_name,
    _names_in_playlist,
    configured_strategies,
)

BASE = "https://origin.example/static/streaming-playlists/hls/0b3f3c1e-2b7f-4f55-9d7e-2d9b4f7f5e11"

MASTER = """#EXTM3U
#EXT-X-VERSION:6
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="a",URI="1111-0.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=100000,RESOLUTION=160x90,AUDIO="audio"
2222-90.m3u8
"""
RENDITION = """#EXTM3U
#EXT-X-MAP:URI="2222-90-fragmented.mp4",BYTERANGE="800@0"
#EXTINF:2.0,
#EXT-X-BYTERANGE:1000@800
2222-90-fragmented.mp4
#EXT-X-ENDLIST
"""


def test_the_files_a_playlist_names():
    assert _names_in_playlist(MASTER) == ["1111-0.m3u8", "2222-90.m3u8"]
    assert _names_in_playlist(RENDITION) == ["2222-90-fragmented.mp4"]


@pytest.mark.parametrize("reference", ["../other/a.mp4", "https://elsewhere.example/a.mp4", "sub/a.mp4",
                                       "a.mp4?token=1", "/static/a.mp4"])
def test_references_outside_the_playlists_directory_are_refused(reference):
    with pytest.raises(CopyError):
        _checked_name(BASE, reference)
    assert _checked_name(BASE, "2222-90-fragmented.mp4") == "2222-90-fragmented.mp4"
    assert _checked_name(BASE, f"{BASE}/2222-90.m3u8") == "2222-90.m3u8"


def test_configured_strategies(tmp_path: Path):
    settings = tmp_path / "config.yaml"
    settings.write_text("""
redundancy:
  videos:
    strategies:
      - {strategy: most-views, size: 10GB, min_lifetime: 48 hours}
      - {strategy: recently-added, size: 1MB, min_lifetime: 11 hours, min_views: 3}
      - {strategy: everything, size: 1GB, min_lifetime: 11 hours}
      - {strategy: trending, size: lots, min_lifetime: 11 hours}
""")
    config = load_config(settings, tmp_path, environ={})
    assert configured_strategies(config) == [
        Strategy("most-views", 10 * 1024**3, timedelta(hours=48)),
        Strategy("recently-added", 1024**2, timedelta(hours=11), 3)]
    assert configured_strategies(load_config(None, tmp_path, environ={})) == []
