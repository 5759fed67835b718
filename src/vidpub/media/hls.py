"""HLS playlists around the renditions: PeerTube's master playlist and `segments-sha256.json`
(peertube-internals §4.2). Both are rewritten atomically: a player or a peer never reads half a file."""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import av

_BYTERANGE = re.compile(r"^#EXT-X-BYTERANGE:(\d+)@(\d+)\s*$")
AAC_LC = "mp4a.40.2"


@dataclass(frozen=True)
class Variant:
    """One video rendition as the master playlist announces it."""
    playlist_filename: str
    bandwidth: int          # bits/s
    width: int
    height: int
    fps: float
    codecs: str             # RFC 6381, e.g. 'avc1.64001f,mp4a.40.2'
    resolution: int = 0


@dataclass(frozen=True)
class Subtitle:
    name: str
    language: str
    uri: str


@dataclass(frozen=True)
class AudioGroup:
    uri: str                # the audio rendition's playlist (split audio and video)


def build_master_playlist(variants: Sequence[Variant], *, audio: AudioGroup | None = None,
                          subtitles: Sequence[Subtitle] = ()) -> str:
    """`#EXTM3U`, version 3, subtitle and audio groups, then one STREAM-INF per rendition by resolution."""
    lines = ["#EXTM3U", "#EXT-X-VERSION:3"]
    for subtitle in subtitles:
        lines.append(f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subtitles",NAME="{_quoted(subtitle.name)}",'
                     f'DEFAULT=NO,AUTOSELECT=NO,FORCED=NO,LANGUAGE="{_quoted(subtitle.language)}",'
                     f'URI="{_quoted(subtitle.uri)}"')
    if audio is not None:
        lines.append(f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Audio",AUTOSELECT=YES,DEFAULT=YES,'
                     f'URI="{_quoted(audio.uri)}"')
    for variant in sorted(variants, key=lambda v: v.resolution):
        line = f"#EXT-X-STREAM-INF:BANDWIDTH={variant.bandwidth},RESOLUTION={variant.width}x{variant.height}"
        if variant.fps:
            line += f",FRAME-RATE={variant.fps:g}"
        line += f',CODECS="{variant.codecs}"'
        if audio is not None:
            line += ',AUDIO="audio"'
        if subtitles:
            line += ',SUBTITLES="subtitles"'
        lines += [line, variant.playlist_filename]
    return "\n".join(lines) + "\n"


def _quoted(value: str) -> str:
    return value.replace('"', "'").replace("\n", " ")


def bandwidth_bits(size: int, duration: float) -> int:
    """PeerTube's BANDWIDTH: the file's average bitrate."""
    return math.ceil(size * 8 / duration) if duration > 0 else size * 8


# -- codecs ---------------------------------------------------------------------------------------------

def codecs_of(path: Path) -> tuple[str | None, str | None]:
    """RFC 6381 codec strings (video, audio) of a media file, from its H.264 decoder configuration."""
    video_codec = audio_codec = None
    with av.open(str(path), metadata_errors="ignore") as container:
        if container.streams.video:
            ctx = container.streams.video[0].codec_context
            extradata = ctx.extradata or b""
            if ctx.name == "h264" and len(extradata) >= 4 and extradata[0] == 1:
                # avcC: configurationVersion, profile_idc, constraint flags, level_idc
                video_codec = f"avc1.{extradata[1]:02x}{extradata[2]:02x}{extradata[3]:02x}"
            elif ctx.name == "h264":
                video_codec = "avc1.640028"
            else:
                video_codec = ctx.name
        if container.streams.audio:
            name = container.streams.audio[0].codec_context.name
            audio_codec = name if name in ("opus", "vorbis", "flac") else AAC_LC
    return video_codec, audio_codec


# -- segment hashes ---------------------------------------------------------------------------------------

def byte_ranges(playlist_text: str) -> list[tuple[int, int]]:
    """(offset, length) of every `#EXT-X-BYTERANGE` of a resolution playlist (the init section of
    `#EXT-X-MAP` is not a segment and is not listed)."""
    ranges = []
    for line in playlist_text.splitlines():
        match = _BYTERANGE.match(line.strip())
        if match:
            ranges.append((int(match.group(2)), int(match.group(1))))
    return ranges


def segment_hashes(playlist_path: Path, fragmented_path: Path) -> dict[str, str]:
    """{"<start>-<end>": sha256} of each byte range of a fragmented MP4, end inclusive."""
    hashes = {}
    with fragmented_path.open("rb") as media:
        for offset, length in byte_ranges(playlist_path.read_text()):
            media.seek(offset)
            data = media.read(length)
            if len(data) != length:
                raise ValueError(f"{fragmented_path.name}: byte range {offset}+{length} beyond the file")
            hashes[f"{offset}-{offset + length - 1}"] = hashlib.sha256(data).hexdigest()
    return hashes


def segments_sha256(renditions: Iterable[tuple[Path, Path]]) -> dict[str, dict[str, str]]:
    """The `segments-sha256.json` object: {fragmented mp4 filename: {range: sha256}}."""
    return {fragmented.name: segment_hashes(playlist, fragmented) for playlist, fragmented in renditions}


# -- writing ------------------------------------------------------------------------------------------------

def write_atomically(path: Path, text: str) -> None:
    """Write beside the target, then rename over it: readers see the old file or the new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_master_playlist(path: Path, variants: Sequence[Variant], *, audio: AudioGroup | None = None,
                          subtitles: Sequence[Subtitle] = ()) -> None:
    write_atomically(path, build_master_playlist(variants, audio=audio, subtitles=subtitles))


def write_segments_sha256(path: Path, hashes: dict[str, dict[str, str]]) -> None:
    write_atomically(path, json.dumps(hashes))
