"""Who may act on a user's security settings (sessions, two-factor): the user, or someone who
manages users and outranks them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import User
from vidpub.errors import ProblemError, forbidden
from vidpub.services.auth.passwords import check_password
from vidpub.services.auth.rights import UserRight, UserRole, can_manage_role, has_right
from vidpub.services.users import get_user


async def user_managed_by(session: AsyncSession, actor: User, user_id: int, *, denied: str) -> User:
    """The target user (404 if unknown) when `actor` may manage their security settings, else 403.

    PeerTube lets anyone with MANAGE_USERS do it; we also require outranking the target (its rule
    for every other user-management action), so a moderator cannot touch an admin's settings."""
    user = await get_user(session, user_id)
    if user.id != actor.id and not (has_right(actor.role, UserRight.MANAGE_USERS)
                                     and can_manage_role(actor.role, user.role)):
        raise forbidden(denied)
    return user


async def check_current_password(actor: User, target_id: int, current: str | None) -> None:
    """A user changing their own settings proves it with their password; an administrator or a
    moderator acting on someone else does not need to (PeerTube's rule)."""
    if actor.role in (UserRole.ADMINISTRATOR, UserRole.MODERATOR) and target_id != actor.id:
        return
    if not current:
        raise ProblemError(400, "currentPassword is missing")
    if not await check_password(current, actor.password):
        raise ProblemError(403, "currentPassword is invalid.", "current_password_is_invalid")
