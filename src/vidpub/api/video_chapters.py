"""Video Chapters tag: reading and replacing a video's chapters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response

from vidpub.api.deps import CurrentUser, OptionalUser, SessionDep
from vidpub.schemas.video_chapters import ChapterJson, VideoChaptersBody, VideoChaptersJson
from vidpub.services.videos import chapters
from vidpub.services.videos.lookup import VIDEO_PASSWORD_HEADER

router = APIRouter(tags=["Video Chapters"])

VideoPassword = Annotated[str | None, Header(alias=VIDEO_PASSWORD_HEADER, max_length=100)]


@router.get("/videos/{id}/chapters", response_model=VideoChaptersJson, operation_id="getVideoChapters")
async def get_video_chapters(id: str, session: SessionDep, user: OptionalUser,
                             video_password: VideoPassword = None):
    rows = await chapters.list_chapters(session, id, user, video_password)
    return VideoChaptersJson(chapters=[ChapterJson(timecode=row.timecode, title=row.title) for row in rows])


@router.put("/videos/{id}/chapters", status_code=204, operation_id="replaceVideoChapters")
async def replace_video_chapters(id: str, body: VideoChaptersBody, session: SessionDep, user: CurrentUser):
    await chapters.replace_chapters(session, id, user,
                                    [(chapter.timecode, chapter.title) for chapter in body.chapters])
    return Response(status_code=204)
