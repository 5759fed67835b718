"""Password hashing with bcrypt (cost 10, as PeerTube: hashes stay portable between the two)."""

from __future__ import annotations

import asyncio
import functools
import secrets

import bcrypt

BCRYPT_ROUNDS = 10
BCRYPT_MAX_BYTES = 72  # bcrypt ignores what follows: refuse instead of silently truncating


def password_too_long(password: str) -> bool:
    return len(password.encode("utf-8")) > BCRYPT_MAX_BYTES


def _hash(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(BCRYPT_ROUNDS)).decode("ascii")


def _check(password: str, hashed: str | None) -> bool:
    if not hashed or password_too_long(password):
        return False
    try:
        return bcrypt.checkpw(password.encode("utf-8"), hashed.encode("ascii"))
    except ValueError:
        return False


# bcrypt takes tens of milliseconds on purpose: keep it off the event loop.
async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hash, password)


async def check_password(password: str, hashed: str | None) -> bool:
    return await asyncio.to_thread(_check, password, hashed)


@functools.cache
def _dummy_hash() -> str:
    return _hash(secrets.token_hex(16))


async def check_password_of_nobody(password: str) -> None:
    """Spend the time a real check takes, so that a login's duration does not tell whether the
    username exists."""
    await asyncio.to_thread(_check, password, _dummy_hash())
