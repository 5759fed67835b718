"""A local channel kept in step with an external one (YouTube channel, playlist...): its videos are
imported once, then the newest ones regularly (`import.video_channel_synchronization`)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, Timestamps
from vidpub.db.models.accounts import VideoChannel


class VideoChannelSyncState:
    WAITING_FIRST_RUN = 1
    PROCESSING = 2
    SYNCED = 3
    FAILED = 4


class VideoChannelSync(Timestamps, Base):
    __tablename__ = "video_channel_sync"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_channel_url: Mapped[str] = mapped_column(sa.String(2000))
    state: Mapped[int] = mapped_column(sa.SmallInteger, default=VideoChannelSyncState.WAITING_FIRST_RUN)
    last_sync_at: Mapped[datetime | None]
    channel_id: Mapped[int] = mapped_column(sa.ForeignKey("video_channel.id", ondelete="CASCADE"), index=True)

    channel: Mapped[VideoChannel] = relationship(lazy="raise")
