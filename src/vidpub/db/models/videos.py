"""Videos (local and remote), their tags and thumbnails."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, Timestamps
from vidpub.db.models.accounts import VideoChannel


class VideoState:
    PUBLISHED = 1
    TO_TRANSCODE = 2
    TO_IMPORT = 3
    WAITING_FOR_LIVE = 4
    LIVE_ENDED = 5
    TO_MOVE_TO_EXTERNAL_STORAGE = 6
    TRANSCODING_FAILED = 7
    TO_MOVE_TO_EXTERNAL_STORAGE_FAILED = 8
    TO_EDIT = 9
    TO_MOVE_TO_FILE_SYSTEM = 10
    TO_MOVE_TO_FILE_SYSTEM_FAILED = 11
    TO_IMPORT_FAILED = 12


class VideoPrivacy:
    PUBLIC = 1
    UNLISTED = 2
    PRIVATE = 3
    INTERNAL = 4
    PASSWORD_PROTECTED = 5


class CommentsPolicy:
    ENABLED = 1
    DISABLED = 2
    REQUIRES_APPROVAL = 3


class ThumbnailType:
    MINIATURE = 1   # 280x157, lists
    PREVIEW = 2     # 850x480, player poster


video_tag = sa.Table(
    "video_tag", Base.metadata,
    sa.Column("video_id", sa.ForeignKey("video.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(30), unique=True)


class Video(Timestamps, Base):
    __tablename__ = "video"
    __table_args__ = (
        # the public lists: listed privacy, playable state, newest first
        sa.Index("ix_video_list", "privacy", "state", "published_at"),
        sa.Index("ix_video_channel_published", "channel_id", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))
    category: Mapped[int | None]
    licence: Mapped[int | None]
    language: Mapped[str | None] = mapped_column(sa.String(20))
    privacy: Mapped[int] = mapped_column(sa.SmallInteger)
    nsfw: Mapped[bool] = mapped_column(default=False)
    nsfw_flags: Mapped[int] = mapped_column(default=0)
    nsfw_summary: Mapped[str | None] = mapped_column(sa.Text)
    description: Mapped[str | None] = mapped_column(sa.Text)
    support: Mapped[str | None] = mapped_column(sa.Text)
    duration: Mapped[int] = mapped_column(default=0)  # seconds
    aspect_ratio: Mapped[float | None]
    views: Mapped[int] = mapped_column(default=0)
    likes: Mapped[int] = mapped_column(default=0)
    dislikes: Mapped[int] = mapped_column(default=0)
    comments: Mapped[int] = mapped_column(default=0)
    downloads: Mapped[int] = mapped_column(default=0)
    remote: Mapped[bool] = mapped_column(default=False)
    is_live: Mapped[bool] = mapped_column(default=False)
    url: Mapped[str] = mapped_column(sa.String(2000), unique=True)  # ActivityPub id
    channel_id: Mapped[int] = mapped_column(sa.ForeignKey("video_channel.id", ondelete="CASCADE"))
    state: Mapped[int] = mapped_column(sa.SmallInteger)
    wait_transcoding: Mapped[bool] = mapped_column(default=False)
    comments_policy: Mapped[int] = mapped_column(sa.SmallInteger, default=CommentsPolicy.ENABLED)
    download_enabled: Mapped[bool] = mapped_column(default=True)
    published_at: Mapped[datetime]
    originally_published_at: Mapped[datetime | None]
    input_file_updated_at: Mapped[datetime | None]

    channel: Mapped[VideoChannel] = relationship(lazy="raise")
    tags: Mapped[list[Tag]] = relationship(secondary=video_tag, lazy="raise", order_by=Tag.name)
    thumbnails: Mapped[list[Thumbnail]] = relationship(
        back_populates="video", cascade="all, delete-orphan", passive_deletes=True, lazy="raise")

    @property
    def is_local(self) -> bool:
        return not self.remote


# the lists' default order (`-publishedAt`, ties by id as PeerTube breaks them), walked from the newest
# without sorting: a page costs the same with 100 or 100,000 videos (migration 0007)
sa.Index("ix_video_published_at_id", Video.published_at.desc(), Video.id)


class Thumbnail(Timestamps, Base):
    __tablename__ = "thumbnail"
    __table_args__ = (sa.UniqueConstraint("video_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    type: Mapped[int] = mapped_column(sa.SmallInteger)
    filename: Mapped[str] = mapped_column(sa.String(255), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    file_url: Mapped[str | None] = mapped_column(sa.String(2000))  # remote thumbnails
    on_disk: Mapped[bool] = mapped_column(default=True)
    automatically_generated: Mapped[bool] = mapped_column(default=True)

    video: Mapped[Video] = relationship(back_populates="thumbnails", lazy="raise")
