"""Video Stats tag: what the owner of a local video (and moderators) learn about its viewers."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query

from vidpub.api.deps import CurrentUser, SessionDep
from vidpub.errors import ProblemError
from vidpub.schemas.video_stats import (VideoStatsOverall, VideoStatsRetention, VideoStatsTimeserie,
                                        VideoStatsUserAgent, parse_date)
from vidpub.services.videos import stats
from vidpub.services.videos.stats_intervals import MAX_RANGE_DAYS

router = APIRouter(tags=["Video Stats"])

VideoRef = Annotated[str, Path(min_length=1, max_length=64, description="id, UUID or short UUID of the video")]
StartDate = Annotated[str | None, Query(max_length=64, description="Filter stats by start date (ISO 8601)")]
EndDate = Annotated[str | None, Query(max_length=64, description="Filter stats by end date (ISO 8601)")]
# `downloads` is PeerTube 8's; the 7.0 spec lists the first two
Metric = Annotated[Literal["viewers", "aggregateWatchTime", "downloads"], Path(description="The metric to get")]


async def date_range(startDate: StartDate = None, endDate: EndDate = None) -> stats.DateRange:
    return stats.DateRange(parse_date("startDate", startDate), parse_date("endDate", endDate))


Dates = Annotated[stats.DateRange, Depends(date_range)]


@router.get("/videos/{id}/stats/overall", response_model=VideoStatsOverall, operation_id="getVideoStatsOverall")
async def get_overall_stats(id: VideoRef, dates: Dates, session: SessionDep, user: CurrentUser):
    video = await stats.video_for_stats(session, id, user)
    return await stats.overall(session, video, dates)


@router.get("/videos/{id}/stats/retention", response_model=VideoStatsRetention,
            operation_id="getVideoStatsRetention", responses={400: {"description": "the video is a live"}})
async def get_retention_stats(id: VideoRef, session: SessionDep, user: CurrentUser):
    video = await stats.video_for_stats(session, id, user)
    return await stats.retention(session, video)


@router.get("/videos/{id}/stats/timeseries/{metric}", response_model=VideoStatsTimeserie,
            operation_id="getVideoStatsTimeserie")
async def get_timeserie_stats(id: VideoRef, metric: Metric, dates: Dates, session: SessionDep, user: CurrentUser):
    video = await stats.video_for_stats(session, id, user)
    if (dates.start is None) != (dates.end is None):
        raise ProblemError(400, "Both start date and end date should be defined if one of them is specified")
    if dates.start and (dates.end - dates.start).total_seconds() / 86400 > MAX_RANGE_DAYS:
        raise ProblemError(400, "Start date and end date interval is too big")
    return await stats.timeserie(session, video, metric, dates)


@router.get("/videos/{id}/stats/user-agent", response_model=VideoStatsUserAgent,
            operation_id="getVideoStatsUserAgent")
async def get_user_agent_stats(id: VideoRef, dates: Dates, session: SessionDep, user: CurrentUser):
    """Viewers per client, device and operating system (PeerTube 8; not in the 7.0 spec)."""
    video = await stats.video_for_stats(session, id, user)
    return await stats.user_agents(session, video, dates)
