"""PeerTube's player URL options as the embed and watch pages read them."""

from __future__ import annotations

import pytest

from vidpub.web.player_options import parse_timecode, player_options


@pytest.mark.parametrize(("text", "seconds"), [
    ("90", 90), ("90.5", 90.5), ("1m30s", 90), ("1h2m3s", 3723), ("2h", 7200), ("45s", 45),
    ("1:30", 90), ("1:02:03", 3723), ("0", 0),
])
def test_timecodes_in_peertube_forms(text, seconds):
    assert parse_timecode(text) == seconds


@pytest.mark.parametrize("text", ["", "abc", "-5", "1x", "1h2h", "nan", "inf", "9" * 30, "<script>"])
def test_malformed_timecodes_are_ignored(text):
    assert parse_timecode(text) is None


def test_defaults_without_a_query():
    assert player_options({}) == {
        "autoplay": False, "muted": False, "loop": False, "controls": True, "controlBar": True, "title": True,
        "warningTitle": True, "peertubeLink": True, "embed": False, "start": 0, "stop": None, "subtitle": None,
        "playbackRate": 1.0}


def test_toggles_take_1_or_true_and_anything_else_is_off():
    options = player_options({"autoplay": "1", "muted": "true", "loop": "yes", "controls": "0", "title": "false",
                              "peertubeLink": "", "warningTitle": "1"})
    assert options["autoplay"] and options["muted"] and options["warningTitle"]
    assert not (options["loop"] or options["controls"] or options["title"] or options["peertubeLink"])


def test_start_stop_subtitle_and_rate():
    options = player_options({"start": "1m", "stop": "1m30s", "subtitle": "pt-BR", "playbackRate": "1.5"}, embed=True)
    assert (options["start"], options["stop"], options["subtitle"], options["playbackRate"]) == (60, 90, "pt-BR", 1.5)
    assert options["embed"] is True


def test_nonsense_values_fall_back_to_defaults():
    options = player_options({"start": "30", "stop": "10", "subtitle": '"><script>', "playbackRate": "nan"})
    assert options["stop"] is None, "a stop before the start is ignored"
    assert options["subtitle"] is None
    assert options["playbackRate"] == 1.0
    assert player_options({"playbackRate": "100"})["playbackRate"] == 1.0
