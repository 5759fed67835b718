"""Video tag: `POST /videos/{id}/token`, the short-lived token that opens a private video's files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header

from vidpub.api.deps import ConfigDep, OptionalUser, SessionDep
from vidpub.db.models import VideoPrivacy
from vidpub.errors import unauthorized
from vidpub.schemas.common import ApiModel, Timestamp
from vidpub.services.videos import file_tokens, lookup

router = APIRouter(tags=["Video"])


class FileTokenJson(ApiModel):
    token: str
    expires: Timestamp


class VideoTokenJson(ApiModel):
    """PeerTube 8's `VideoToken` (the 7.0 spec's `VideoTokenResponse`)."""
    files: FileTokenJson


PasswordHeader = Annotated[str | None, Header(alias=lookup.VIDEO_PASSWORD_HEADER, max_length=100)]


@router.post("/videos/{id}/token", response_model=VideoTokenJson, operation_id="requestVideoToken")
async def request_video_token(id: str, session: SessionDep, config: ConfigDep, user: OptionalUser,
                              video_password: PasswordHeader = None):
    video = await lookup.get_video(session, id)
    # as PeerTube: a logged-in user, or anyone holding the password of a password-protected video
    if user is None and video.privacy != VideoPrivacy.PASSWORD_PROTECTED:
        raise unauthorized("Not authenticated", "unauthorized_request")
    await lookup.ensure_can_see(session, video, user, video_password)
    token = file_tokens.create_file_token(config, video, user)
    return VideoTokenJson(files=FileTokenJson(token=token.token, expires=token.expires))
