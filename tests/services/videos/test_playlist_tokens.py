"""Reinjecting a video file token into HLS playlists."""

from __future__ import annotations

from vidpub.services.videos.playlist_tokens import reinject_file_token

MASTER = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",AUTOSELECT=YES,DEFAULT=YES,URI="a-0.m3u8"
#EXT-X-STREAM-INF:BANDWIDTH=1000,RESOLUTION=640x360,FRAME-RATE=25,CODECS="avc1.64001f,mp4a.40.2",AUDIO="audio"
a-360.m3u8
"""

VARIANT = """#EXTM3U
#EXT-X-MAP:URI="a-360-fragmented.mp4",BYTERANGE="1353@0"
#EXTINF:4.000000,
#EXT-X-BYTERANGE:1817033@1353
a-360-fragmented.mp4
#EXT-X-ENDLIST
"""


def test_playlist_references_carry_the_token_and_the_reinjection():
    out = reinject_file_token(MASTER, "T.1.x")
    assert "a-360.m3u8?videoFileToken=T.1.x&reinjectVideoFileToken=true\n" in out
    assert 'URI="a-0.m3u8?videoFileToken=T.1.x&reinjectVideoFileToken=true"' in out
    assert out.startswith("#EXTM3U\n#EXT-X-VERSION:3\n")


def test_media_references_carry_the_token_only():
    out = reinject_file_token(VARIANT, "T.1.x")
    assert 'URI="a-360-fragmented.mp4?videoFileToken=T.1.x",BYTERANGE="1353@0"' in out
    assert "\na-360-fragmented.mp4?videoFileToken=T.1.x\n" in out
    assert "#EXT-X-BYTERANGE:1817033@1353\n" in out and out.endswith("#EXT-X-ENDLIST\n")


def test_existing_queries_are_extended():
    assert reinject_file_token("x.mp4?a=1", "T") == "x.mp4?a=1&videoFileToken=T"
