"""Comments on videos (local and, with federation, remote), and the accounts they mention.

A comment starting a thread has neither `origin_comment_id` (the thread's first comment) nor
`in_reply_to_comment_id` (the comment answered); replies carry both. A deleted comment stays as a
tombstone, as in PeerTube: text emptied, account unset, `deleted_at` set — its replies still hang
from it and its ActivityPub id stays answered.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, Timestamps
from vidpub.db.models.accounts import Account
from vidpub.db.models.videos import Video


class VideoComment(Timestamps, Base):
    __tablename__ = "video_comment"
    __table_args__ = (
        # a video's threads, and one thread's comments
        sa.Index("ix_video_comment_video_origin", "video_id", "origin_comment_id"),
        # the instance-wide moderation list, newest first
        sa.Index("ix_video_comment_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(sa.String(2000), unique=True)  # ActivityPub id
    text: Mapped[str] = mapped_column(sa.Text)  # markdown as written ('' once deleted)
    held_for_review: Mapped[bool] = mapped_column(default=False)
    # where remote instances ask for the approval of a reply (ActivityPub `replyApproval`)
    reply_approval: Mapped[str | None] = mapped_column(sa.String(2000))
    origin_comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("video_comment.id", ondelete="CASCADE"))
    in_reply_to_comment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("video_comment.id", ondelete="CASCADE"), index=True)
    video_id: Mapped[int] = mapped_column(sa.ForeignKey("video.id", ondelete="CASCADE"))
    account_id: Mapped[int | None] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"), index=True)
    deleted_at: Mapped[datetime | None]

    account: Mapped[Account | None] = relationship(lazy="raise")
    video: Mapped[Video] = relationship(lazy="raise")

    @property
    def thread_id(self) -> int:
        return self.origin_comment_id or self.id

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class VideoCommentMention(Base):
    """An account named in a comment (`@name` or `@name@host`): notified now, and the comment's
    ActivityPub `Mention` tags later."""

    __tablename__ = "video_comment_mention"

    comment_id: Mapped[int] = mapped_column(sa.ForeignKey("video_comment.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)
