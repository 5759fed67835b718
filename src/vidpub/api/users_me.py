"""My User tag: the logged-in user's own account."""

from __future__ import annotations

from fastapi import APIRouter, Response

from vidpub.api.deps import ConfigDep, CurrentToken, CurrentUser, SessionDep
from vidpub.schemas.users import MyUserJson, NewFeatureInfoRead, QuotaUsed, UserUpdateMe, my_user_json
from vidpub.services import user_updates, users
from vidpub.services.playlists import watch_later

router = APIRouter(tags=["My User"])


@router.get("/users/me", response_model=MyUserJson, operation_id="getUserInfo")
async def get_me(session: SessionDep, config: ConfigDep, user: CurrentUser):
    user = await users.get_user(session, user.id)
    return my_user_json(user, config, await users.video_quota_used(session, user),
                        await watch_later.special_playlists(session, user.account.id))


@router.put("/users/me", status_code=204, operation_id="putUserInfo")
async def update_me(body: UserUpdateMe, session: SessionDep, config: ConfigDep, token: CurrentToken):
    user = await users.get_user(session, token.user_id)
    await user_updates.update_me(session, config, user, body, current_token_id=token.id)
    return Response(status_code=204)


@router.get("/users/me/video-quota-used", response_model=QuotaUsed, operation_id="getUserVideoQuotaUsed")
async def get_my_quota(session: SessionDep, user: CurrentUser):
    used, daily = await users.video_quota_used(session, user)
    return QuotaUsed(videoQuotaUsed=used, videoQuotaUsedDaily=daily)


@router.post("/users/me/new-feature-info/read", status_code=204, operation_id="readNewFeatureInfo")
async def read_new_feature_info(body: NewFeatureInfoRead, session: SessionDep, user: CurrentUser):
    """PeerTube 8: the client tells which "new feature" notice the user has seen (a bit of
    `newFeaturesInfoRead`)."""
    await user_updates.mark_feature_info_read(session, user, body.feature)
    return Response(status_code=204)
