"""The player's URL options: PeerTube's embed parameters (`/videos/embed/{id}?start=1m30s&autoplay=1…`),
which the watch page accepts too (`?start=`, `?stop=`, `?muted=`…). Parsed once here into the
`options` dict that `player/_player.html` takes; anything malformed is left at its default."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

# PeerTube's toggles and their defaults: `1` or `true` turns one on, any other value turns it off.
TOGGLES = {"autoplay": False, "muted": False, "loop": False, "controls": True, "controlBar": True,
           "title": True, "warningTitle": True, "peertubeLink": True}
_TIMECODE = re.compile(r"^(?:(\d+)[h:])?(?:(\d+)[m:])?(?:(\d+(?:\.\d+)?)s?)?$")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
MIN_RATE, MAX_RATE = 0.25, 4.0


def parse_timecode(value: str | None) -> float | None:
    """Seconds of `90`, `90.5`, `1m30s`, `1h2m3s` or `1:02:03` (PeerTube's forms); None when malformed."""
    if not value or len(value) > 20:
        return None
    match = _TIMECODE.match(value.strip())
    if match is None or not any(match.groups()):
        return None
    hours, minutes, seconds = match.groups()
    if ":" in value and value.count(":") == 1:  # `mm:ss`: the regex read the minutes as hours
        hours, minutes = None, hours
    total = int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)
    return total if math.isfinite(total) else None


def toggle(query: Mapping[str, str], name: str) -> bool:
    if name not in query:
        return TOGGLES[name]
    return query[name] in ("1", "true")


def player_options(query: Mapping[str, str], *, embed: bool = False) -> dict:
    """The options of the player from a page's query string."""
    options: dict = {name: toggle(query, name) for name in TOGGLES}
    options["embed"] = embed
    start, stop = parse_timecode(query.get("start")), parse_timecode(query.get("stop"))
    options["start"] = start or 0
    options["stop"] = stop if stop and stop > (start or 0) else None
    subtitle = query.get("subtitle") or ""
    options["subtitle"] = subtitle if _LANGUAGE.match(subtitle) else None
    try:
        rate = float(query.get("playbackRate") or 1)
    except ValueError:
        rate = 1.0
    options["playbackRate"] = rate if math.isfinite(rate) and MIN_RATE <= rate <= MAX_RATE else 1.0
    return options
