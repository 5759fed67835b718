"""Video Mirroring (our copies of remote videos, the copies others hold of ours) and Instance
Redundancy (which followed instances we may mirror)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from vidpub.api.deps import ConfigDep, Pagination, SessionDep, pagination, require_right
from vidpub.db.models import User
from vidpub.errors import invalid_param
from vidpub.schemas.redundancy import (
    MirrorRequest,
    ServerRedundancyUpdate,
    VideoRedundancyList,
    video_redundancy_json,
)
from vidpub.services import redundancy
from vidpub.services.auth.rights import UserRight
from vidpub.services.videos.lookup import ref_condition

router = APIRouter()

RedundancyAdmin = Annotated[User, require_right(UserRight.MANAGE_VIDEOS_REDUNDANCIES)]
FollowsAdmin = Annotated[User, require_right(UserRight.MANAGE_SERVER_FOLLOW)]
RedundancyPage = Annotated[Pagination, pagination("name", redundancy.SORT_COLUMNS)]
Target = Annotated[Literal["my-videos", "remote-videos"], Query()]
Host = Annotated[str, Path(min_length=1, max_length=255, pattern=r"^[A-Za-z0-9.-]+(:\d{1,5})?$")]


@router.put("/server/redundancy/{host}", status_code=204, tags=["Instance Redundancy"],
            operation_id="putServerRedundancy")
async def update_server_redundancy(host: Host, body: ServerRedundancyUpdate, session: SessionDep, config: ConfigDep,
                                   _admin: FollowsAdmin):
    removed = await redundancy.set_server_redundancy(session, config, host, body.redundancyAllowed)
    await session.commit()
    redundancy.remove_directories(removed)
    return Response(status_code=204)


@router.get("/server/redundancy/videos", response_model=VideoRedundancyList, tags=["Video Mirroring"],
            operation_id="getMirroredVideos")
async def list_mirrored_videos(target: Target, page: RedundancyPage, session: SessionDep, _admin: RedundancyAdmin):
    total, items = await redundancy.list_redundancies(session, target=target, start=page.start, count=page.count,
                                                      sort=page.sort)
    return VideoRedundancyList(total=total, data=[video_redundancy_json(item, target == "remote-videos")
                                                  for item in items])


@router.post("/server/redundancy/videos", status_code=204, tags=["Video Mirroring"], operation_id="putMirroredVideo")
async def mirror_video(body: MirrorRequest, session: SessionDep, _admin: RedundancyAdmin):
    condition = ref_condition(str(body.videoId))
    if condition is None:
        raise invalid_param("videoId", body.videoId, "Should have a valid video id")
    await redundancy.request_manual_copy(session, condition)
    await session.commit()
    return Response(status_code=204)


@router.delete("/server/redundancy/videos/{redundancyId}", status_code=204, tags=["Video Mirroring"],
               operation_id="delMirroredVideo")
async def remove_mirror(redundancyId: Annotated[int, Path(ge=1, le=2**31 - 1)],
                        session: SessionDep, config: ConfigDep, _admin: RedundancyAdmin):
    copy = await redundancy.find_our_copy(session, redundancyId)
    directory = await redundancy.remove_copy(session, config, copy)
    await session.commit()
    redundancy.remove_directories([directory])
    return Response(status_code=204)
