"""Video playlists (local and, with federation, remote) and their ordered elements."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, Timestamps
from vidpub.db.models.accounts import Account, VideoChannel


class VideoPlaylistPrivacy:
    PUBLIC = 1
    UNLISTED = 2
    PRIVATE = 3


class VideoPlaylistType:
    REGULAR = 1
    WATCH_LATER = 2


class VideoPlaylist(Timestamps, Base):
    __tablename__ = "video_playlist"
    __table_args__ = (
        # the public list, newest first
        sa.Index("ix_video_playlist_privacy_created_at", "privacy", "created_at"),
        # a channel's playlists in the order its owner chose; positions stay unique (moves go through
        # negative values, see services/playlists/positions.py)
        sa.UniqueConstraint("video_channel_id", "video_channel_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    name: Mapped[str] = mapped_column(sa.String(255))  # the display name
    description: Mapped[str | None] = mapped_column(sa.Text)
    privacy: Mapped[int] = mapped_column(sa.SmallInteger)
    type: Mapped[int] = mapped_column(sa.SmallInteger, default=VideoPlaylistType.REGULAR)
    url: Mapped[str] = mapped_column(sa.String(2000), unique=True)  # ActivityPub id
    owner_account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"), index=True)
    # a deleted channel leaves its playlists to their owner (services.playlists.detach_channel_playlists
    # also makes them private first, as PeerTube does)
    video_channel_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("video_channel.id", ondelete="SET NULL"), index=True)
    video_channel_position: Mapped[int | None]
    # one miniature per playlist: uploaded, or copied from the first video's (`thumbnail_generated`)
    thumbnail_filename: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    thumbnail_width: Mapped[int | None]
    thumbnail_height: Mapped[int | None]
    thumbnail_generated: Mapped[bool] = mapped_column(default=False)
    # a remote playlist's miniature at its origin: fetched into `thumbnail_filename` on its first request
    thumbnail_url: Mapped[str | None] = mapped_column(sa.String(2000))

    owner_account: Mapped[Account] = relationship(lazy="raise")
    video_channel: Mapped[VideoChannel | None] = relationship(lazy="raise")


class VideoPlaylistElement(Timestamps, Base):
    __tablename__ = "video_playlist_element"
    __table_args__ = (
        # positions are 1..n without gaps; unique so that a lost update cannot go unnoticed
        sa.UniqueConstraint("video_playlist_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # ActivityPub id; it holds the row id, so it is written right after the insert
    url: Mapped[str | None] = mapped_column(sa.String(2000), unique=True)
    position: Mapped[int]
    start_timestamp: Mapped[int | None]
    stop_timestamp: Mapped[int | None]
    video_playlist_id: Mapped[int] = mapped_column(sa.ForeignKey("video_playlist.id", ondelete="CASCADE"))
    # a deleted video leaves a "deleted" element behind, as PeerTube shows it
    video_id: Mapped[int | None] = mapped_column(sa.ForeignKey("video.id", ondelete="SET NULL"), index=True)
