"""OAuth token pairs. Clients see 40-hex-char opaque tokens (PeerTube's shape); we keep SHA-256 digests."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from vidpub.db.base import utcnow
from vidpub.db.models import OAuthClient, OAuthToken, User


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_hex(20)


@dataclass(frozen=True)
class Lifetimes:
    access: timedelta
    refresh: timedelta


@dataclass(frozen=True)
class ClientInfo:
    """Where a request comes from, recorded on the session."""
    device: str | None
    ip: str | None


@dataclass
class IssuedTokens:
    row: OAuthToken
    access_token: str
    refresh_token: str

    def as_response(self, now: datetime | None = None) -> dict:
        now = now or utcnow()
        return {
            "token_type": "Bearer",
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_in": max(0, int((self.row.access_token_expires_at - now).total_seconds())),
            "refresh_token_expires_in": max(0, int((self.row.refresh_token_expires_at - now).total_seconds())),
        }


def issue(session: AsyncSession, *, user: User, client: OAuthClient, lifetimes: Lifetimes,
          origin: ClientInfo, auth_name: str | None = None, login_date: datetime | None = None,
          login_device: str | None = None, login_ip: str | None = None) -> IssuedTokens:
    now = utcnow()
    access, refresh = new_token(), new_token()
    row = OAuthToken(
        access_token_hash=digest(access), access_token_expires_at=now + lifetimes.access,
        refresh_token_hash=digest(refresh), refresh_token_expires_at=now + lifetimes.refresh,
        oauth_client_id=client.id, user_id=user.id, auth_name=auth_name,
        login_device=login_device if login_date else origin.device,
        login_ip=login_ip if login_date else origin.ip,
        login_date=login_date or now,
        last_activity_device=origin.device, last_activity_ip=origin.ip, last_activity_date=now,
    )
    session.add(row)
    return IssuedTokens(row, access, refresh)


def _with_user():
    # one query: user, account and actor are joined (the relationships are lazy='joined')
    return joinedload(OAuthToken.user)


async def find_by_access_token(session: AsyncSession, token: str) -> OAuthToken | None:
    """A live session for this bearer token, with its user, or None."""
    row = (await session.execute(
        sa.select(OAuthToken).options(_with_user()).where(OAuthToken.access_token_hash == digest(token))
    )).scalar_one_or_none()
    if row is None or row.access_token_expires_at <= utcnow():
        return None
    return row


async def role_of_access_token(session: AsyncSession, token: str) -> int | None:
    """The role of a live token's user (None when the token is unusable): one narrow query."""
    row = (await session.execute(
        sa.select(User.role, User.blocked, OAuthToken.access_token_expires_at)
        .join(User, User.id == OAuthToken.user_id).where(OAuthToken.access_token_hash == digest(token))
    )).first()
    if row is None or row.blocked or row.access_token_expires_at <= utcnow():
        return None
    return row.role


async def find_by_refresh_token(session: AsyncSession, token: str) -> OAuthToken | None:
    """The session holding this refresh token, expired or not (the grant tells the two apart)."""
    return (await session.execute(
        sa.select(OAuthToken).options(_with_user()).where(OAuthToken.refresh_token_hash == digest(token))
    )).scalar_one_or_none()


async def revoke(session: AsyncSession, token_id: int) -> bool:
    """End one session; False when it was already gone (a concurrent refresh or logout won)."""
    result = await session.execute(sa.delete(OAuthToken).where(OAuthToken.id == token_id))
    return (result.rowcount or 0) == 1


SESSION_SORTS = {"createdAt": OAuthToken.created_at, "loginDate": OAuthToken.login_date,
                 "lastActivityDate": OAuthToken.last_activity_date}


async def list_live_sessions(session: AsyncSession, user_id: int, *, start: int, count: int,
                             sort: str) -> tuple[int, list[OAuthToken]]:
    """A user's sessions whose access and refresh tokens both still work (what PeerTube lists)."""
    now = utcnow()
    where = (OAuthToken.user_id == user_id, OAuthToken.access_token_expires_at > now,
             OAuthToken.refresh_token_expires_at > now)
    total = (await session.execute(
        sa.select(sa.func.count()).select_from(OAuthToken).where(*where))).scalar_one()
    column = SESSION_SORTS[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    rows = (await session.execute(
        sa.select(OAuthToken).where(*where).order_by(order, OAuthToken.id.desc()).offset(start).limit(count)
    )).scalars().all()
    return total, list(rows)


async def find_session_of(session: AsyncSession, user_id: int, token_id: int) -> OAuthToken | None:
    return (await session.execute(
        sa.select(OAuthToken).where(OAuthToken.id == token_id, OAuthToken.user_id == user_id)
    )).scalar_one_or_none()


async def revoke_all_for_user(session: AsyncSession, user_id: int, except_id: int | None = None) -> None:
    query = sa.delete(OAuthToken).where(OAuthToken.user_id == user_id)
    if except_id is not None:
        query = query.where(OAuthToken.id != except_id)
    await session.execute(query)


async def purge_expired(session: AsyncSession) -> int:
    """Sessions whose refresh token expired can never be used again."""
    result = await session.execute(sa.delete(OAuthToken).where(OAuthToken.refresh_token_expires_at <= utcnow()))
    return result.rowcount or 0
