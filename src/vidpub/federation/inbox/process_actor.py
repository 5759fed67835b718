"""`Update` of an actor (Person, Group, Application, Service, Organization): profile changes.

The document is trusted for its own host: it must live on the sender's host and be the sender itself
or a channel of the sender's account (PeerTube sends channel updates as the channel or its owner).
Nothing is fetched: the stored actor, account or channel and its images are replaced by the document's.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.models import Account, Actor, VideoChannel
from vidpub.federation import remote_actors
from vidpub.federation.inbox.registry import InboxContext, handles

log = logging.getLogger("vidpub.federation.inbox")


async def _may_update(ctx: InboxContext, actor_url: str) -> bool:
    if actor_url == ctx.signer.url:
        return True
    owner_actor_id = (await ctx.session.execute(
        sa.select(Account.actor_id).join(VideoChannel, VideoChannel.account_id == Account.id)
        .join(Actor, Actor.id == VideoChannel.actor_id)
        .where(Actor.url == actor_url))).scalar()
    return owner_actor_id == ctx.signer.id


async def process_update_actor(ctx: InboxContext, activity: dict) -> None:
    document = activity.get("object")
    if not isinstance(document, dict) or ctx.signer.is_local:
        return
    try:
        remote_actors.validate_actor_document(document, ctx.signer.url)
    except remote_actors.ActorError as error:
        log.info("Update of an actor refused: %s", error)
        return
    if not await _may_update(ctx, document["id"]):
        log.info("%s may not update %s", ctx.signer.url, document["id"])
        return
    try:
        await remote_actors.store_actor(ctx.session, ctx.config, document)
    except remote_actors.ActorError as error:
        log.info("Update of %s refused: %s", document["id"], error)


for _actor_type in sorted(remote_actors.ACTOR_TYPES):
    handles("Update", _actor_type)(process_update_actor)
