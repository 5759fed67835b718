"""A search text that names one object instead of describing it: a handle (`name@host`, `@name@host`,
`@name`) or a URL. PeerTube resolves those to the object itself (fetching remote ones when the
instance allows remote URI search: that comes with federation). Here they resolve to what this
instance knows: its own objects by their web or ActivityPub paths, and any known object by its URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from vidpub.config import Config
from vidpub.services.videos.lookup import SHORT_LENGTH, uuid_from_short

_NAME = r"[A-Za-z0-9_.:\-]{1,100}"
_HOST = r"[A-Za-z0-9.\-]{1,255}(?::[0-9]{1,5})?"
_HANDLE = re.compile(rf"^@?({_NAME})@({_HOST})$")
_LOCAL_HANDLE = re.compile(rf"^@({_NAME})$")
_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.IGNORECASE)

VIDEO, PLAYLIST, CHANNEL, ACCOUNT, ANY = "video", "playlist", "channel", "account", "any"

# paths of this instance naming an object: (prefix segments, kind); the next segment names it
_LOCAL_PATHS = (
    (("videos", "watch", "playlist"), PLAYLIST),
    (("w", "p"), PLAYLIST),
    (("video-playlists",), PLAYLIST),
    (("videos", "watch"), VIDEO),
    (("videos", "embed"), VIDEO),
    (("w",), VIDEO),
    (("video-channels",), CHANNEL),
    (("c",), CHANNEL),
    (("accounts",), ACCOUNT),
    (("a",), ACCOUNT),
)


@dataclass(frozen=True)
class Reference:
    """What the search text names. `kind` ANY: a URL of another site, matched against the URLs of the
    objects known here (remote videos, channels and playlists keep their ActivityPub URL)."""
    kind: str
    name: str | None = None      # an actor's name (channel, account)
    host: str | None = None      # its host when given; None: this instance
    uuid: str | None = None      # a video's or playlist's UUID
    url: str | None = None


def _uuid_of(value: str) -> str | None:
    if _UUID.match(value):
        return value.lower()
    if len(value) <= SHORT_LENGTH:
        return uuid_from_short(value)
    return None


def parse_handle(config: Config, text: str) -> Reference | None:
    """`name@host`, `@name@host` or `@name`: an actor (a channel, or an account), local when the host
    is this instance's."""
    match = _HANDLE.match(text)
    if match:
        name, host = match.groups()
        local = host.lower() == config.host.lower()
        return Reference(ANY, name=name, host=None if local else host.lower())
    match = _LOCAL_HANDLE.match(text)
    if match:
        return Reference(ANY, name=match.group(1))
    return None


def parse_url(config: Config, text: str) -> Reference | None:
    if not text.lower().startswith(("http://", "https://")) or any(char.isspace() for char in text):
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.netloc.lower() != config.host.lower():
        return Reference(ANY, url=text)
    segments = [unquote(segment) for segment in parts.path.split("/") if segment]
    for prefix, kind in _LOCAL_PATHS:
        if tuple(segments[:len(prefix)]) == prefix and len(segments) > len(prefix):
            named = segments[len(prefix)]
            if kind in (VIDEO, PLAYLIST):
                uuid = _uuid_of(named)
                return Reference(kind, uuid=uuid, url=text) if uuid else Reference(kind, url=text)
            return Reference(kind, name=named, url=text)
    return Reference(ANY, url=text)


def parse(config: Config, text: str | None) -> Reference | None:
    """The object `text` names, if it is a handle or a URL."""
    if not text:
        return None
    text = text.strip()
    return parse_url(config, text) or parse_handle(config, text)
