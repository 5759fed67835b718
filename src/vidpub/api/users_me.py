"""My User tag: the logged-in user's own account."""

from __future__ import annotations

from fastapi import APIRouter, Response

from vidpub.api.deps import ConfigDep, CurrentUser, SessionDep
from vidpub.schemas.users import MyUserJson, QuotaUsed, UserUpdateMe, my_user_json
from vidpub.services import user_updates, users

router = APIRouter(tags=["My User"])


@router.get("/users/me", response_model=MyUserJson, operation_id="getUserInfo")
async def get_me(session: SessionDep, config: ConfigDep, user: CurrentUser):
    user = await users.get_user(session, user.id)
    return my_user_json(user, config, await users.video_quota_used(session, user))


@router.put("/users/me", status_code=204, operation_id="putUserInfo")
async def update_me(body: UserUpdateMe, session: SessionDep, config: ConfigDep, user: CurrentUser):
    user = await users.get_user(session, user.id)
    await user_updates.update_me(session, config, user, body)
    return Response(status_code=204)


@router.get("/users/me/video-quota-used", response_model=QuotaUsed)
async def get_my_quota(session: SessionDep, user: CurrentUser):
    used, daily = await users.video_quota_used(session, user)
    return QuotaUsed(videoQuotaUsed=used, videoQuotaUsedDaily=daily)
