"""Resumable upload sessions (PeerTube's uploadx protocol). Rows, not memory: a session survives a
restart and any API process of a scaled deployment can take the next chunk."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, JSONType, Timestamps


class UploadSession(Timestamps, Base):
    __tablename__ = "upload_session"

    id: Mapped[str] = mapped_column(sa.String(64), primary_key=True)  # upload_id, derived from the metadata
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(30))  # 'video', 'source-replace', 'user-import'
    filename: Mapped[str] = mapped_column(sa.String(255))
    mime_type: Mapped[str] = mapped_column(sa.String(255))
    size: Mapped[int] = mapped_column(sa.BigInteger)
    bytes_written: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    metadata_json: Mapped[dict] = mapped_column(JSONType, default=dict)  # the init request's body
    video_id: Mapped[int | None] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    completed_at: Mapped[datetime | None]  # remembered a while so a re-sent last chunk is answered
    result: Mapped[dict | None] = mapped_column(JSONType)
    expires_at: Mapped[datetime] = mapped_column(index=True)
