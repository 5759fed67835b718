"""Carrying a video file token through HLS playlists (PeerTube's `reinjectVideoFileToken`).

A player fetching a private master playlist with `?videoFileToken=T&reinjectVideoFileToken=true`
cannot add the token to the requests it derives from the playlist. So the served playlist is
rewritten: every reference to a playlist gets `?videoFileToken=T&reinjectVideoFileToken=true` (so
that playlist is rewritten in turn), every reference to a media file (`.mp4`, `.ts`, `.m4s`, `.vtt`)
gets `?videoFileToken=T`. References are the URI lines and the `URI="…"` attributes of tags
(`#EXT-X-MAP`, `#EXT-X-MEDIA`).
"""

from __future__ import annotations

import re
from urllib.parse import quote

_URI_ATTRIBUTE = re.compile(r'URI="([^"]*)"')
_MEDIA_SUFFIXES = (".mp4", ".ts", ".m4s", ".vtt")


def _with_token(uri: str, token: str) -> str:
    path = uri.split("?", 1)[0].split("#", 1)[0].lower()
    if path.endswith(".m3u8"):
        extra = f"videoFileToken={quote(token, safe='')}&reinjectVideoFileToken=true"
    elif path.endswith(_MEDIA_SUFFIXES):
        extra = f"videoFileToken={quote(token, safe='')}"
    else:
        return uri
    return f"{uri}{'&' if '?' in uri else '?'}{extra}"


def reinject_file_token(playlist: str, token: str) -> str:
    lines = []
    for line in playlist.splitlines():
        stripped = line.strip()
        if stripped.startswith("#"):
            line = _URI_ATTRIBUTE.sub(lambda match: f'URI="{_with_token(match.group(1), token)}"', line)
        elif stripped:
            line = _with_token(stripped, token)
        lines.append(line)
    return "\n".join(lines) + ("\n" if playlist.endswith("\n") else "")
