"""Abuse reports (PeerTube's `abuse`, `videoAbuse`, `commentAbuse`, `abuseMessage`).

A report is about a video, a comment or an account (`flagged_type`); the flagged account is always
set (a video's owner, a comment's author). Its reporter may be remote (a `Flag` received from another
instance). The objects may go while the report stays: PeerTube keeps a reported video's essential data
(`deletedVideo`) so that moderators still see what was reported, and so does `video_snapshot` here;
the foreign keys are then set to NULL.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, JSONType, Timestamps


class AbuseState:
    PENDING = 1
    REJECTED = 2
    ACCEPTED = 3


class AbuseFlaggedType:
    VIDEO = "video"
    COMMENT = "comment"
    ACCOUNT = "account"


def _set_null(target: str) -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete="SET NULL")


class Abuse(Timestamps, Base):
    __tablename__ = "abuse"
    __table_args__ = (sa.Index("ix_abuse_created_at", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(sa.Text)
    # PeerTube's predefined reason numbers (1 violentOrRepulsive ... 8 captions)
    predefined_reasons: Mapped[list | None] = mapped_column(JSONType)
    state: Mapped[int] = mapped_column(sa.SmallInteger, default=AbuseState.PENDING)
    moderation_comment: Mapped[str | None] = mapped_column(sa.Text)
    processed_at: Mapped[datetime | None]
    flagged_type: Mapped[str] = mapped_column(sa.String(10))
    # the Flag's id for a report received from another instance (local reports: /admin/abuses/<id>)
    url: Mapped[str | None] = mapped_column(sa.String(2000), unique=True)

    reporter_account_id: Mapped[int | None] = mapped_column(_set_null("account.id"), index=True)
    flagged_account_id: Mapped[int | None] = mapped_column(_set_null("account.id"), index=True)
    video_id: Mapped[int | None] = mapped_column(_set_null("video.id"), index=True)
    comment_id: Mapped[int | None] = mapped_column(_set_null("video_comment.id"), index=True)
    start_at: Mapped[int | None]  # seconds into the video
    end_at: Mapped[int | None]
    # what the report showed of the video when it was made: {id, uuid, name, nsfw, channel}
    video_snapshot: Mapped[dict | None] = mapped_column(JSONType)


class AbuseMessage(Timestamps, Base):
    __tablename__ = "abuse_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    message: Mapped[str] = mapped_column(sa.Text)
    by_moderator: Mapped[bool] = mapped_column(default=False)
    abuse_id: Mapped[int] = mapped_column(sa.ForeignKey("abuse.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(_set_null("account.id"), index=True)
