"""Inboxes: the shared one and each local account's and channel's (they all work the same way)."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request, Response

from vidpub.api.deps import ConfigDep, SessionDep, rate_limited, refuse_nul_characters
from vidpub.db.models import Actor, ActorType
from vidpub.errors import ProblemError, not_found
from vidpub.federation.inbox.receive import MAX_BODY_BYTES, receive

router = APIRouter(include_in_schema=False, dependencies=[rate_limited("activity_pub"), Depends(refuse_nul_characters)])


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise ProblemError(413, "The activity is too large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise ProblemError(413, "The activity is too large")
        chunks.append(chunk)
    return b"".join(chunks)


async def _receive(request: Request, session, config, inbox_actor_id: int | None) -> Response:
    body = await _read_body(request)
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    await receive(session, config, method="POST", target=target, headers=request.headers, body=body,
                  inbox_actor_id=inbox_actor_id)
    return Response(status_code=204)


async def _local_actor_id(session, name: str, group: bool) -> int:
    types = [ActorType.GROUP] if group else [ActorType.PERSON, ActorType.APPLICATION]
    actor_id = (await session.execute(sa.select(Actor.id).where(
        Actor.server_id.is_(None), sa.func.lower(Actor.preferred_username) == name.lower(),
        Actor.type.in_(types)))).scalar()
    if actor_id is None:
        raise not_found("Actor not found")
    return actor_id


@router.post("/inbox", status_code=204)
async def shared_inbox(request: Request, session: SessionDep, config: ConfigDep):
    return await _receive(request, session, config, None)


@router.post("/accounts/{name}/inbox", status_code=204)
async def account_inbox(name: str, request: Request, session: SessionDep, config: ConfigDep):
    return await _receive(request, session, config, await _local_actor_id(session, name, False))


@router.post("/video-channels/{name}/inbox", status_code=204)
async def channel_inbox(name: str, request: Request, session: SessionDep, config: ConfigDep):
    return await _receive(request, session, config, await _local_actor_id(session, name, True))
