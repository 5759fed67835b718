"""Abuses tag: `/abuses` (reporting, and the moderators' list and decisions), the messages of a report,
and a reporter's own reports (`/users/me/abuses`)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from vidpub.api.deps import MAX_ID, ConfigDep, CurrentUser, IdPath, Pagination, SessionDep, pagination, require_right
from vidpub.schemas.abuses import (AbuseCreate, AbuseCreated, AbuseMessageCreate, AbuseMessageCreated,
                                   AbuseMessageList, AbuseUpdate, AdminAbuseList, CreatedId, PredefinedReason,
                                   UserAbuseList)
from vidpub.services import abuse_lists, abuses
from vidpub.services.abuse_lists import AbuseFilters
from vidpub.services.auth.rights import UserRight

router = APIRouter()

TAGS = ["Abuses"]
AbusePage = Annotated[Pagination, pagination("-createdAt", abuse_lists.SORT_COLUMNS)]
Search = Annotated[str | None, Query(max_length=250)]
IdFilter = Annotated[int | None, Query(ge=1, le=MAX_ID)]
StateFilter = Annotated[int | None, Query(ge=1, le=3)]  # pending, rejected, accepted
ModeratorOnly = require_right(UserRight.MANAGE_ABUSES)


@router.post("/abuses", response_model=AbuseCreated, tags=TAGS, operation_id="reportAbuse")
async def report_abuse(body: AbuseCreate, session: SessionDep, config: ConfigDep, user: CurrentUser):
    abuse_id = await abuses.report(session, config, user, body)
    return AbuseCreated(abuse=CreatedId(id=abuse_id))


@router.get("/abuses", response_model=AdminAbuseList, tags=TAGS, operation_id="getAbuses",
            dependencies=[ModeratorOnly])
async def list_abuses(session: SessionDep, config: ConfigDep, user: CurrentUser, page: AbusePage,
                      id: IdFilter = None, state: StateFilter = None, search: Search = None,
                      predefinedReason: Annotated[PredefinedReason | None, Query()] = None,
                      filter: Annotated[Literal["video", "comment", "account"] | None, Query()] = None,
                      videoIs: Annotated[Literal["deleted", "blacklisted"] | None, Query()] = None,
                      searchReporter: Search = None, searchReportee: Search = None, searchVideo: Search = None,
                      searchVideoChannel: Search = None):
    filters = AbuseFilters(id=id, state=state, search=search, predefined_reason=predefinedReason, filter=filter,
                           video_is=videoIs, search_reporter=searchReporter, search_reportee=searchReportee,
                           search_video=searchVideo, search_video_channel=searchVideoChannel)
    return await abuse_lists.list_for_moderators(session, config, user, filters, start=page.start,
                                                 count=page.count, sort=page.sort)


@router.put("/abuses/{abuseId}", status_code=204, tags=TAGS, operation_id="updateAbuse",
            dependencies=[ModeratorOnly])
async def update_abuse(abuseId: IdPath, body: AbuseUpdate, session: SessionDep):
    await abuses.update(session, await abuses.get_abuse(session, abuseId), body)
    return Response(status_code=204)


@router.delete("/abuses/{abuseId}", status_code=204, tags=TAGS, operation_id="deleteAbuse",
               dependencies=[ModeratorOnly])
async def delete_abuse(abuseId: IdPath, session: SessionDep):
    await abuses.delete(session, await abuses.get_abuse(session, abuseId))
    return Response(status_code=204)


@router.get("/abuses/{abuseId}/messages", response_model=AbuseMessageList, tags=TAGS,
            operation_id="listAbuseMessages")
async def list_abuse_messages(abuseId: IdPath, session: SessionDep, config: ConfigDep, user: CurrentUser):
    abuse = await abuses.messageable_abuse(session, abuseId, user)
    return await abuses.list_messages(session, config, abuse)


@router.post("/abuses/{abuseId}/messages", response_model=AbuseMessageCreated, tags=TAGS,
             operation_id="addAbuseMessage")
async def add_abuse_message(abuseId: IdPath, body: AbuseMessageCreate, session: SessionDep, user: CurrentUser):
    abuse = await abuses.messageable_abuse(session, abuseId, user)
    message_id = await abuses.add_message(session, abuse, user, body.message)
    return AbuseMessageCreated(abuseMessage=CreatedId(id=message_id))


@router.delete("/abuses/{abuseId}/messages/{abuseMessageId}", status_code=204, tags=TAGS,
               operation_id="deleteAbuseMessage")
async def delete_abuse_message(abuseId: IdPath, abuseMessageId: IdPath, session: SessionDep, user: CurrentUser):
    abuse = await abuses.messageable_abuse(session, abuseId, user)
    await abuses.delete_message(session, abuse, abuseMessageId, user)
    return Response(status_code=204)


@router.get("/users/me/abuses", response_model=UserAbuseList, tags=[*TAGS, "My User"],
            operation_id="getMyAbuses")
async def list_my_abuses(session: SessionDep, config: ConfigDep, user: CurrentUser, page: AbusePage,
                         id: IdFilter = None, state: StateFilter = None, search: Search = None):
    filters = AbuseFilters(id=id, state=state, search=search)
    return await abuse_lists.list_for_reporter(session, config, user, filters, start=page.start, count=page.count,
                                               sort=page.sort)
