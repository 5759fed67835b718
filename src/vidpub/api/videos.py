"""Video tag: listing. Uploading and storing videos arrive with the videos issue; until then an
instance has no video, and the lists say so with PeerTube's empty page."""

from __future__ import annotations

from fastapi import APIRouter

from vidpub.api.deps import CurrentUser, Pagination, pagination
from vidpub.schemas.common import Page

router = APIRouter()

VIDEO_SORTS = {"name", "duration", "createdAt", "publishedAt", "originallyPublishedAt", "views", "likes",
               "comments", "trending", "hot", "best", "localVideoFilesSize", "lastViewedAt", "match"}


@router.get("/videos", response_model=Page[dict], tags=["Video"], operation_id="getVideos")
async def list_videos(page: Pagination = pagination("-publishedAt", VIDEO_SORTS)):
    return Page[dict](total=0, data=[])


@router.get("/users/me/videos", response_model=Page[dict], tags=["My User"], operation_id="getMyVideos")
async def list_my_videos(user: CurrentUser, page: Pagination = pagination("-createdAt", VIDEO_SORTS)):
    return Page[dict](total=0, data=[])
