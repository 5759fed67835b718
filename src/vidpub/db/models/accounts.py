"""Accounts (a user's or the instance's public identity) and video channels; both are actors."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, Timestamps
from vidpub.db.models.actors import Actor


class Account(Timestamps, Base):
    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255))  # display name
    description: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"), unique=True)
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    # set on the instance's own account (the `peertube` Application actor)
    application_id: Mapped[int | None] = mapped_column(sa.ForeignKey("application.id", ondelete="CASCADE"))

    actor: Mapped[Actor] = relationship(lazy="joined", innerjoin=True)
    channels: Mapped[list[VideoChannel]] = relationship(
        back_populates="account", order_by="VideoChannel.id", cascade="all, delete-orphan", passive_deletes=True)


class VideoChannel(Timestamps, Base):
    __tablename__ = "video_channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(255))  # display name
    description: Mapped[str | None] = mapped_column(sa.Text)
    support: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"), unique=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"), index=True)

    actor: Mapped[Actor] = relationship(lazy="joined", innerjoin=True)
    account: Mapped[Account] = relationship(back_populates="channels")
