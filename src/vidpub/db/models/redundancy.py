"""Video redundancies (PeerTube's `videoRedundancy`): a copy of a video's HLS streaming playlist held
by an instance. Rows held by our server actor are our copies of remote videos; rows held by a remote
server actor are the copies other instances announced (CacheFile) of our videos."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, Timestamps


class VideoRedundancy(Timestamps, Base):
    __tablename__ = "video_redundancy"
    __table_args__ = (sa.UniqueConstraint("actor_id", "video_streaming_playlist_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_streaming_playlist_id: Mapped[int] = mapped_column(
        sa.ForeignKey("video_streaming_playlist.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(sa.String(2000), unique=True)  # the CacheFile's AP id
    file_url: Mapped[str] = mapped_column(sa.String(2000))  # base URL the copy is served under
    expires_on: Mapped[datetime | None] = mapped_column(index=True)
    strategy: Mapped[str | None] = mapped_column(sa.String(20))  # NULL = manual (and remote copies)
