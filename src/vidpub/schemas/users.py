"""Users and My User tags: the user as PeerTube shows it, and the bodies it accepts.

Shapes are the union of the 7.0 spec and PeerTube 8's `User`/`MyUser` interfaces: every documented
field is present, null where unset.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, ClassVar, Literal

from pydantic import EmailStr, Field, StringConstraints

from vidpub.config import Config
from vidpub.db.models import User
from vidpub.schemas.actors import Account, VideoChannel, account_json, channel_json
from vidpub.schemas.common import ApiModel, RequestBody, Timestamp
from vidpub.services.auth.rights import ROLE_LABELS, UserRole

NSFWPolicy = Literal["display", "blur", "do_not_list", "warn"]  # 8.x adds "warn"
DisplayName = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Description = Annotated[str, StringConstraints(min_length=3, max_length=1000)]
MAX_SAFE_INTEGER = 2**53 - 1  # beyond, JavaScript clients lose precision (and BIGINT columns overflow)
Quota = Annotated[int, Field(ge=-1, le=MAX_SAFE_INTEGER)]
AdminFlags = Annotated[int, Field(ge=0, le=1)]       # NONE = 0, BYPASS_VIDEO_AUTO_BLACKLIST = 1
NSFWFlags = Annotated[int, Field(ge=0, le=3)]        # VIOLENT = 1, EXPLICIT_SEX = 2
# Password rules (minimum length from the config, bcrypt's 72 bytes) are checked by the services,
# which never echo a password back in an error.
Password = str


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


class UserWithStatsJson(UserJson):
    """`GET /users/{id}?withStats=true` for moderators and administrators."""
    videosCount: int
    abusesCount: int
    abusesAcceptedCount: int
    abusesCreatedCount: int
    videoCommentsCount: int
    totalVideoFileSize: int


class SpecialPlaylist(ApiModel):
    id: int
    name: str
    type: int


class MyUserJson(UserJson):
    specialPlaylists: list[SpecialPlaylist]
    videoChannelCollaborations: list[VideoChannel]  # 8.x: channels the user collaborates on


class QuotaUsed(ApiModel):
    videoQuotaUsed: int
    videoQuotaUsedDaily: int


class UserIdRef(ApiModel):
    id: int
    account: dict


class AddUserResponse(ApiModel):
    user: UserIdRef


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


def user_with_stats_json(user: User, config: Config, quota_used: tuple[int, int],
                         stats: dict[str, int]) -> UserWithStatsJson:
    return UserWithStatsJson(**user_fields(user, config, quota_used), **stats)


def my_user_json(user: User, config: Config, quota_used: tuple[int, int],
                 special_playlists: Iterable[tuple[int, str, int]] = ()) -> MyUserJson:
    """`special_playlists`: (id, name, type) of the user's "Watch later" (services.playlists.watch_later)."""
    return MyUserJson(**user_fields(user, config, quota_used),
                      specialPlaylists=[SpecialPlaylist(id=id_, name=name, type=type_)
                                        for id_, name, type_ in special_playlists],
                      videoChannelCollaborations=[])


# -- request bodies ---------------------------------------------------------------------------------

class UserCreate(RequestBody):
    username: str
    password: Password | None = None      # empty: the user chooses it through a mailed link
    email: EmailStr
    videoQuota: Quota | None = None
    videoQuotaDaily: Quota | None = None
    channelName: str | None = None
    role: int
    adminFlags: AdminFlags | None = None


class UserUpdate(RequestBody):
    password: Password | None = None
    email: EmailStr | None = None
    emailVerified: bool | None = None
    videoQuota: Quota | None = None
    videoQuotaDaily: Quota | None = None
    role: int | None = None
    adminFlags: AdminFlags | None = None
    pluginAuth: str | None = None

    NULLABLE: ClassVar[frozenset[str]] = frozenset({"pluginAuth"})


class UserUpdateMe(RequestBody):
    displayName: DisplayName | None = None
    description: Description | None = None
    nsfwPolicy: NSFWPolicy | None = None
    nsfwFlagsDisplayed: NSFWFlags | None = None
    nsfwFlagsHidden: NSFWFlags | None = None
    nsfwFlagsBlurred: NSFWFlags | None = None
    nsfwFlagsWarned: NSFWFlags | None = None
    p2pEnabled: bool | None = None
    autoPlayVideo: bool | None = None
    autoPlayNextVideo: bool | None = None
    autoPlayNextVideoPlaylist: bool | None = None
    videosHistoryEnabled: bool | None = None
    videoLanguages: list[Annotated[str, StringConstraints(min_length=1, max_length=20)]] | None = Field(
        default=None, max_length=499)
    language: str | None = None
    email: EmailStr | None = None
    emailPublic: bool | None = None
    currentPassword: Password | None = None
    password: Password | None = None
    theme: Annotated[str, StringConstraints(min_length=1, max_length=255)] | None = None
    noInstanceConfigWarningModal: bool | None = None
    noWelcomeModal: bool | None = None
    noAccountSetupWarningModal: bool | None = None

    # an explicit null clears these; any other field refuses null
    NULLABLE: ClassVar[frozenset[str]] = frozenset({
        "description", "videoLanguages", "language", "currentPassword"})


class NewFeatureInfoRead(RequestBody):
    feature: Annotated[int, Field(ge=0, le=2**31 - 1)]


class EmailBody(RequestBody):
    email: EmailStr


class VerifyEmailBody(RequestBody):
    verificationString: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    isPendingEmail: bool = False


class ResetPasswordBody(RequestBody):
    verificationString: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    password: Password


class BlockBody(RequestBody):
    reason: Annotated[str, StringConstraints(min_length=3, max_length=250)] | None = None
