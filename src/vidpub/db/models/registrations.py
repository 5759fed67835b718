"""Sign-up requests waiting for a moderator (signup.requires_approval)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, Timestamps
from vidpub.db.models.users import User


class RegistrationState:
    PENDING = 1
    REJECTED = 2
    ACCEPTED = 3


class UserRegistration(Timestamps, Base):
    __tablename__ = "user_registration"
    __table_args__ = (
        sa.Index("uq_user_registration_email_lower", sa.func.lower(sa.text("email")), unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[int] = mapped_column(sa.SmallInteger, index=True)
    registration_reason: Mapped[str] = mapped_column(sa.Text)
    moderation_response: Mapped[str | None] = mapped_column(sa.Text)
    password: Mapped[str] = mapped_column(sa.String(255))  # bcrypt hash, moved to the user on accept
    username: Mapped[str] = mapped_column(sa.String(50), unique=True)
    email: Mapped[str] = mapped_column(sa.String(400))
    email_verified: Mapped[bool | None]
    account_display_name: Mapped[str | None] = mapped_column(sa.String(255))
    channel_handle: Mapped[str | None] = mapped_column(sa.String(255))
    channel_display_name: Mapped[str | None] = mapped_column(sa.String(255))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship()
