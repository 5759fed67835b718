"""Users tag: administration of users (moderators manage plain users only), email verification,
password reset and blocking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response

from vidpub.api.deps import MAX_ID, ConfigDep, CurrentUser, Pagination, RuntimeDep, SessionDep, client_ip, \
    exempt_from_rate_limits, pagination, require_right
from vidpub.db.models import User
from vidpub.errors import ProblemError, forbidden, invalid_param
from vidpub.schemas.common import Page
from vidpub.schemas.users import (AddUserResponse, BlockBody, EmailBody, ResetPasswordBody, UserCreate,
                                  UserIdRef, UserJson, UserUpdate, UserWithStatsJson, VerifyEmailBody,
                                  user_json, user_with_stats_json)
from vidpub.services import user_updates, users, verification
from vidpub.services.auth.passwords import hash_password
from vidpub.services.auth.rights import UserRight, UserRole, has_right
from vidpub.services.mail import smtp_enabled

router = APIRouter(tags=["Users"])

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]
# plain text matched with LIKE; U+0000 cannot reach PostgreSQL
SearchQuery = Annotated[str | None, Query(max_length=250, pattern="^[^\x00]*$")]
ManageUsers = require_right(UserRight.MANAGE_USERS)
Manager = Annotated[User, ManageUsers]


@router.get("/users", response_model=Page[UserJson], operation_id="getUsers", dependencies=[ManageUsers])
async def list_users(session: SessionDep, config: ConfigDep,
                     page: Pagination = pagination("-createdAt", set(users.USER_SORTS)),
                     search: SearchQuery = None,
                     blocked: bool | None = None,
                     role: Annotated[int | None, Query(ge=0, le=2)] = None):
    total, rows = await users.list_users(session, start=page.start, count=page.count, sort=page.sort,
                                         search=search, blocked=blocked, role=role)
    data = [user_json(u, config, await users.video_quota_used(session, u)) for u in rows]
    return Page[UserJson](total=total, data=data)


@router.post("/users", response_model=AddUserResponse, operation_id="addUser")
async def create_user(body: UserCreate, session: SessionDep, config: ConfigDep, me: Manager):
    if body.role not in tuple(UserRole):
        raise invalid_param("role", body.role, "Should have a valid role")
    if body.password:
        users.check_password_rules(config, body.password)
    elif not smtp_enabled(config):
        # PeerTube: without a password the user chooses one through a mailed link, so mail must work
        raise invalid_param("password", None, "A password is required when no SMTP server is configured")
    if me.role != UserRole.ADMINISTRATOR and body.role != UserRole.USER:
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
    return AddUserResponse(user=UserIdRef(id=user.id, account={"id": user.account.id}))


@router.get("/users/{id}", response_model=UserWithStatsJson | UserJson, operation_id="getUser")
async def get_user(id: IdPath, session: SessionDep, config: ConfigDep, me: CurrentUser,
                   withStats: bool = False):
    # PeerTube needs MANAGE_USERS here; everyone may also read their own user (what /users/me shows)
    is_manager = has_right(me.role, UserRight.MANAGE_USERS)
    if id != me.id and not is_manager:
        raise forbidden(f"User {me.username} does not have right MANAGE_USERS to access to "
                        f"/api/v1/users/{id}.")
    user = await users.get_user(session, id)
    quota = await users.video_quota_used(session, user)
    if withStats and is_manager:
        return user_with_stats_json(user, config, quota, await users.user_stats(session, user))
    return user_json(user, config, quota)


@router.put("/users/{id}", status_code=204, operation_id="putUser")
async def update_user(id: IdPath, body: UserUpdate, session: SessionDep, config: ConfigDep, me: Manager):
    user = await users.get_user(session, id)
    await user_updates.update_by_moderator(session, config, me, user, body)
    return Response(status_code=204)


@router.delete("/users/{id}", status_code=204, operation_id="delUser")
async def delete_user(id: IdPath, session: SessionDep, me: Manager):
    user = await users.get_user(session, id)
    if users.is_root(user):
        raise ProblemError(400, "Cannot remove the root user")
    users.ensure_can_moderate(me, user)
    await users.delete_user(session, user)
    await session.commit()
    return Response(status_code=204)


@router.post("/users/{id}/block", status_code=204, operation_id="blockUser")
async def block_user(id: IdPath, session: SessionDep, config: ConfigDep, me: Manager,
                     body: BlockBody | None = None):
    user = await users.get_user(session, id)
    await user_updates.set_blocked(session, config, me, user, True, body.reason if body else None)
    return Response(status_code=204)


@router.post("/users/{id}/unblock", status_code=204, operation_id="unblockUser")
async def unblock_user(id: IdPath, session: SessionDep, config: ConfigDep, me: Manager):
    user = await users.get_user(session, id)
    await user_updates.set_blocked(session, config, me, user, False, None)
    return Response(status_code=204)


# -- email verification and password reset (no login) ----------------------------------------------

async def limit_mail_requests(request: Request, session: SessionDep, runtime: RuntimeDep) -> None:
    """`rates_limit.ask_send_email` per IP; administrators and moderators are exempt, as in PeerTube."""
    try:
        runtime.rate_limits.hit("ask_send_email", client_ip(request) or "unknown")
    except ProblemError:
        if not await exempt_from_rate_limits(request, session):
            raise


@router.post("/users/ask-send-verify-email", status_code=204, operation_id="resendEmailToVerifyUser",
             tags=["Register"])
async def ask_verify_email(request: Request, body: EmailBody, session: SessionDep, runtime: RuntimeDep):
    await limit_mail_requests(request, session, runtime)
    await verification.ask_email_verification(session, runtime.config, str(body.email))
    return Response(status_code=204)


@router.post("/users/{id}/verify-email", status_code=204, operation_id="verifyUser", tags=["Register"])
async def verify_email(id: IdPath, body: VerifyEmailBody, session: SessionDep, config: ConfigDep):
    await verification.verify_user_email(session, config, id, body.verificationString, body.isPendingEmail)
    return Response(status_code=204)


@router.post("/users/ask-reset-password", status_code=204, operation_id="askResetPassword")
async def ask_reset_password(request: Request, body: EmailBody, session: SessionDep, runtime: RuntimeDep):
    await limit_mail_requests(request, session, runtime)
    await verification.ask_password_reset(session, runtime.config, str(body.email))
    return Response(status_code=204)


@router.post("/users/{id}/reset-password", status_code=204, operation_id="resetPassword")
async def reset_password(id: IdPath, body: ResetPasswordBody, session: SessionDep, config: ConfigDep):
    await verification.reset_password(session, config, id, body.verificationString, body.password)
    return Response(status_code=204)
