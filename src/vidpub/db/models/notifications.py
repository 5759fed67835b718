"""Notifications shown to a user (PeerTube's `userNotification`): a type and the object it is about."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, JSONType, Timestamps


class UserNotificationType:
    NEW_VIDEO_FROM_SUBSCRIPTION = 1
    NEW_COMMENT_ON_MY_VIDEO = 2
    NEW_ABUSE_FOR_MODERATORS = 3
    BLACKLIST_ON_MY_VIDEO = 4
    UNBLACKLIST_ON_MY_VIDEO = 5
    MY_VIDEO_PUBLISHED = 6
    MY_VIDEO_IMPORT_SUCCESS = 7
    MY_VIDEO_IMPORT_ERROR = 8
    NEW_USER_REGISTRATION = 9
    NEW_FOLLOW = 10
    COMMENT_MENTION = 11
    VIDEO_AUTO_BLACKLIST_FOR_MODERATORS = 12
    NEW_INSTANCE_FOLLOWER = 13
    AUTO_INSTANCE_FOLLOWING = 14
    ABUSE_STATE_CHANGE = 15
    ABUSE_NEW_MESSAGE = 16
    NEW_PLUGIN_VERSION = 17
    NEW_PEERTUBE_VERSION = 18
    MY_VIDEO_STUDIO_EDITION_FINISHED = 19
    NEW_USER_REGISTRATION_REQUEST = 20
    NEW_LIVE_FROM_SUBSCRIPTION = 21
    MY_VIDEO_TRANSCRIPTION_GENERATED = 22


def _cascade(target: str) -> sa.ForeignKey:
    return sa.ForeignKey(target, ondelete="CASCADE")


class UserNotification(Timestamps, Base):
    __tablename__ = "user_notification"
    __table_args__ = (
        # the user's list, newest first (and its unread filter)
        sa.Index("ix_user_notification_user_created", "user_id", "created_at"),
        sa.Index("ix_user_notification_user_unread", "user_id", "read"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[int] = mapped_column(sa.SmallInteger)
    read: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict | None] = mapped_column(JSONType)  # PeerTube 8's free-form `data`
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))

    # what the notification is about (a few of these are set); it goes when its object goes
    video_id: Mapped[int | None] = mapped_column(_cascade("video.id"), index=True)
    video_import_id: Mapped[int | None] = mapped_column(_cascade("video_import.id"), index=True)
    account_id: Mapped[int | None] = mapped_column(_cascade("account.id"), index=True)
    actor_follow_id: Mapped[int | None] = mapped_column(_cascade("actor_follow.id"), index=True)
    user_registration_id: Mapped[int | None] = mapped_column(_cascade("user_registration.id"), index=True)
    video_caption_id: Mapped[int | None] = mapped_column(_cascade("video_caption.id"), index=True)
    # (its foreign key is created with the comments table, in a later migration)
    comment_id: Mapped[int | None] = mapped_column(_cascade("video_comment.id"), index=True)
    abuse_id: Mapped[int | None] = mapped_column(_cascade("abuse.id"), index=True)
