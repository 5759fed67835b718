"""ActivityPub actors (local and remote) and their images; the remote servers they live on."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, Timestamps


class ActorType:
    PERSON = "Person"
    GROUP = "Group"
    APPLICATION = "Application"


class ActorImageType:
    AVATAR = 1
    BANNER = 2


class Server(Base):
    """A remote host we know of (local actors have no server row)."""

    __tablename__ = "server"

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(sa.String(255), unique=True)
    redundancy_allowed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=sa.func.now())


class Actor(Timestamps, Base):
    __tablename__ = "actor"
    __table_args__ = (
        # Accounts and channels share one name space per host; local names are unique case-insensitively.
        sa.Index("uq_actor_local_name", sa.func.lower(sa.text("preferred_username")), unique=True,
                 sqlite_where=sa.text("server_id IS NULL"), postgresql_where=sa.text("server_id IS NULL")),
        sa.Index("uq_actor_remote_name", "preferred_username", "server_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(20))
    preferred_username: Mapped[str] = mapped_column(sa.String(255))
    url: Mapped[str] = mapped_column(sa.String(2000), unique=True)
    public_key: Mapped[str | None] = mapped_column(sa.Text)
    private_key: Mapped[str | None] = mapped_column(sa.Text)
    followers_count: Mapped[int] = mapped_column(default=0)
    following_count: Mapped[int] = mapped_column(default=0)
    inbox_url: Mapped[str] = mapped_column(sa.String(2000))
    outbox_url: Mapped[str | None] = mapped_column(sa.String(2000))
    shared_inbox_url: Mapped[str | None] = mapped_column(sa.String(2000))
    followers_url: Mapped[str | None] = mapped_column(sa.String(2000))
    following_url: Mapped[str | None] = mapped_column(sa.String(2000))
    remote_created_at: Mapped[datetime | None]
    server_id: Mapped[int | None] = mapped_column(sa.ForeignKey("server.id", ondelete="CASCADE"), index=True)

    server: Mapped[Server | None] = relationship(lazy="joined")
    images: Mapped[list[ActorImage]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", lazy="selectin", order_by="ActorImage.width")

    @property
    def is_local(self) -> bool:
        return self.server_id is None


class ActorImage(Timestamps, Base):
    __tablename__ = "actor_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    type: Mapped[int] = mapped_column(sa.SmallInteger)
    filename: Mapped[str] = mapped_column(sa.String(255), unique=True)
    file_url: Mapped[str | None] = mapped_column(sa.String(2000))  # remote images only
    width: Mapped[int]
    height: Mapped[int]
    on_disk: Mapped[bool] = mapped_column(default=True)

    actor: Mapped[Actor] = relationship(back_populates="images")
