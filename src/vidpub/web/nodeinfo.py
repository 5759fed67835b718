"""NodeInfo discovery (`/.well-known/nodeinfo`) and the 2.0 document."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from vidpub.api.deps import ConfigDep, RuntimeDep, SessionDep
from vidpub.services import nodeinfo

router = APIRouter(include_in_schema=False)


@router.get("/.well-known/nodeinfo")
async def nodeinfo_links(config: ConfigDep):
    return JSONResponse(nodeinfo.discovery_links(config))


@router.get("/nodeinfo/2.0.json")
async def nodeinfo_20(session: SessionDep, runtime: RuntimeDep):
    return Response(await nodeinfo.nodeinfo_body(runtime, session), media_type=nodeinfo.CONTENT_TYPE_20)
