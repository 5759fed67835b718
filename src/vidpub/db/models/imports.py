"""Videos imported from a URL (yt-dlp) or a torrent."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, JSONType, Timestamps


class VideoImportState:
    PENDING = 1
    SUCCESS = 2
    FAILED = 3
    REJECTED = 4
    CANCELLED = 5
    PROCESSING = 6


class VideoImport(Timestamps, Base):
    __tablename__ = "video_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    target_url: Mapped[str | None] = mapped_column(sa.String(2000))
    magnet_uri: Mapped[str | None] = mapped_column(sa.String(2000))
    torrent_name: Mapped[str | None] = mapped_column(sa.String(255))
    state: Mapped[int] = mapped_column(sa.SmallInteger, default=VideoImportState.PENDING)
    error: Mapped[str | None] = mapped_column(sa.Text)
    attempts: Mapped[int] = mapped_column(default=0)  # downloads started (PeerTube 8 reports it)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    video_id: Mapped[int | None] = mapped_column(sa.ForeignKey("video.id", ondelete="SET NULL"), unique=True)
    attributes: Mapped[dict] = mapped_column(JSONType, default=dict)  # what the creator asked for
