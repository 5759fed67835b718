"""Stats tag: the instance's public statistics."""

from __future__ import annotations

from fastapi import APIRouter

from vidpub.api.deps import ConfigDep, SessionDep
from vidpub.schemas.server_stats import ServerStats
from vidpub.services import server_stats

router = APIRouter(tags=["Stats"])


@router.get("/server/stats", response_model=ServerStats, operation_id="getInstanceStats")
async def get_instance_stats(session: SessionDep, config: ConfigDep):
    return await server_stats.instance_stats(session, config)
