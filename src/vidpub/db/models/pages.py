"""Custom pages an actor shows: today the instance's homepage, the markdown (with PeerTube's custom
markup) that the web client renders on `/home`, kept on the instance's own actor as PeerTube does."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, Timestamps


class CustomPageType:
    HOMEPAGE = "homepage"


class ActorCustomPage(Timestamps, Base):
    __tablename__ = "actor_custom_page"
    __table_args__ = (sa.UniqueConstraint("actor_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(40))
    content: Mapped[str | None] = mapped_column(sa.Text)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"))
