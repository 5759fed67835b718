"""Actors' RSA key pairs: generated on first need (signing, or serving the actor document), as
PeerTube's `actor-keys` job does after creating an actor, and parsed once per process."""

from __future__ import annotations

import asyncio
import functools

import sqlalchemy as sa
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import Actor

KEY_SIZE = 2048


def generate_key_pair(key_size: int = KEY_SIZE) -> tuple[str, str]:
    """(public PEM, private PEM)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.PEM,
                                           serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return public, private


@functools.lru_cache(maxsize=512)
def load_private_key(pem: str) -> rsa.RSAPrivateKey:
    return serialization.load_pem_private_key(pem.encode(), password=None)


@functools.lru_cache(maxsize=4096)
def load_public_key(pem: str) -> rsa.RSAPublicKey:
    key = serialization.load_pem_public_key(pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise ValueError("not an RSA public key")
    return key


async def ensure_keys(session: AsyncSession, actor: Actor) -> Actor:
    """Give a local actor its key pair if it has none yet.

    Two processes may race here: the UPDATE only fills empty keys, and everyone reads back the pair
    that won, so an actor never publishes one key and signs with another."""
    if actor.public_key and actor.private_key:
        return actor
    if not actor.is_local:
        raise ValueError("remote actors' keys come from their documents")
    public, private = await asyncio.to_thread(generate_key_pair)
    await session.execute(sa.update(Actor).where(Actor.id == actor.id, Actor.public_key.is_(None))
                          .values(public_key=public, private_key=private)
                          .execution_options(synchronize_session=False))
    await session.refresh(actor, ["public_key", "private_key"])
    return actor


async def ensure_keys_apart(db, actor: Actor) -> Actor:
    """`ensure_keys` in a transaction of its own: for readers (GET routes) whose session must not write."""
    if actor.public_key and actor.private_key:
        return actor
    async with db.transaction() as session:
        fresh = await session.get(Actor, actor.id)
        await ensure_keys(session, fresh)
        public, private = fresh.public_key, fresh.private_key
    actor.public_key, actor.private_key = public, private  # the caller's copy, without a round trip
    return actor
