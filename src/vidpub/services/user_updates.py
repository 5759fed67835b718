"""Changes to a user: by the user (settings, email, password) and by moderators (role, quota, block)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import OAuthToken, User
from vidpub.errors import ProblemError, conflict, forbidden, invalid_param
from vidpub.schemas.users import UserUpdate, UserUpdateMe
from vidpub.services import verification
from vidpub.services.auth.passwords import check_password, hash_password, password_too_long
from vidpub.services.auth.rights import UserRole
from vidpub.services.users import find_by_email

_ME_FIELDS = {
    "nsfwPolicy": "nsfw_policy", "nsfwFlagsDisplayed": "nsfw_flags_displayed",
    "nsfwFlagsHidden": "nsfw_flags_hidden", "nsfwFlagsBlurred": "nsfw_flags_blurred",
    "nsfwFlagsWarned": "nsfw_flags_warned", "p2pEnabled": "p2p_enabled", "autoPlayVideo": "auto_play_video",
    "autoPlayNextVideo": "auto_play_next_video", "autoPlayNextVideoPlaylist": "auto_play_next_video_playlist",
    "videosHistoryEnabled": "videos_history_enabled", "videoLanguages": "video_languages",
    "language": "language", "emailPublic": "email_public", "theme": "theme",
    "noInstanceConfigWarningModal": "no_instance_config_warning_modal", "noWelcomeModal": "no_welcome_modal",
    "noAccountSetupWarningModal": "no_account_setup_warning_modal",
}


def check_password_rules(config: Config, password: str, field: str = "password") -> None:
    minimum = int(config.user.password_constraints.min_length)
    if len(password) < minimum or password_too_long(password):
        raise invalid_param(field, None, f"Should have a password of at least {minimum} characters "
                                         "and at most 72 bytes")


async def _require_current_password(user: User, current: str | None) -> None:
    if not current or not await check_password(current, user.password):
        raise ProblemError(401, "currentPassword is invalid.")


async def update_me(session: AsyncSession, config: Config, user: User, body: UserUpdateMe) -> None:
    changes = body.model_dump(exclude_unset=True)
    if "password" in changes and changes["password"] is not None:
        if user.plugin_auth:
            raise ProblemError(400, "Cannot change the password of a user authenticated by a plugin")
        await _require_current_password(user, body.currentPassword)
        check_password_rules(config, body.password)
        user.password = await hash_password(body.password)
    if "email" in changes and changes["email"] is not None and body.email.lower() != user.email.lower():
        await _require_current_password(user, body.currentPassword)
        if await find_by_email(session, body.email):
            raise conflict("Email already exists.")
        if config.signup.requires_email_verification:
            user.pending_email = body.email
            verification.send_email_verification(session, config, user, body.email)
        else:
            user.email = body.email
    for field, column in _ME_FIELDS.items():
        if field in changes and changes[field] is not None:
            setattr(user, column, changes[field])
    account = user.account
    if body.displayName is not None:
        account.name = body.displayName
    if "description" in changes:
        account.description = body.description or None
    await session.commit()


async def update_by_moderator(session: AsyncSession, config: Config, actor_role: int, user: User,
                              body: UserUpdate) -> None:
    changes = body.model_dump(exclude_unset=True)
    if body.role is not None:
        if body.role not in tuple(UserRole):
            raise invalid_param("role", body.role, "Should have a valid role")
        if actor_role != UserRole.ADMINISTRATOR and body.role != UserRole.USER:
            raise forbidden("Only an administrator can give this role")
        if user.username == "root" and body.role != UserRole.ADMINISTRATOR:
            raise invalid_param("role", body.role, "Cannot change the role of the root user")
        user.role = body.role
    if body.email is not None and body.email.lower() != user.email.lower():
        if await find_by_email(session, body.email):
            raise conflict("Email already exists.")
        user.email = body.email
    if body.password is not None:
        check_password_rules(config, body.password)
        user.password = await hash_password(body.password)
    for field, column in (("emailVerified", "email_verified"), ("videoQuota", "video_quota"),
                          ("videoQuotaDaily", "video_quota_daily"), ("adminFlags", "admin_flags")):
        if changes.get(field) is not None:
            setattr(user, column, changes[field])
    if "pluginAuth" in changes:
        user.plugin_auth = body.pluginAuth
    if body.password is not None or body.role is not None:
        # a new password or role takes effect everywhere: other sessions must log in again
        await session.execute(sa.delete(OAuthToken).where(OAuthToken.user_id == user.id))
    await session.commit()


async def set_blocked(session: AsyncSession, user: User, blocked: bool, reason: str | None) -> None:
    if user.username == "root":
        raise ProblemError(400, "Cannot block the root user")
    user.blocked = blocked
    user.blocked_reason = reason if blocked else None
    if blocked:
        await session.execute(sa.delete(OAuthToken).where(OAuthToken.user_id == user.id))
    await session.commit()
