"""Local users, their preferences and notification settings."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, JSONType, Timestamps
from vidpub.db.models.accounts import Account


class User(Timestamps, Base):
    __tablename__ = "user"
    __table_args__ = (
        sa.Index("uq_user_email_lower", sa.func.lower(sa.text("email")), unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(50), unique=True)  # always lower case
    email: Mapped[str] = mapped_column(sa.String(400))
    pending_email: Mapped[str | None] = mapped_column(sa.String(400))
    email_verified: Mapped[bool | None]
    email_public: Mapped[bool] = mapped_column(default=False)
    password: Mapped[str | None] = mapped_column(sa.String(255))  # bcrypt hash
    role: Mapped[int] = mapped_column(sa.SmallInteger)
    admin_flags: Mapped[int] = mapped_column(default=0)
    video_quota: Mapped[int] = mapped_column(sa.BigInteger)
    video_quota_daily: Mapped[int] = mapped_column(sa.BigInteger)
    nsfw_policy: Mapped[str] = mapped_column(sa.String(20))
    nsfw_flags_displayed: Mapped[int] = mapped_column(default=0)
    nsfw_flags_hidden: Mapped[int] = mapped_column(default=0)
    nsfw_flags_blurred: Mapped[int] = mapped_column(default=0)
    nsfw_flags_warned: Mapped[int] = mapped_column(default=0)
    p2p_enabled: Mapped[bool] = mapped_column(default=True)
    videos_history_enabled: Mapped[bool] = mapped_column(default=True)
    auto_play_video: Mapped[bool] = mapped_column(default=True)
    auto_play_next_video: Mapped[bool] = mapped_column(default=False)
    auto_play_next_video_playlist: Mapped[bool] = mapped_column(default=True)
    video_languages: Mapped[list[str] | None] = mapped_column(JSONType)
    language: Mapped[str | None] = mapped_column(sa.String(20))
    theme: Mapped[str] = mapped_column(sa.String(255), default="instance-default")
    blocked: Mapped[bool] = mapped_column(default=False)
    blocked_reason: Mapped[str | None] = mapped_column(sa.Text)
    no_instance_config_warning_modal: Mapped[bool] = mapped_column(default=False)
    no_welcome_modal: Mapped[bool] = mapped_column(default=False)
    no_account_setup_warning_modal: Mapped[bool] = mapped_column(default=False)
    new_features_info_read: Mapped[int] = mapped_column(default=0)
    plugin_auth: Mapped[str | None] = mapped_column(sa.String(255))
    otp_secret: Mapped[str | None] = mapped_column(sa.String(255))  # encrypted with the instance secret
    feed_token: Mapped[str | None] = mapped_column(sa.String(36), unique=True)
    last_login_date: Mapped[datetime | None]

    account: Mapped[Account] = relationship(lazy="joined", uselist=False)
    notification_setting: Mapped[UserNotificationSetting] = relationship(
        back_populates="user", uselist=False, cascade="all, delete-orphan", passive_deletes=True)


class NotificationSettingValue:
    NONE = 0
    WEB = 1
    EMAIL = 2
    BOTH = 3


class UserNotificationSetting(Timestamps, Base):
    """How a user wants to hear about each kind of event (bit 1 = web, bit 2 = email)."""

    __tablename__ = "user_notification_setting"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    new_video_from_subscription: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    new_comment_on_my_video: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    abuse_as_moderator: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.BOTH)
    video_auto_blacklist_as_moderator: Mapped[int] = mapped_column(
        sa.SmallInteger, default=NotificationSettingValue.BOTH)
    blacklist_on_my_video: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.BOTH)
    my_video_published: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    my_video_import_finished: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    new_user_registration: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    new_follow: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    comment_mention: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    new_instance_follower: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    auto_instance_following: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    abuse_state_change: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    abuse_new_message: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    new_peertube_version: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    new_plugin_version: Mapped[int] = mapped_column(sa.SmallInteger, default=NotificationSettingValue.WEB)
    my_video_studio_edition_finished: Mapped[int] = mapped_column(
        sa.SmallInteger, default=NotificationSettingValue.WEB)
    my_video_transcription_generated: Mapped[int] = mapped_column(
        sa.SmallInteger, default=NotificationSettingValue.WEB)

    user: Mapped[User] = relationship(back_populates="notification_setting")
