"""Job tag: the job table as administrators see it, and pausing the workers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from vidpub.api.deps import Pagination, SessionDep, pagination, require_right
from vidpub.errors import invalid_param
from vidpub.schemas.common import Page
from vidpub.schemas.jobs import JobJson
from vidpub.services import jobs_admin
from vidpub.services.auth.rights import UserRight

router = APIRouter(tags=["Job"], dependencies=[require_right(UserRight.MANAGE_JOBS)])

JobTypeQuery = Annotated[str | None, Query(alias="jobType", max_length=100)]
# PeerTube sorts jobs on createdAt only: `createdAt` ascending, anything else newest first
JobPagination = Annotated[Pagination, pagination("-createdAt", {"createdAt"})]


async def _list(session, states: list[str], page: Pagination, job_type: str | None) -> Page[JobJson]:
    if job_type and job_type not in jobs_admin.known_job_types():
        raise invalid_param("jobType", job_type, "Should have a valid job type", "query")
    total, data = await jobs_admin.list_jobs(session, states, job_type, page.start, page.count,
                                             ascending=page.sort == "createdAt")
    return Page[JobJson](total=total, data=data)


@router.get("/jobs/{state}", response_model=Page[JobJson], operation_id="getJobs")
async def list_jobs(session: SessionDep, page: JobPagination, job_type: JobTypeQuery = None,
                    state: str = Path(description="The state of the job (absent for no filter)")):
    if state not in jobs_admin.LISTABLE_STATES:
        raise invalid_param("state", state, "Should have a valid job state", "params")
    return await _list(session, [state], page, job_type)


@router.get("/jobs", response_model=Page[JobJson], include_in_schema=False)
@router.get("/jobs/", response_model=Page[JobJson], include_in_schema=False)
async def list_all_jobs(session: SessionDep, page: JobPagination, job_type: JobTypeQuery = None,
                        states: Annotated[str | None, Query(max_length=200)] = None):
    """No state filter (the spec's empty `state`); newer PeerTube clients may send `states=a,b`."""
    wanted = [state for state in (states or "").split(",") if state]
    for state in wanted:
        if state not in jobs_admin.LISTABLE_STATES:
            raise invalid_param("states", states, "Should have valid job states", "query")
    return await _list(session, wanted, page, job_type)


@router.post("/jobs/pause", status_code=204)
async def pause(session: SessionDep):
    await jobs_admin.pause(session)
    return Response(status_code=204)


@router.post("/jobs/resume", status_code=204)
async def resume(session: SessionDep):
    await jobs_admin.resume(session)
    return Response(status_code=204)
