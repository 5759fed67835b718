"""Video Files tag: administrators delete a video's HLS playlist or web videos (all of them or
one rendition), never its last playable format."""

from __future__ import annotations

from fastapi import APIRouter, Response

from vidpub.api.deps import ConfigDep, IdPath, SessionDep, require_right
from vidpub.services.auth.rights import UserRight
from vidpub.services.videos import file_admin

router = APIRouter(tags=["Video Files"], dependencies=[require_right(UserRight.MANAGE_VIDEO_FILES)])


@router.delete("/videos/{id}/hls", status_code=204, operation_id="delVideoHLS")
async def delete_hls(id: str, session: SessionDep, config: ConfigDep):
    await file_admin.delete_hls(session, config, id)
    return Response(status_code=204)


@router.delete("/videos/{id}/hls/{videoFileId}", status_code=204, operation_id="delVideoHLSFile")
async def delete_hls_file(id: str, videoFileId: IdPath, session: SessionDep, config: ConfigDep):
    await file_admin.delete_hls_file(session, config, id, videoFileId)
    return Response(status_code=204)


@router.delete("/videos/{id}/web-videos", status_code=204, operation_id="delVideoWebVideos")
async def delete_web_videos(id: str, session: SessionDep, config: ConfigDep):
    await file_admin.delete_web_videos(session, config, id)
    return Response(status_code=204)


@router.delete("/videos/{id}/web-videos/{videoFileId}", status_code=204, operation_id="delVideoWebVideoFile")
async def delete_web_video_file(id: str, videoFileId: IdPath, session: SessionDep, config: ConfigDep):
    await file_admin.delete_web_video_file(session, config, id, videoFileId)
    return Response(status_code=204)

