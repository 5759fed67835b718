"""What a video carries besides its files: captions, chapters, passwords, storyboard, scheduled update."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, Timestamps
from vidpub.db.models.video_files import FileStorage


class VideoCaption(Timestamps, Base):
    __tablename__ = "video_caption"
    __table_args__ = (sa.UniqueConstraint("video_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(sa.String(20))
    filename: Mapped[str] = mapped_column(sa.String(255), unique=True)
    m3u8_filename: Mapped[str | None] = mapped_column(sa.String(255))
    file_url: Mapped[str | None] = mapped_column(sa.String(2000))  # remote captions
    automatically_generated: Mapped[bool] = mapped_column(default=False)
    storage: Mapped[int] = mapped_column(sa.SmallInteger, default=FileStorage.FILE_SYSTEM)


class VideoChapter(Timestamps, Base):
    __tablename__ = "video_chapter"
    __table_args__ = (sa.UniqueConstraint("video_id", "timecode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    timecode: Mapped[int]  # seconds
    title: Mapped[str] = mapped_column(sa.String(100))


class VideoPassword(Timestamps, Base):
    """Passwords of a password-protected video. They are shared keys the owner hands out (PeerTube
    shows them back to the owner), not account secrets, so they are kept as given."""

    __tablename__ = "video_password"
    __table_args__ = (sa.UniqueConstraint("video_id", "password"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    password: Mapped[str] = mapped_column(sa.String(100))


class Storyboard(Timestamps, Base):
    __tablename__ = "storyboard"

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(sa.String(255), unique=True)
    total_height: Mapped[int]
    total_width: Mapped[int]
    sprite_height: Mapped[int]
    sprite_width: Mapped[int]
    sprite_duration: Mapped[int]
    file_url: Mapped[str | None] = mapped_column(sa.String(2000))  # remote storyboards


class ScheduleVideoUpdate(Timestamps, Base):
    """A privacy change (usually: publication) planned for a given time."""

    __tablename__ = "schedule_video_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"), unique=True)
    update_at: Mapped[datetime] = mapped_column(index=True)
    privacy: Mapped[int | None] = mapped_column(sa.SmallInteger)
