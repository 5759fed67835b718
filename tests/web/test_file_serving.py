"""The pieces of file serving that need no server: range parsing, download names, file names."""

from __future__ import annotations

import pytest

from vidpub.web.file_serving import UnsatisfiableRange, attachment, is_safe_filename, media_type_of, parse_range


@pytest.mark.parametrize("header, expected", [
    ("bytes=0-99", (0, 99)),
    ("bytes=100-", (100, 999)),
    ("bytes=-100", (900, 999)),
    ("bytes=-5000", (0, 999)),           # a suffix longer than the file: all of it
    ("bytes=990-5000", (990, 999)),      # an end past the file is clamped
    ("BYTES = 1-2", (1, 2)),
    ("bytes=0-1,5-9", None),             # several ranges: the whole file (as Express does)
    ("items=0-5", None),                 # another unit: ignored
    ("garbage", None),
])
def test_ranges(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5-2", "bytes=-0", "bytes=x-y", "bytes=", "bytes=٣-٤",
                                    "bytes=99999999999999999999999-"])
def test_unsatisfiable_ranges(header):
    with pytest.raises(UnsatisfiableRange):
        parse_range(header, 1000)


def test_nothing_of_an_empty_file_is_satisfiable():
    with pytest.raises(UnsatisfiableRange):
        parse_range("bytes=0-", 0)


def test_download_names_keep_unicode_with_an_ascii_fallback():
    assert attachment("My clip-720p.mp4") == 'attachment; filename="My clip-720p.mp4"'
    header = attachment('Été "quoted"-720p.mp4')
    assert header.startswith('attachment; filename="_t_ _quoted_-720p.mp4"; filename*=UTF-8\'\'')
    assert "%C3%89t%C3%A9%20%22quoted%22-720p.mp4" in header


@pytest.mark.parametrize("name", ["0b6a1c3e-1111-4222-8333-444455556666-720-fragmented.mp4", "a.m3u8", "x_y.jpg"])
def test_names_vidpub_writes_are_safe(name):
    assert is_safe_filename(name)


@pytest.mark.parametrize("name", ["..", ".", ".hidden", "../x", "a/b", "a\\b", "a\x00b", "", "é.mp4", "x" * 300])
def test_other_names_are_not(name):
    assert not is_safe_filename(name)


def test_media_types():
    assert media_type_of("a.m3u8") == "application/x-mpegurl; charset=utf-8"
    assert media_type_of("a.MP4") == "video/mp4"
    assert media_type_of("a.torrent") == "application/x-bittorrent"
    assert media_type_of("a.unknown") == "application/octet-stream"
