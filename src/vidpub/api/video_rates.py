"""Video Rates tag: liking and disliking a video, and reading one's own rate."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from vidpub.api.deps import ConfigDep, CurrentUser, SessionDep
from vidpub.schemas.video_rates import MyVideoRating, VideoRateBody
from vidpub.services.videos import rates
from vidpub.services.videos.lookup import VIDEO_PASSWORD_HEADER

router = APIRouter()

VideoPassword = Annotated[str | None, Header(alias=VIDEO_PASSWORD_HEADER, max_length=100)]


@router.put("/videos/{id}/rate", status_code=204, tags=["Video Rates"], operation_id="putVideoRate")
async def rate_video(id: str, body: VideoRateBody, session: SessionDep, config: ConfigDep, user: CurrentUser,
                     video_password: VideoPassword = None):
    await rates.rate_video(session, config, id, user, body.rating, video_password)
    return Response(status_code=204)


@router.get("/users/me/videos/{videoId}/rating", response_model=MyVideoRating,
            tags=["My User", "Video Rates"], operation_id="getUserVideoRating")
async def get_my_rating(videoId: str, session: SessionDep, user: CurrentUser):
    video_id, rating = await rates.my_rating(session, videoId, user)
    return MyVideoRating(id=video_id, videoId=video_id, rating=rating)
