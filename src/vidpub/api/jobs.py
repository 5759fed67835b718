"""Job tag: the job table as administrators see it, and pausing the workers."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from vidpub.api.deps import Pagination, SessionDep, pagination, require_right
from vidpub.errors import invalid_param
from vidpub.jobs.queue import set_paused
from vidpub.schemas.common import Page
from vidpub.schemas.jobs import JobJson
from vidpub.services import jobs_admin
from vidpub.services.auth.rights import UserRight

router = APIRouter(tags=["Job"], dependencies=[require_right(UserRight.MANAGE_JOBS)])


async def _list(state: str | None, session, page: Pagination, job_type: str | None):
    if state and state not in jobs_admin.LISTABLE_STATES:
        raise invalid_param("state", state, "Should have a valid job state", "params")
    if job_type and job_type not in jobs_admin.known_job_types():
        raise invalid_param("jobType", job_type, "Should have a valid job type", "query")
    total, data = await jobs_admin.list_jobs(session, state, job_type, page.start, page.count, page.sort)
    return Page[JobJson](total=total, data=data)


JobTypeQuery = Annotated[str | None, Query(alias="jobType", max_length=100)]


@router.get("/jobs/{state}", response_model=Page[JobJson], operation_id="getJobs")
async def list_jobs(state: str, session: SessionDep, page: Pagination = pagination("-createdAt", {"createdAt"}),
                    job_type: JobTypeQuery = None):
    return await _list(state, session, page, job_type)


@router.get("/jobs", response_model=Page[JobJson], include_in_schema=False)
async def list_all_jobs(session: SessionDep, page: Pagination = pagination("-createdAt", {"createdAt"}),
                        job_type: JobTypeQuery = None):
    return await _list(None, session, page, job_type)


@router.post("/jobs/pause", status_code=204)
async def pause(session: SessionDep):
    await set_paused(session, True)
    await session.commit()
    return Response(status_code=204)


@router.post("/jobs/resume", status_code=204)
async def resume(session: SessionDep):
    await set_paused(session, False)
    await session.commit()
    return Response(status_code=204)
