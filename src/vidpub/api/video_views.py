"""Video tag: the player's watching reports, `POST /videos/{id}/views` (and its aliases)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from vidpub.api.deps import OptionalUser, RuntimeDep, SessionDep, client_ip
from vidpub.schemas.video_views import VideoViewBody
from vidpub.services.videos import views

router = APIRouter(tags=["Video"])


async def add_view(id: str, body: VideoViewBody, request: Request, session: SessionDep, runtime: RuntimeDep,
                   user: OptionalUser):
    report = views.WatchReport(current_time=int(body.currentTime), seek=body.viewEvent == views.SEEK_EVENT,
                               session_id=body.sessionId, ip=client_ip(request), client=body.client,
                               device=body.device, operating_system=body.operatingSystem)
    await views.view_video(session, runtime.config, runtime.secret, id, user, report)
    return Response(status_code=204)


# PeerTube answers both paths with either method; the spec documents POST /views and the deprecated
# PUT /watching, the other two stay out of the published schema.
for _path, _method, _operation_id, _published in (
        ("/videos/{id}/views", "POST", "addView", True),
        ("/videos/{id}/watching", "PUT", "setVideoWatchingProgress", True),
        ("/videos/{id}/views", "PUT", None, False),
        ("/videos/{id}/watching", "POST", None, False)):
    router.add_api_route(_path, add_view, methods=[_method], status_code=204, operation_id=_operation_id,
                         include_in_schema=_published, deprecated=_path.endswith("/watching"))
