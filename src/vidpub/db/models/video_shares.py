"""Shares of videos: an actor (a channel, an instance, an account) that Announced a video to its
followers (PeerTube's `videoShare`)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, Timestamps


class VideoShare(Timestamps, Base):
    __tablename__ = "video_share"
    __table_args__ = (sa.UniqueConstraint("actor_id", "video_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"))
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000), unique=True)  # the Announce's id
