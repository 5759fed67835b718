"""Changes to a user: by the user (settings, email, password) and by moderators (creation, role, quota,
block)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User
from vidpub.errors import ProblemError, conflict, forbidden, invalid_param
from vidpub.schemas.users import UserCreate, UserUpdate, UserUpdateMe
from vidpub.services import verification
from vidpub.services.auth import tokens
from vidpub.services.auth.passwords import check_password, hash_password
from vidpub.services.auth.rights import UserRole
from vidpub.services.mail import queue_email
from vidpub.services import users
from vidpub.services.mail import smtp_enabled
from vidpub.services.users import check_password_rules, email_taken, ensure_can_moderate, is_root

# The web client's interface languages (PeerTube's locales and their short aliases): `language`
# picks the one used for this user's mails and pages.
UI_LOCALES = frozenset({
    "en-US", "ar", "ca-ES", "cs-CZ", "de-DE", "el-GR", "eo", "es-ES", "eu-ES", "fa-IR", "fi-FI", "fr-FR",
    "gd", "gl-ES", "hr", "hu-HU", "is", "it-IT", "ja-JP", "kab", "nb-NO", "nl-NL", "nn", "oc", "pl-PL",
    "pt-BR", "pt-PT", "ru-RU", "sq", "sv-SE", "th-TH", "tok", "tr-TR", "uk-UA", "vi-VN", "zh-Hans-CN",
    "zh-Hant-TW", "en", "ca", "cs", "de", "el", "es", "eu", "fa", "fi", "fr", "gl", "hu", "it", "ja", "nb",
    "nl", "pl", "pt", "ru", "sv", "th", "tr", "uk", "vi", "zh",
})
# No theme plugin can be installed yet: the instance's choice and PeerTube 8's built-in themes.
BUILT_IN_THEMES = frozenset({"instance-default", "default", "peertube-core-light-beige",
                             "peertube-core-dark-brown"})

_ME_COLUMNS = {
    "nsfwPolicy": "nsfw_policy", "nsfwFlagsDisplayed": "nsfw_flags_displayed",
    "nsfwFlagsHidden": "nsfw_flags_hidden", "nsfwFlagsBlurred": "nsfw_flags_blurred",
    "nsfwFlagsWarned": "nsfw_flags_warned", "p2pEnabled": "p2p_enabled", "autoPlayVideo": "auto_play_video",
    "autoPlayNextVideo": "auto_play_next_video", "autoPlayNextVideoPlaylist": "auto_play_next_video_playlist",
    "videosHistoryEnabled": "videos_history_enabled", "videoLanguages": "video_languages",
    "language": "language", "emailPublic": "email_public", "theme": "theme",
    "noInstanceConfigWarningModal": "no_instance_config_warning_modal", "noWelcomeModal": "no_welcome_modal",
    "noAccountSetupWarningModal": "no_account_setup_warning_modal",
}
_MODERATOR_COLUMNS = {"emailVerified": "email_verified", "videoQuota": "video_quota",
                      "videoQuotaDaily": "video_quota_daily", "adminFlags": "admin_flags",
                      "pluginAuth": "plugin_auth"}
_NSFW_FLAG_FIELDS = ("nsfwFlagsDisplayed", "nsfwFlagsHidden", "nsfwFlagsBlurred", "nsfwFlagsWarned")


def _refuse_nulls(body: UserUpdate | UserUpdateMe) -> None:
    for field in body.model_fields_set:
        if getattr(body, field) is None and field not in body.NULLABLE:
            raise invalid_param(field, None, "Should not be null")


def _check_nsfw_flags(body: UserUpdateMe) -> None:
    seen = 0
    for field in _NSFW_FLAG_FIELDS:
        flags = getattr(body, field) or 0
        if flags & seen:
            raise invalid_param(field, flags, "Cannot use same flags in nsfwFlagsDisplayed, nsfwFlagsHidden, "
                                              "nsfwFlagsBlurred and nsfwFlagsWarned at the same time")
        seen |= flags


async def _require_current_password(user: User, current: str | None) -> None:
    if not current:
        raise invalid_param("currentPassword", None, "currentPassword parameter is missing")
    if not await check_password(current, user.password):
        raise ProblemError(401, "currentPassword is invalid.", "current_password_is_invalid")


async def update_me(session: AsyncSession, config: Config, user: User, body: UserUpdateMe,
                    current_token_id: int | None = None) -> None:
    fields = body.model_fields_set
    _refuse_nulls(body)
    _check_nsfw_flags(body)
    if body.language is not None and body.language not in UI_LOCALES:
        raise invalid_param("language", body.language, "Should have a valid language")
    if body.theme is not None and body.theme not in BUILT_IN_THEMES:
        raise invalid_param("theme", body.theme, "Should have a valid theme")

    if body.password is not None or body.email is not None:
        if user.plugin_auth is not None:
            raise ProblemError(400, "You cannot update your email or password that is associated with an "
                                    "external auth system.")
        await _require_current_password(user, body.currentPassword)
    if body.password is not None:
        check_password_rules(config, body.password)
        user.password = await hash_password(body.password)
        # other sessions end with the old password; the one changing it stays logged in
        await tokens.revoke_all_for_user(session, user.id, except_id=current_token_id)
    if body.email is not None and body.email.lower() != user.email.lower():
        if await email_taken(session, body.email, except_user_id=user.id):
            raise conflict("User with this email already exists.")
        if config.signup.requires_email_verification:
            user.pending_email = body.email
            verification.send_email_verification(session, config, user, body.email)
        else:
            user.email = body.email

    for field, column in _ME_COLUMNS.items():
        if field in fields:
            setattr(user, column, getattr(body, field))
    if "displayName" in fields:
        user.account.name = body.displayName
    if "description" in fields:
        user.account.description = body.description
    await session.commit()


async def mark_feature_info_read(session: AsyncSession, user: User, feature: int) -> None:
    user.new_features_info_read = user.new_features_info_read | feature
    await session.commit()


async def update_by_moderator(session: AsyncSession, config: Config, manager: User, user: User,
                              body: UserUpdate) -> None:
    fields = body.model_fields_set
    _refuse_nulls(body)
    role_changed = body.role is not None and body.role != user.role
    if body.role is not None:
        if body.role not in tuple(UserRole):
            raise invalid_param("role", body.role, "Should have a valid role")
        if is_root(user) and role_changed:
            raise invalid_param("role", body.role, "Cannot change root role.")
    ensure_can_moderate(manager, user)
    if role_changed and manager.role != UserRole.ADMINISTRATOR and body.role != UserRole.USER:
        raise forbidden("Only an administrator can give this role")

    if body.email is not None and body.email.lower() != user.email.lower():
        if await email_taken(session, body.email, except_user_id=user.id):
            raise conflict("User with this email already exists.")
        user.email = body.email
    if body.password is not None:
        user.password = await hash_password(check_password_rules(config, body.password))
    if body.role is not None:
        user.role = body.role
    for field, column in _MODERATOR_COLUMNS.items():
        if field in fields:
            setattr(user, column, getattr(body, field))
    if role_changed or body.password is not None:
        # a new role or password takes effect everywhere: every session must log in again
        await tokens.revoke_all_for_user(session, user.id)
    await session.commit()


async def set_blocked(session: AsyncSession, config: Config, manager: User, user: User, blocked: bool,
                      reason: str | None) -> None:
    if is_root(user):
        raise ProblemError(400, "Cannot block the root user")
    ensure_can_moderate(manager, user)
    user.blocked = blocked
    user.blocked_reason = reason if blocked else None
    # PeerTube ends the sessions both ways: a blocked user is out at once, an unblocked one starts afresh
    await tokens.revoke_all_for_user(session, user.id)
    _send_block_mail(session, config, user, blocked, reason)
    await session.commit()


def _send_block_mail(session: AsyncSession, config: Config, user: User, blocked: bool,
                     reason: str | None) -> None:
    name = config.instance.name
    if blocked:
        text = f"Your account {user.username} on {name} has been blocked."
        if reason:
            text += f"\n\nReason: {reason}"
        queue_email(session, config, [user.email], f"Account {user.username} blocked", text)
    else:
        queue_email(session, config, [user.email], f"Account {user.username} unblocked",
                    f"Your account {user.username} on {name} has been unblocked: you can log in again.")


async def create_by_staff(session: AsyncSession, config: Config, staff: User, body: UserCreate) -> User:
    """An administrator or moderator creates a user (moderators: plain users only)."""
    if body.role not in tuple(UserRole):
        raise invalid_param("role", body.role, "Should have a valid role")
    if body.password:
        check_password_rules(config, body.password)
    elif not smtp_enabled(config):
        # PeerTube: without a password the user chooses one through a mailed link, so mail must work
        raise invalid_param("password", None, "A password is required when no SMTP server is configured")
    if staff.role != UserRole.ADMINISTRATOR and body.role != UserRole.USER:
        raise forbidden("You can only create users (and not administrators or moderators)")
    user = await users.create_user(session, config, users.NewUser(
        username=body.username, email=str(body.email),
        password_hash=await hash_password(body.password) if body.password else None,
        role=body.role, video_quota=body.videoQuota, video_quota_daily=body.videoQuotaDaily,
        admin_flags=body.adminFlags or 0, channel_name=body.channelName,
        channel_display_name=body.channelName))
    if not body.password:
        verification.send_password_creation(session, config, user)
    await session.commit()
    return user
