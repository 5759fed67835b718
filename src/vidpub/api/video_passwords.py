"""Video Passwords tag: listing, replacing and deleting the passwords of a password-protected video."""

from __future__ import annotations

from fastapi import APIRouter, Response

from vidpub.api.deps import CurrentUser, IdPath, Pagination, SessionDep, pagination
from vidpub.schemas.common import Page
from vidpub.schemas.video_passwords import VideoPasswordJson, VideoPasswordsBody, video_password_json
from vidpub.services.videos import passwords

router = APIRouter(tags=["Video Passwords"])


# the 7.0 spec documents this answer under 204; PeerTube sends it with 200, as every list
@router.get("/videos/{id}/passwords", response_model=Page[VideoPasswordJson],
            operation_id="listVideoPasswords")
async def list_video_passwords(id: str, session: SessionDep, user: CurrentUser,
                               page: Pagination = pagination("-createdAt", passwords.PASSWORD_SORTS)):
    total, rows = await passwords.list_passwords(session, id, user, page.start, page.count, page.sort)
    return Page[VideoPasswordJson](total=total, data=[video_password_json(row) for row in rows])


@router.put("/videos/{id}/passwords", status_code=204, operation_id="updateVideoPasswordList")
async def replace_video_passwords(id: str, body: VideoPasswordsBody, session: SessionDep, user: CurrentUser):
    await passwords.replace_passwords(session, id, user, body.passwords)
    return Response(status_code=204)


@router.delete("/videos/{id}/passwords/{videoPasswordId}", status_code=204,
               operation_id="removeVideoPassword")
async def delete_video_password(id: str, videoPasswordId: IdPath, session: SessionDep, user: CurrentUser):
    await passwords.delete_password(session, id, user, videoPasswordId)
    return Response(status_code=204)
