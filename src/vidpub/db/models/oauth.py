"""OAuth clients and tokens. Tokens are stored as SHA-256 digests, never in clear."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, JSONType, Timestamps
from vidpub.db.models.users import User


class OAuthClient(Timestamps, Base):
    __tablename__ = "oauth_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(sa.String(64), unique=True)
    client_secret: Mapped[str] = mapped_column(sa.String(64))
    grants: Mapped[list[str]] = mapped_column(JSONType)


class OAuthToken(Timestamps, Base):
    """One login session: an access/refresh token pair plus where it was used from."""

    __tablename__ = "oauth_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    access_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    access_token_expires_at: Mapped[datetime]
    refresh_token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    refresh_token_expires_at: Mapped[datetime] = mapped_column(index=True)
    oauth_client_id: Mapped[int] = mapped_column(sa.ForeignKey("oauth_client.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    auth_name: Mapped[str | None] = mapped_column(sa.String(255))
    login_device: Mapped[str | None] = mapped_column(sa.String(255))
    login_ip: Mapped[str | None] = mapped_column(sa.String(64))
    login_date: Mapped[datetime | None]
    last_activity_device: Mapped[str | None] = mapped_column(sa.String(255))
    last_activity_ip: Mapped[str | None] = mapped_column(sa.String(64))
    last_activity_date: Mapped[datetime | None]

    user: Mapped[User] = relationship()
