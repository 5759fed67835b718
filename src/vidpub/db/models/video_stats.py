"""What the statistics of a video are computed from: viewing sessions with their watch sections, and
downloads per minute (PeerTube's `localVideoViewer`, `localVideoViewerWatchSection`, and the download
half of its hourly `videoStat`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, utcnow


class LocalVideoViewer(Base):
    """One viewer's session on a video: from its first report until it stops reporting for an hour.
    Reports update it as they come (PeerTube buffers them and writes the row when the session ends),
    so the statistics include sessions still in progress."""

    __tablename__ = "local_video_viewer"
    __table_args__ = (sa.UniqueConstraint("video_id", "viewer"),
                      sa.Index("ix_local_video_viewer_video_id_start_date", "video_id", "start_date"))

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    # the hashed viewer identity (as in `video_viewer`) while the session is open, so that the next
    # report finds it; NULL once the session ended (many NULLs may coexist under the unique constraint)
    viewer: Mapped[str | None] = mapped_column(sa.String(128))
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    url: Mapped[str] = mapped_column(sa.String(2000), unique=True)  # ActivityPub id of its WatchAction
    start_date: Mapped[datetime]
    end_date: Mapped[datetime] = mapped_column(index=True)
    watch_time: Mapped[int] = mapped_column(default=0)  # seconds: the sum of the watch sections
    # no GeoIP database here: both stay NULL for local viewers (remote WatchActions may carry them)
    country: Mapped[str | None] = mapped_column(sa.String(255))
    subdivision_name: Mapped[str | None] = mapped_column(sa.String(255))
    client: Mapped[str | None] = mapped_column(sa.String(200))
    device: Mapped[str | None] = mapped_column(sa.String(20))
    operating_system: Mapped[str | None] = mapped_column(sa.String(200))
    # the watch section in progress (its row is `local_video_viewer_section` number
    # `section_count`): kept here so that one upsert moves it forward
    section_count: Mapped[int] = mapped_column(default=1)
    section_start: Mapped[int] = mapped_column(default=0)
    section_end: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LocalVideoViewerWatchSection(Base):
    """A stretch of the video watched without a seek: seconds `watch_start` to `watch_end`."""

    __tablename__ = "local_video_viewer_section"
    __table_args__ = (sa.UniqueConstraint("viewer_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    viewer_id: Mapped[int] = mapped_column(sa.ForeignKey("local_video_viewer.id", ondelete="CASCADE"))
    position: Mapped[int]  # 1 for the session's first section
    watch_start: Mapped[int]
    watch_end: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class VideoDownloadStat(Base):
    """Downloads of a video per minute, for the `downloads` time series (the video row keeps the total)."""

    __tablename__ = "video_download_stat"
    __table_args__ = (sa.UniqueConstraint("video_id", "start_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    start_date: Mapped[datetime]
    end_date: Mapped[datetime]
    downloads: Mapped[int] = mapped_column(default=0)
