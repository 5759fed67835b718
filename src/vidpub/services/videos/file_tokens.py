"""Video file tokens: short-lived grants to fetch the files of one private video without an OAuth
header (`?videoFileToken=`), for players that cannot set headers on media requests.

PeerTube keeps them in an in-memory LRU for 8 hours. Vidpub signs them instead, so that any API
process can check a token another one issued and a restart does not log players out: a token is
`<expiry>.<user id>.<signature>`, the signature an HMAC of the video's UUID, the user and the expiry
under a key derived from the instance secret. Nothing is stored; tokens cannot be revoked early,
which PeerTube's cannot either (its LRU forgets them only by age).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from datetime import datetime, UTC

from vidpub.config import Config
from vidpub.db.models import User, Video

FILE_TOKEN_LIFETIME_S = 8 * 3600
_KEY_PURPOSE = b"vidpub video file token v1"
_SIGNATURE_BYTES = 24  # 192 bits: far beyond guessing, shorter URLs than a full SHA-256
_TOKEN_SHAPE = re.compile(r"([0-9]{1,12})\.([0-9]{1,12})\.([A-Za-z0-9_-]{32})")


@dataclass(frozen=True)
class FileToken:
    token: str
    expires: datetime


@dataclass(frozen=True)
class FileTokenGrant:
    """What a valid token says: who asked for it (None: an anonymous holder of the video's password)."""
    user_id: int | None
    expires: datetime


def _key(config: Config) -> bytes:
    secret = str(config.secrets.peertube or "")
    if not secret:  # the secret is generated at install; a process without it must not sign anything
        raise RuntimeError("the instance secret is not loaded: cannot sign video file tokens")
    return hmac.new(secret.encode(), _KEY_PURPOSE, hashlib.sha256).digest()


def _signature(config: Config, video_uuid: str, user_id: int, expires_at: int) -> str:
    message = f"{video_uuid.lower()}|{user_id}|{expires_at}".encode()
    digest = hmac.new(_key(config), message, hashlib.sha256).digest()[:_SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def create_file_token(config: Config, video: Video, user: User | None, *,
                      now: float | None = None) -> FileToken:
    """A token to read `video`'s files for 8 hours, on behalf of `user` (None for a password holder)."""
    expires_at = int(now if now is not None else time.time()) + FILE_TOKEN_LIFETIME_S
    user_id = user.id if user is not None else 0
    token = f"{expires_at}.{user_id}.{_signature(config, video.uuid, user_id, expires_at)}"
    return FileToken(token, datetime.fromtimestamp(expires_at, UTC))


def check_file_token(config: Config, token: str | None, video_uuid: str, *,
                     now: float | None = None) -> FileTokenGrant | None:
    """The grant `token` carries for the video `video_uuid`, or None if it is malformed, forged,
    issued for another video or expired."""
    match = _TOKEN_SHAPE.fullmatch(token or "")
    if match is None:
        return None
    expires_at, user_id = int(match.group(1)), int(match.group(2))
    if not hmac.compare_digest(match.group(3), _signature(config, video_uuid, user_id, expires_at)):
        return None
    if expires_at <= (now if now is not None else time.time()):
        return None
    return FileTokenGrant(user_id or None, datetime.fromtimestamp(expires_at, UTC))
