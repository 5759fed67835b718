"""Users tag: administration of users (moderators manage plain users only), email verification,
password reset and blocking."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from vidpub.api.deps import (IdPath, ConfigDep, CurrentUser, Pagination, RuntimeDep, SessionDep, pagination,
                             rate_limited, require_right)
from vidpub.db.models import User
from vidpub.errors import ProblemError, forbidden
from vidpub.schemas.common import Page
from vidpub.schemas.users import (AddUserResponse, BlockBody, EmailBody, ResetPasswordBody, UserCreate,
                                  UserIdRef, UserJson, UserUpdate, UserWithStatsJson, VerifyEmailBody,
                                  user_json, user_with_stats_json)
from vidpub.services import user_updates, users, verification
from vidpub.services.auth.rights import UserRight, has_right

router = APIRouter(tags=["Users"])

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
    user = await user_updates.create_by_staff(session, config, me, body)
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

LimitMailRequests = rate_limited("ask_send_email")


@router.post("/users/ask-send-verify-email", status_code=204, operation_id="resendEmailToVerifyUser",
             tags=["Register"], dependencies=[LimitMailRequests])
async def ask_verify_email(body: EmailBody, session: SessionDep, runtime: RuntimeDep):
    await verification.ask_email_verification(session, runtime.config, str(body.email))
    return Response(status_code=204)


@router.post("/users/{id}/verify-email", status_code=204, operation_id="verifyUser", tags=["Register"])
async def verify_email(id: IdPath, body: VerifyEmailBody, session: SessionDep, config: ConfigDep):
    await verification.verify_user_email(session, config, id, body.verificationString, body.isPendingEmail)
    return Response(status_code=204)


@router.post("/users/ask-reset-password", status_code=204, operation_id="askResetPassword",
             dependencies=[LimitMailRequests])
async def ask_reset_password(body: EmailBody, session: SessionDep, runtime: RuntimeDep):
    await verification.ask_password_reset(session, runtime.config, str(body.email))
    return Response(status_code=204)


@router.post("/users/{id}/reset-password", status_code=204, operation_id="resetPassword")
async def reset_password(id: IdPath, body: ResetPasswordBody, session: SessionDep, config: ConfigDep):
    await verification.reset_password(session, config, id, body.verificationString, body.password)
    return Response(status_code=204)
