"""What accounts and users do with videos: rates, watch history, counted viewers."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, Timestamps


class AccountVideoRate(Timestamps, Base):
    __tablename__ = "account_video_rate"
    __table_args__ = (sa.UniqueConstraint("account_id", "video_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"))
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(sa.String(10))  # 'like' | 'dislike'
    url: Mapped[str | None] = mapped_column(sa.String(2000), unique=True)  # ActivityPub id


class UserVideoHistory(Timestamps, Base):
    __tablename__ = "user_video_history"
    __table_args__ = (sa.UniqueConstraint("user_id", "video_id"),
                      sa.Index("ix_user_video_history_recent", "user_id", "updated_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"), index=True)
    current_time: Mapped[int] = mapped_column(default=0)  # seconds


class VideoViewer(Base):
    """A viewer already counted for a video until `expires_at` (views.videos.view_expiration):
    shared by every process, so a view counts once however requests are spread."""

    __tablename__ = "video_viewer"
    __table_args__ = (sa.UniqueConstraint("video_id", "viewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    viewer: Mapped[str] = mapped_column(sa.String(128))  # session id or IP, hashed
    expires_at: Mapped[datetime] = mapped_column(index=True)
    watch_time: Mapped[int] = mapped_column(default=0)
    last_seen_at: Mapped[datetime]
