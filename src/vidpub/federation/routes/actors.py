"""Local actors' documents and their collections, for ActivityPub clients only (`ActivityPubRoute`):
`/accounts/<name>` (also the `peertube` Application), `/video-channels/<name>`, and
`/followers`, `/following`, `/outbox` under each.

The outbox lists what other modules register with `register_outbox_loader` (the videos module:
Create for own videos, Announce for shares); without one it is an empty collection.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.api.deps import ConfigDep, RuntimeDep, SessionDep, rate_limited, refuse_nul_characters
from vidpub.config import Config
from vidpub.db.models import Account, Actor, ActorFollow, ActorType, FollowState, VideoChannel
from vidpub.errors import not_found
from vidpub.federation.ap.actor import account_to_ap, channel_to_ap
from vidpub.federation.keys import ensure_keys_apart
from vidpub.federation.negotiation import ActivityPubRoute, activity_response, collection_response

router = APIRouter(include_in_schema=False, route_class=ActivityPubRoute,
                   dependencies=[rate_limited("activity_pub"), Depends(refuse_nul_characters)])

OutboxLoader = Callable[[AsyncSession, Config, Actor, int, int], Awaitable[tuple[int, Sequence[dict]]]]
_outbox_loaders: list[OutboxLoader] = []


def register_outbox_loader(loader: OutboxLoader) -> None:
    """`loader(session, config, actor, start, count) -> (total, activities)`; one only (the videos')."""
    _outbox_loaders[:] = [loader]


def _local_name(column_name: str):
    return sa.and_(Actor.server_id.is_(None), sa.func.lower(Actor.preferred_username) == column_name.lower())


async def _account(session: AsyncSession, name: str) -> Account:
    account = (await session.execute(sa.select(Account).join(Actor, Actor.id == Account.actor_id)
                                     .where(_local_name(name), Actor.type != ActorType.GROUP))).scalar_one_or_none()
    if account is None:
        raise not_found("Account not found")
    return account


async def _channel(session: AsyncSession, name: str) -> VideoChannel:
    channel = (await session.execute(
        sa.select(VideoChannel).join(Actor, Actor.id == VideoChannel.actor_id).where(_local_name(name))
        .options(selectinload(VideoChannel.account)))).scalar_one_or_none()
    if channel is None:
        raise not_found("Video channel not found")
    return channel


@router.get("/accounts/{name}")
async def account_document(name: str, session: SessionDep, config: ConfigDep, runtime: RuntimeDep):
    account = await _account(session, name)
    await ensure_keys_apart(runtime.db, account.actor)
    return activity_response(account_to_ap(config, account))


@router.get("/video-channels/{name}")
async def channel_document(name: str, session: SessionDep, config: ConfigDep, runtime: RuntimeDep):
    channel = await _channel(session, name)
    await ensure_keys_apart(runtime.db, channel.actor)
    return activity_response(channel_to_ap(config, channel))


def _follows_loader(session: AsyncSession, actor_id: int, followers: bool):
    mine = ActorFollow.target_actor_id if followers else ActorFollow.actor_id
    other = ActorFollow.actor_id if followers else ActorFollow.target_actor_id
    condition = sa.and_(mine == actor_id, ActorFollow.state == FollowState.ACCEPTED)

    async def load(start: int, count: int) -> tuple[int, list[str]]:
        total = (await session.execute(sa.select(sa.func.count()).select_from(ActorFollow).where(condition))).scalar()
        if count == 0:
            return total, []
        urls = await session.execute(sa.select(Actor.url).join(ActorFollow, other == Actor.id).where(condition)
                                     .order_by(ActorFollow.created_at, ActorFollow.id).offset(start).limit(count))
        return total, list(urls.scalars())

    return load


async def _actor_of(session: AsyncSession, folder: str, name: str) -> Actor:
    return (await _channel(session, name)).actor if folder == "video-channels" else (await _account(session, name)).actor


def _collection_routes(folder: str) -> None:
    async def followers(name: str, request: Request, session: SessionDep):
        actor = await _actor_of(session, folder, name)
        return await collection_response(request, f"{actor.url}/followers", _follows_loader(session, actor.id, True))

    async def following(name: str, request: Request, session: SessionDep):
        actor = await _actor_of(session, folder, name)
        return await collection_response(request, f"{actor.url}/following", _follows_loader(session, actor.id, False))

    async def outbox(name: str, request: Request, session: SessionDep, config: ConfigDep):
        actor = await _actor_of(session, folder, name)

        async def load(start: int, count: int):
            if not _outbox_loaders:
                return 0, []
            return await _outbox_loaders[0](session, config, actor, start, count)

        return await collection_response(request, f"{actor.url}/outbox", load)

    router.add_api_route(f"/{folder}/{{name}}/followers", followers, methods=["GET"])
    router.add_api_route(f"/{folder}/{{name}}/following", following, methods=["GET"])
    router.add_api_route(f"/{folder}/{{name}}/outbox", outbox, methods=["GET"])


_collection_routes("accounts")
_collection_routes("video-channels")


async def actor_document_response(config: Config, actor: Actor, session: AsyncSession):
    """For other routes that answer with an actor (aliases)."""
    if actor.type == ActorType.GROUP:
        return activity_response(channel_to_ap(config, await _channel(session, actor.preferred_username)))
    return activity_response(account_to_ap(config, await _account(session, actor.preferred_username)))
