"""Users tag: administration of users (moderators manage plain users only), email verification,
password reset and blocking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import EmailStr

from vidpub.api.deps import ConfigDep, CurrentUser, Pagination, RuntimeDep, SessionDep, client_ip, pagination, \
    require_right
from vidpub.db.models import User
from vidpub.errors import ProblemError, forbidden
from vidpub.schemas.common import ApiModel, Page
from vidpub.schemas.users import AddUserResponse, UserCreate, UserIdRef, UserJson, UserUpdate, user_json
from vidpub.services import user_updates, users, verification
from vidpub.services.auth.passwords import hash_password
from vidpub.services.auth.rights import UserRight, UserRole, has_right
from vidpub.services.user_updates import check_password_rules

router = APIRouter(tags=["Users"])

ManageUsers = require_right(UserRight.MANAGE_USERS)
Manager = Annotated[User, ManageUsers]


class EmailBody(ApiModel):
    email: EmailStr


class VerifyEmailBody(ApiModel):
    verificationString: str
    isPendingEmail: bool = False


class ResetPasswordBody(ApiModel):
    verificationString: str
    password: str


class BlockBody(ApiModel):
    reason: str | None = None


@router.get("/users", response_model=Page[UserJson], operation_id="getUsers", dependencies=[ManageUsers])
async def list_users(session: SessionDep, config: ConfigDep,
                     page: Pagination = pagination("-createdAt", set(users.USER_SORTS)),
                     search: Annotated[str | None, Query(max_length=250)] = None,
                     blocked: bool | None = None):
    total, rows = await users.list_users(session, start=page.start, count=page.count, sort=page.sort,
                                         search=search, blocked=blocked)
    data = [user_json(u, config, await users.video_quota_used(session, u)) for u in rows]
    return Page[UserJson](total=total, data=data)


@router.post("/users", response_model=AddUserResponse, operation_id="addUser")
async def create_user(body: UserCreate, session: SessionDep, config: ConfigDep,
                      me: Manager):
    if body.role not in tuple(UserRole):
        raise ProblemError(400, "Incorrect request parameters: role")
    if me.role != UserRole.ADMINISTRATOR and body.role != UserRole.USER:
        raise forbidden("You can only create users (and not administrators or moderators)")
    if body.password:
        check_password_rules(config, body.password)
    user = await users.create_user(session, config, users.NewUser(
        username=body.username, email=str(body.email),
        password_hash=await hash_password(body.password) if body.password else None,
        role=body.role, video_quota=body.videoQuota, video_quota_daily=body.videoQuotaDaily,
        admin_flags=body.adminFlags or 0, channel_name=body.channelName, email_verified=True))
    if not body.password:
        # PeerTube: an admin may leave the password empty; the user chooses it through a mailed link
        verification.send_password_creation(session, config, user)
    await session.commit()
    return AddUserResponse(user=UserIdRef(id=user.id, account={"id": user.account.id}))


async def _managed_user(session, me, user_id: int):
    user = await users.get_user(session, user_id)
    users.ensure_can_be_managed(me.role, user, me.id)
    return user


@router.get("/users/{id}", response_model=UserJson, operation_id="getUser")
async def get_user(id: int, session: SessionDep, config: ConfigDep, me: CurrentUser,
                   withStats: bool = False):
    if id != me.id and not has_right(me.role, UserRight.MANAGE_USERS):
        raise forbidden("You cannot get this user")
    user = await users.get_user(session, id)
    body = user_json(user, config, await users.video_quota_used(session, user))
    if withStats and has_right(me.role, UserRight.MANAGE_USERS):
        # videos, comments and abuses do not exist before their issues: all counts are truly 0
        body = body.model_copy(update=dict(videosCount=0, abusesCount=0, abusesAcceptedCount=0,
                                           abusesCreatedCount=0, videoCommentsCount=0, totalVideoFileSize=0))
    return body


@router.put("/users/{id}", status_code=204, operation_id="putUser")
async def update_user(id: int, body: UserUpdate, session: SessionDep, config: ConfigDep,
                      me: Manager):
    user = await _managed_user(session, me, id)
    await user_updates.update_by_moderator(session, config, me.role, user, body)
    return Response(status_code=204)


@router.delete("/users/{id}", status_code=204, operation_id="delUser")
async def delete_user(id: int, session: SessionDep, me: Manager):
    user = await _managed_user(session, me, id)
    if user.username == "root" or user.id == me.id:
        raise ProblemError(400, "Cannot remove the root user or yourself")
    await users.delete_user(session, user)
    await session.commit()
    return Response(status_code=204)


@router.post("/users/{id}/block", status_code=204)
async def block_user(id: int, session: SessionDep, me: Manager, body: BlockBody | None = None):
    user = await _managed_user(session, me, id)
    await user_updates.set_blocked(session, user, True, body.reason if body else None)
    return Response(status_code=204)


@router.post("/users/{id}/unblock", status_code=204)
async def unblock_user(id: int, session: SessionDep, me: Manager):
    user = await _managed_user(session, me, id)
    await user_updates.set_blocked(session, user, False, None)
    return Response(status_code=204)


# -- email verification and password reset (no login) ----------------------------------------------

@router.post("/users/ask-send-verify-email", status_code=204, operation_id="resendEmailToVerifyUser")
async def ask_verify_email(request: Request, body: EmailBody, session: SessionDep, runtime: RuntimeDep):
    runtime.rate_limits.hit("ask_send_email", client_ip(request) or "unknown")
    user = await users.find_by_email(session, str(body.email))
    if user is not None and not user.email_verified:
        verification.send_email_verification(session, runtime.config, user)
        await session.commit()
    # same answer whether the address exists or not: no account enumeration
    return Response(status_code=204)


@router.post("/users/{id}/verify-email", status_code=204, operation_id="verifyUser")
async def verify_email(id: int, body: VerifyEmailBody, session: SessionDep, config: ConfigDep):
    user = await users.get_user(session, id)
    email = verification.check_email_verification(config, "userId", id, body.verificationString)
    if body.isPendingEmail:
        if not user.pending_email or user.pending_email.lower() != email:
            raise ProblemError(403, "Invalid verification string.")
        user.email, user.pending_email = user.pending_email, None
    elif user.email.lower() != email:
        raise ProblemError(403, "Invalid verification string.")
    user.email_verified = True
    await session.commit()
    return Response(status_code=204)


@router.post("/users/ask-reset-password", status_code=204)
async def ask_reset_password(request: Request, body: EmailBody, session: SessionDep, runtime: RuntimeDep):
    runtime.rate_limits.hit("ask_send_email", client_ip(request) or "unknown")
    user = await users.find_by_email(session, str(body.email))
    if user is not None and not user.plugin_auth:
        verification.send_password_reset(session, runtime.config, user)
        await session.commit()
    return Response(status_code=204)


@router.post("/users/{id}/reset-password", status_code=204)
async def reset_password(id: int, body: ResetPasswordBody, session: SessionDep, config: ConfigDep):
    user = await users.get_user(session, id)
    verification.check_password_reset(config, user, body.verificationString, creation=user.password is None)
    check_password_rules(config, body.password)
    user.password = await hash_password(body.password)
    await session.commit()
    return Response(status_code=204)
