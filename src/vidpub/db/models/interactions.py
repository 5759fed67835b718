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
    """One viewer's viewing of a video, from its first call until `expires_at`
    (views.videos.view_expiration): its watch time decides whether the view counts, and it counts
    once. Shared by every process, so a view counts once however requests are spread."""

    __tablename__ = "video_viewer"
    __table_args__ = (sa.UniqueConstraint("video_id", "viewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    viewer: Mapped[str] = mapped_column(sa.String(128))  # session id or IP, hashed
    expires_at: Mapped[datetime] = mapped_column(index=True)
    watch_time: Mapped[int] = mapped_column(default=0)  # seconds, the sum of the watch sections
    # the watch section in progress, in seconds of the video (PeerTube's watch sections: a seek or a
    # jump backwards starts a new one)
    section_start: Mapped[int] = mapped_column(default=0)
    section_end: Mapped[int] = mapped_column(default=0)
    counted: Mapped[bool] = mapped_column(default=False)  # this viewing already added its view
    last_seen_at: Mapped[datetime]
    # when peers last heard of this viewer (services/videos/viewer_counters.py): a remote video's
    # origin, or a local video's followers through its viewer count
    federated_at: Mapped[datetime | None]


class VideoRemoteViewer(Base):
    """Viewers that peers told us of, until `expires_at` (PeerTube's viewer counters, protocol v2):
    one row per viewer of a local video watching on another instance, and, for a remote video, the
    origin's count of all its viewers (`from_origin`), or single viewers forwarded meanwhile."""

    __tablename__ = "video_remote_viewer"
    __table_args__ = (sa.UniqueConstraint("video_id", "viewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    viewer: Mapped[str] = mapped_column(sa.String(64))  # a hash of the View's id
    viewer_count: Mapped[int] = mapped_column(default=1)
    from_origin: Mapped[bool] = mapped_column(default=False)
    expires_at: Mapped[datetime] = mapped_column(index=True)


class VideoView(Base):
    """Views counted for a video, per hour: the `-trending` sort adds up those of the last
    `trending.videos.interval_days` (PeerTube's `videoView` table)."""

    __tablename__ = "video_view"
    __table_args__ = (sa.UniqueConstraint("video_id", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    start_date: Mapped[datetime] = mapped_column(index=True)
    end_date: Mapped[datetime]
    views: Mapped[int] = mapped_column(default=0)
