"""Video tag: listing. Uploading and storing videos arrive with the videos issue; until then an
instance has no video, and the lists and lookups say so as PeerTube does for an empty instance."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from vidpub.api.deps import CurrentUser, Pagination, pagination
from vidpub.errors import not_found
from vidpub.schemas.common import ApiModel, Page

router = APIRouter()

VIDEO_SORTS = {"name", "duration", "createdAt", "publishedAt", "originallyPublishedAt", "views", "likes",
               "comments", "trending", "hot", "best", "localVideoFilesSize", "lastViewedAt", "match"}

# a video is named by its id, UUID or short UUID
VideoRef = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9a-zA-Z-]+$")]


class VideoRating(ApiModel):
    id: int
    rating: str


@router.get("/videos", response_model=Page[dict], tags=["Video"], operation_id="getVideos")
async def list_videos(page: Pagination = pagination("-publishedAt", VIDEO_SORTS)):
    return Page[dict](total=0, data=[])


@router.get("/users/me/videos", response_model=Page[dict], tags=["My User"], operation_id="getMyVideos")
async def list_my_videos(user: CurrentUser, page: Pagination = pagination("-createdAt", VIDEO_SORTS)):
    return Page[dict](total=0, data=[])


@router.get("/users/me/videos/{videoId}/rating", response_model=VideoRating, tags=["My User"],
            operation_id="getUserVideoRating")
async def get_my_rating(videoId: VideoRef, user: CurrentUser):
    raise not_found("Video not found")
