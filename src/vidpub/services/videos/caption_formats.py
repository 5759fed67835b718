"""Caption files: WebVTT kept as sent, SubRip (SRT) turned into WebVTT, anything else refused.

Players and the HLS subtitle renditions read WebVTT only, so that is the one stored format.
"""

from __future__ import annotations

import re

_BOM = "\ufeff"
# a WebVTT file starts with "WEBVTT", alone or followed by a space or tab and a header text
_WEBVTT_SIGNATURE = re.compile(r"^WEBVTT(?:[ \t][^\n]*)?(?:\n|$)")
# SRT timings: "00:01:02,500 --> 00:01:04,000", some writers drop digits or use a dot
_SRT_TIME = r"(\d{1,3}):(\d{1,2}):(\d{1,2})[,.](\d{1,3})"
_SRT_TIMING = re.compile(rf"^\s*{_SRT_TIME}\s*-->\s*{_SRT_TIME}")
# C0 controls other than tab, line feed and carriage return: a binary file, not subtitles
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class InvalidCaption(ValueError):
    """The file is not a WebVTT or SRT text file; the message says why."""


def to_webvtt(data: bytes) -> str:
    """The caption as WebVTT text with `\\n` line ends; `InvalidCaption` when it is neither format."""
    text = _decode(data)
    if _WEBVTT_SIGNATURE.match(text):
        return text if text.endswith("\n") else text + "\n"
    return srt_to_webvtt(text)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidCaption("The caption file should be UTF-8 text") from None
    if text.startswith(_BOM):
        text = text[1:]
    if _CONTROL.search(text):
        raise InvalidCaption("The caption file should be text, not binary data")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _timestamp(hours: str, minutes: str, seconds: str, millis: str) -> str:
    if int(minutes) > 59 or int(seconds) > 59:
        raise InvalidCaption(f"Invalid SRT timestamp {hours}:{minutes}:{seconds},{millis}")
    return f"{int(hours):02d}:{int(minutes):02d}:{int(seconds):02d}.{millis.ljust(3, '0')}"


def srt_to_webvtt(text: str) -> str:
    """SRT cues become WebVTT cues: the same numbers (valid cue identifiers), the same text, timings
    written `HH:MM:SS.mmm`. Blocks without a timing line, and text lines holding `-->` (which would
    end a WebVTT cue), are dropped; a file without any cue is not a caption file."""
    cues = []
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines = block.split("\n")
        timing_index = next((i for i, line in enumerate(lines[:2]) if _SRT_TIMING.match(line)), None)
        if timing_index is None:
            continue
        match = _SRT_TIMING.match(lines[timing_index])
        start = _timestamp(*match.group(1, 2, 3, 4))
        end = _timestamp(*match.group(5, 6, 7, 8))
        identifier = lines[0].strip() if timing_index == 1 else ""
        body = [line for line in lines[timing_index + 1:] if "-->" not in line]
        # SRT's optional coordinates after the timing are no WebVTT cue settings: dropped
        cue = ([identifier] if identifier else []) + [f"{start} --> {end}"] + body
        cues.append("\n".join(cue))
    if not cues:
        raise InvalidCaption("The caption file should be a WebVTT or SRT file")
    return "WEBVTT\n\n" + "\n\n".join(cues) + "\n"
