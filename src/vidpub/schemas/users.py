"""Users, My User and Register tags: the user as PeerTube shows it, and the bodies it accepts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import EmailStr, Field, StringConstraints

from vidpub.config import Config
from vidpub.db.models import User
from vidpub.schemas.actors import Account, VideoChannel, account_json, channel_json
from vidpub.schemas.common import ApiModel, Timestamp
from vidpub.services.auth.rights import ROLE_LABELS, UserRole

NSFWPolicy = Literal["display", "blur", "do_not_list", "warn"]
Password = Annotated[str, StringConstraints(min_length=1, max_length=255)]
DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=120)]


class RoleLabel(ApiModel):
    id: int
    label: str


class NotificationSettings(ApiModel):
    abuseAsModerator: int
    videoAutoBlacklistAsModerator: int
    newUserRegistration: int
    newVideoFromSubscription: int
    blacklistOnMyVideo: int
    myVideoPublished: int
    myVideoImportFinished: int
    commentMention: int
    newCommentOnMyVideo: int
    newFollow: int
    newInstanceFollower: int
    autoInstanceFollowing: int
    abuseStateChange: int
    abuseNewMessage: int
    newPeerTubeVersion: int
    newPluginVersion: int
    myVideoStudioEditionFinished: int
    myVideoTranscriptionGenerated: int


class UserJson(ApiModel):
    id: int
    username: str
    email: str
    pendingEmail: str | None
    emailVerified: bool | None
    emailPublic: bool
    nsfwPolicy: str
    nsfwFlagsDisplayed: int
    nsfwFlagsHidden: int
    nsfwFlagsBlurred: int
    nsfwFlagsWarned: int
    adminFlags: int
    autoPlayVideo: bool
    autoPlayNextVideo: bool
    autoPlayNextVideoPlaylist: bool
    p2pEnabled: bool
    videosHistoryEnabled: bool
    videoLanguages: list[str] | None
    language: str | None
    role: RoleLabel
    videoQuota: int
    videoQuotaDaily: int
    videoQuotaUsed: int
    videoQuotaUsedDaily: int
    theme: str
    account: Account
    notificationSettings: NotificationSettings
    videoChannels: list[VideoChannel]
    blocked: bool
    blockedReason: str | None
    noInstanceConfigWarningModal: bool
    noWelcomeModal: bool
    noAccountSetupWarningModal: bool
    createdAt: Timestamp
    pluginAuth: str | None
    lastLoginDate: Timestamp | None
    twoFactorEnabled: bool
    newFeaturesInfoRead: int
    # with ?withStats=true (moderators and administrators)
    videosCount: int | None = None
    abusesCount: int | None = None
    abusesAcceptedCount: int | None = None
    abusesCreatedCount: int | None = None
    videoCommentsCount: int | None = None
    totalVideoFileSize: int | None = None


class SpecialPlaylist(ApiModel):
    id: int
    name: str
    type: int


class MyUserJson(UserJson):
    specialPlaylists: list[SpecialPlaylist]


def notification_settings_json(setting) -> NotificationSettings:
    return NotificationSettings(
        abuseAsModerator=setting.abuse_as_moderator,
        videoAutoBlacklistAsModerator=setting.video_auto_blacklist_as_moderator,
        newUserRegistration=setting.new_user_registration,
        newVideoFromSubscription=setting.new_video_from_subscription,
        blacklistOnMyVideo=setting.blacklist_on_my_video,
        myVideoPublished=setting.my_video_published,
        myVideoImportFinished=setting.my_video_import_finished,
        commentMention=setting.comment_mention,
        newCommentOnMyVideo=setting.new_comment_on_my_video,
        newFollow=setting.new_follow,
        newInstanceFollower=setting.new_instance_follower,
        autoInstanceFollowing=setting.auto_instance_following,
        abuseStateChange=setting.abuse_state_change,
        abuseNewMessage=setting.abuse_new_message,
        newPeerTubeVersion=setting.new_peertube_version,
        newPluginVersion=setting.new_plugin_version,
        myVideoStudioEditionFinished=setting.my_video_studio_edition_finished,
        myVideoTranscriptionGenerated=setting.my_video_transcription_generated,
    )


def user_fields(user: User, config: Config, quota_used: tuple[int, int] = (0, 0)) -> dict:
    account = user.account
    base_url, host = config.url, config.host
    return dict(
        id=user.id, username=user.username, email=user.email, pendingEmail=user.pending_email,
        emailVerified=user.email_verified, emailPublic=user.email_public, nsfwPolicy=user.nsfw_policy,
        nsfwFlagsDisplayed=user.nsfw_flags_displayed, nsfwFlagsHidden=user.nsfw_flags_hidden,
        nsfwFlagsBlurred=user.nsfw_flags_blurred, nsfwFlagsWarned=user.nsfw_flags_warned,
        adminFlags=user.admin_flags, autoPlayVideo=user.auto_play_video,
        autoPlayNextVideo=user.auto_play_next_video,
        autoPlayNextVideoPlaylist=user.auto_play_next_video_playlist, p2pEnabled=user.p2p_enabled,
        videosHistoryEnabled=user.videos_history_enabled, videoLanguages=user.video_languages,
        language=user.language,
        role=RoleLabel(id=user.role, label=ROLE_LABELS[UserRole(user.role)]),
        videoQuota=user.video_quota, videoQuotaDaily=user.video_quota_daily,
        videoQuotaUsed=quota_used[0], videoQuotaUsedDaily=quota_used[1], theme=user.theme,
        account=account_json(account, base_url, host),
        notificationSettings=notification_settings_json(user.notification_setting),
        videoChannels=[channel_json(c, base_url, host, owner=account) for c in account.channels],
        blocked=user.blocked, blockedReason=user.blocked_reason,
        noInstanceConfigWarningModal=user.no_instance_config_warning_modal,
        noWelcomeModal=user.no_welcome_modal, noAccountSetupWarningModal=user.no_account_setup_warning_modal,
        createdAt=user.created_at, pluginAuth=user.plugin_auth, lastLoginDate=user.last_login_date,
        twoFactorEnabled=user.otp_secret is not None, newFeaturesInfoRead=user.new_features_info_read,
    )


def user_json(user: User, config: Config, quota_used: tuple[int, int] = (0, 0)) -> UserJson:
    return UserJson(**user_fields(user, config, quota_used))


def my_user_json(user: User, config: Config, quota_used: tuple[int, int]) -> MyUserJson:
    return MyUserJson(**user_fields(user, config, quota_used), specialPlaylists=[])


# -- request bodies ---------------------------------------------------------------------------------


class UserCreate(ApiModel):
    username: str
    password: Password | None = None
    email: EmailStr
    videoQuota: int | None = Field(default=None, ge=-1)
    videoQuotaDaily: int | None = Field(default=None, ge=-1)
    channelName: str | None = None
    role: int
    adminFlags: int | None = Field(default=None, ge=0)


class UserUpdate(ApiModel):
    password: Password | None = None
    email: EmailStr | None = None
    emailVerified: bool | None = None
    videoQuota: int | None = Field(default=None, ge=-1)
    videoQuotaDaily: int | None = Field(default=None, ge=-1)
    role: int | None = None
    adminFlags: int | None = Field(default=None, ge=0)
    pluginAuth: str | None = None


class UserUpdateMe(ApiModel):
    displayName: DisplayName | None = None
    description: Annotated[str, StringConstraints(max_length=1000)] | None = None
    nsfwPolicy: NSFWPolicy | None = None
    nsfwFlagsDisplayed: int | None = Field(default=None, ge=0)
    nsfwFlagsHidden: int | None = Field(default=None, ge=0)
    nsfwFlagsBlurred: int | None = Field(default=None, ge=0)
    nsfwFlagsWarned: int | None = Field(default=None, ge=0)
    p2pEnabled: bool | None = None
    autoPlayVideo: bool | None = None
    autoPlayNextVideo: bool | None = None
    autoPlayNextVideoPlaylist: bool | None = None
    videosHistoryEnabled: bool | None = None
    videoLanguages: list[Annotated[str, StringConstraints(max_length=20)]] | None = Field(default=None,
                                                                                          max_length=20)
    language: Annotated[str, StringConstraints(max_length=20)] | None = None
    email: EmailStr | None = None
    emailPublic: bool | None = None
    currentPassword: Password | None = None
    password: Password | None = None
    theme: Annotated[str, StringConstraints(max_length=255)] | None = None
    noInstanceConfigWarningModal: bool | None = None
    noWelcomeModal: bool | None = None
    noAccountSetupWarningModal: bool | None = None


class UserIdRef(ApiModel):
    id: int
    account: dict


class AddUserResponse(ApiModel):
    user: UserIdRef


class QuotaUsed(ApiModel):
    videoQuotaUsed: int
    videoQuotaUsedDaily: int
