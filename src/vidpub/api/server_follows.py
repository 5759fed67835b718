"""Instance Follows tag: who the instance follows and who follows it (admins change them)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from vidpub.api.deps import ConfigDep, Pagination, SessionDep, pagination, require_right
from vidpub.db.models import FollowState, User
from vidpub.errors import conflict
from vidpub.federation import follows, instance_follows
from vidpub.schemas.accounts import FollowList, follow_json
from vidpub.schemas.follows import FollowRequest
from vidpub.services.auth.rights import UserRight

router = APIRouter(tags=["Instance Follows"])

FollowsAdmin = Annotated[User, require_right(UserRight.MANAGE_SERVER_FOLLOW)]
FollowPage = Annotated[Pagination, pagination("-createdAt", instance_follows.SORT_COLUMNS)]
StateFilter = Annotated[Literal["pending", "accepted", "rejected"] | None, Query()]
ActorTypeFilter = Annotated[Literal["Person", "Application", "Group", "Service", "Organization"] | None,
                            Query(alias="actorType")]
Search = Annotated[str | None, Query(max_length=250)]
Handle = Annotated[str, Path(min_length=1, max_length=600)]


async def _page(session, config, followers: bool, page: Pagination, state, actor_type, search) -> FollowList:
    total, rows = await instance_follows.list_follows(
        session, followers=followers, state=state, actor_type=actor_type, search=search, start=page.start,
        count=page.count, sort=page.sort)
    return FollowList(total=total, data=[follow_json(row, config.url, config.host) for row in rows])


@router.get("/server/followers", response_model=FollowList, operation_id="getFollowers")
async def list_followers(session: SessionDep, config: ConfigDep, page: FollowPage, state: StateFilter = None,
                         actor_type: ActorTypeFilter = None, search: Search = None):
    return await _page(session, config, True, page, state, actor_type, search)


@router.get("/server/following", response_model=FollowList, operation_id="getFollowing")
async def list_following(session: SessionDep, config: ConfigDep, page: FollowPage, state: StateFilter = None,
                         actor_type: ActorTypeFilter = None, search: Search = None):
    return await _page(session, config, False, page, state, actor_type, search)


@router.post("/server/following", status_code=204, operation_id="followInstance")
async def follow(body: FollowRequest, session: SessionDep, config: ConfigDep, _admin: FollowsAdmin):
    await instance_follows.follow_remotes(session, config, body.hosts, body.handles)
    return Response(status_code=204)


@router.delete("/server/following/{hostOrHandle}", status_code=204, operation_id="unfollowInstance")
async def unfollow(hostOrHandle: Handle, session: SessionDep, _admin: FollowsAdmin):
    follow_row = await instance_follows.find_following(session, hostOrHandle)
    await follows.cancel_follow(session, follow_row)
    await session.commit()
    return Response(status_code=204)


@router.delete("/server/followers/{nameWithHost}", status_code=204, operation_id="removeFollower")
async def remove_follower(nameWithHost: Handle, session: SessionDep, _admin: FollowsAdmin):
    follow_row = await instance_follows.find_follower(session, nameWithHost)
    await follows.reject_follower(session, follow_row, forget=True)
    await session.commit()
    return Response(status_code=204)


async def _pending_follower(session, name_with_host: str):
    follow_row = await instance_follows.find_follower(session, name_with_host)
    if follow_row.state != FollowState.PENDING:
        raise conflict("Follow is not in pending state")
    return follow_row


@router.post("/server/followers/{nameWithHost}/reject", status_code=204, operation_id="rejectFollower")
async def reject_follower(nameWithHost: Handle, session: SessionDep, _admin: FollowsAdmin):
    await follows.reject_follower(session, await _pending_follower(session, nameWithHost))
    await session.commit()
    return Response(status_code=204)


@router.post("/server/followers/{nameWithHost}/accept", status_code=204, operation_id="acceptFollower")
async def accept_follower(nameWithHost: Handle, session: SessionDep, _admin: FollowsAdmin):
    await follows.accept_follower(session, await _pending_follower(session, nameWithHost))
    await session.commit()
    return Response(status_code=204)
