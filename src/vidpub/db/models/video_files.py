"""Playable files of a video: web videos (progressive MP4), HLS playlists with their fragmented MP4s,
and the source the uploader sent."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, JSONType, Timestamps, utcnow


class FileStorage:
    FILE_SYSTEM = 0
    OBJECT_STORAGE = 1


class StreamingPlaylistType:
    HLS = 1


class FileFormat:
    """PeerTube's `VideoFileFormatFlag` bits."""
    NONE = 0
    WEB_VIDEO = 1
    FRAGMENTED = 2


class FileStream:
    """PeerTube's `VideoFileStream` bits."""
    NONE = 0
    VIDEO = 1
    AUDIO = 2


class VideoStreamingPlaylist(Timestamps, Base):
    __tablename__ = "video_streaming_playlist"
    __table_args__ = (sa.UniqueConstraint("video_id", "type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    type: Mapped[int] = mapped_column(sa.SmallInteger, default=StreamingPlaylistType.HLS)
    playlist_filename: Mapped[str] = mapped_column(sa.String(255))
    segments_sha256_filename: Mapped[str] = mapped_column(sa.String(255))
    playlist_url: Mapped[str | None] = mapped_column(sa.String(2000))        # remote videos
    segments_sha256_url: Mapped[str | None] = mapped_column(sa.String(2000))  # remote videos
    p2p_media_loader_infohashes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    p2p_media_loader_peer_version: Mapped[int] = mapped_column(default=2)
    storage: Mapped[int] = mapped_column(sa.SmallInteger, default=FileStorage.FILE_SYSTEM)

    files: Mapped[list[VideoFile]] = relationship(
        back_populates="streaming_playlist", lazy="raise", order_by="VideoFile.resolution.desc()",
        passive_deletes=True)


class VideoFile(Timestamps, Base):
    """One rendition. Web videos hang off the video; HLS files off their streaming playlist."""

    __tablename__ = "video_file"
    __table_args__ = (
        sa.CheckConstraint("(video_id IS NULL) <> (video_streaming_playlist_id IS NULL)", name="one_owner"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int | None] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"), index=True)
    video_streaming_playlist_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("video_streaming_playlist.id", ondelete="CASCADE"), index=True)
    resolution: Mapped[int]
    width: Mapped[int | None]
    height: Mapped[int | None]
    fps: Mapped[float] = mapped_column(default=-1)
    size: Mapped[int] = mapped_column(sa.BigInteger)
    extname: Mapped[str] = mapped_column(sa.String(10))
    filename: Mapped[str] = mapped_column(sa.String(255), unique=True)
    torrent_filename: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    info_hash: Mapped[str | None] = mapped_column(sa.String(40))
    format_flags: Mapped[int] = mapped_column(sa.SmallInteger, default=FileFormat.WEB_VIDEO)
    stream_flags: Mapped[int] = mapped_column(sa.SmallInteger, default=FileStream.VIDEO | FileStream.AUDIO)
    metadata_json: Mapped[dict | None] = mapped_column(JSONType)  # ffprobe-style streams/format
    storage: Mapped[int] = mapped_column(sa.SmallInteger, default=FileStorage.FILE_SYSTEM)
    # remote files
    file_url: Mapped[str | None] = mapped_column(sa.String(2000))
    torrent_url: Mapped[str | None] = mapped_column(sa.String(2000))
    metadata_url: Mapped[str | None] = mapped_column(sa.String(2000))

    streaming_playlist: Mapped[VideoStreamingPlaylist | None] = relationship(back_populates="files", lazy="raise")

    @property
    def has_video(self) -> bool:
        return bool(self.stream_flags & FileStream.VIDEO)

    @property
    def has_audio(self) -> bool:
        return bool(self.stream_flags & FileStream.AUDIO)


class VideoSource(Base):
    """What the uploader sent: its name and properties, and the kept original when configured."""

    __tablename__ = "video_source"

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"), index=True)
    input_filename: Mapped[str] = mapped_column(sa.String(255))
    kept_original_filename: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    resolution: Mapped[int | None]
    width: Mapped[int | None]
    height: Mapped[int | None]
    fps: Mapped[float | None]
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    metadata_json: Mapped[dict | None] = mapped_column(JSONType)
    storage: Mapped[int] = mapped_column(sa.SmallInteger, default=FileStorage.FILE_SYSTEM)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
