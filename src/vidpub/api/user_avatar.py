"""My User tag: the logged-in user's avatar."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from vidpub.api.deps import ConfigDep, CurrentUser, SessionDep
from vidpub.api.image_upload import image_request_body, uploaded_image
from vidpub.db.models import Actor, ActorImageType
from vidpub.schemas.actors import actor_images
from vidpub.schemas.config import ActorImages
from vidpub.services import images

router = APIRouter(tags=["My User"])


@router.post("/users/me/avatar/pick", response_model=ActorImages, operation_id="addUserAvatar",
             openapi_extra=image_request_body("avatarfile"),
             responses={413: {"description": "image file too large"}})
async def pick_my_avatar(request: Request, session: SessionDep, config: ConfigDep, user: CurrentUser):
    actor_id = user.account.actor_id
    async with uploaded_image(request, session, "avatarfile") as upload:
        await images.replace_actor_images(session, config, actor_id, ActorImageType.AVATAR, upload.file,
                                          upload.filename, "avatarfile")
    actor = await session.get(Actor, actor_id, populate_existing=True)
    return ActorImages(avatars=actor_images(actor, ActorImageType.AVATAR, config.url))


@router.delete("/users/me/avatar", status_code=204, operation_id="deleteUserAvatar")
async def delete_my_avatar(session: SessionDep, config: ConfigDep, user: CurrentUser):
    await images.delete_actor_images(session, config, user.account.actor_id, ActorImageType.AVATAR)
    return Response(status_code=204)
