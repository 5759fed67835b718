"""Who sent an incoming activity: the HTTP signature's key owner, checked against the activity.

The sender's actor is fetched when unknown and stored only once its key verified the request, so a
forged request stores nothing. A stored actor whose key no longer verifies is fetched again once (key
rotation). An activity whose `actor` is not the signer must carry a valid LD signature by that actor
(a forwarded activity); the activity's actor is then the one the handlers see.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Account, Actor, ServerBlocklist
from vidpub.federation import ld_signatures
from vidpub.federation.ap.common import optional_id
from vidpub.db.base import utcnow
from vidpub.federation.remote_actors import (REFRESH_AFTER, REFRESH_JOB, ActorError, actor_from_url,
                                             fetch_actor_document, find_actor, host_of, server_actor, store_actor,
                                             webfinger_actor_url)
from vidpub.federation.signatures import (SignatureError, check_request, parse_signature_header,
                                          verify_signature)
from vidpub.jobs.queue import enqueue_unique
from vidpub.services.blocklists import is_muted_by_server, server_account_id

log = logging.getLogger("vidpub.federation.inbox")


async def _key_owner_url(config: Config, key_id: str) -> str:
    if key_id.startswith("acct:"):
        try:
            return await webfinger_actor_url(config, key_id[len("acct:"):])
        except ActorError as error:
            raise SignatureError(f"the key's owner cannot be found: {error}") from None
    return key_id.split("#", 1)[0]


async def http_signer(session: AsyncSession, config: Config, *, method: str, target: str,
                      headers: Mapping[str, str], body: bytes | None) -> Actor:
    """The remote actor whose key signed this request; raises SignatureError."""
    parsed = parse_signature_header(headers)
    check_request(parsed, method=method, headers=headers, body=body)
    url = await _key_owner_url(config, parsed.key_id)
    if not url.startswith(("http://", "https://")) or host_of(url) == config.host.lower():
        raise SignatureError("the key does not name a remote actor")
    actor = await find_actor(session, url)
    if actor is not None and actor.public_key and verify_signature(
            parsed, actor.public_key, method=method, target=target, headers=headers):
        if utcnow() - actor.updated_at > REFRESH_AFTER:  # read its profile again, out of this request
            await enqueue_unique(session, REFRESH_JOB, f"{REFRESH_JOB}:{actor.url}"[:250], {"url": actor.url})
        return actor
    instance = await server_actor(session)
    # nothing is written yet: end the transaction rather than hold SQLite's write lock while a peer answers
    await session.commit()
    try:  # unknown actor, or a key that may have been rotated: read the actor's document
        document = await fetch_actor_document(None, config, url, signer=instance)
    except ActorError as error:
        raise SignatureError(f"the signing actor cannot be used: {error}") from None
    if document["id"] != url or not verify_signature(parsed, document["publicKey"]["publicKeyPem"],
                                                     method=method, target=target, headers=headers):
        raise SignatureError("the signature does not verify with the actor's key")
    try:
        return await store_actor(session, config, document)
    except ActorError as error:
        raise SignatureError(f"the signing actor cannot be used: {error}") from None


async def activity_actor(session: AsyncSession, config: Config, activity: dict, signer: Actor) -> Actor:
    """The actor the activity speaks for, once proven: the signer itself, or the LD signature's
    creator when the signer forwards someone else's activity. Raises SignatureError."""
    actor_url = optional_id(activity.get("actor"))
    if actor_url is None:
        raise SignatureError("the activity has no actor")
    if actor_url == signer.url:
        return signer
    if ld_signatures.signature_creator(activity) != actor_url:
        raise SignatureError("the activity's actor is not the signer, and it carries no signature of its own")
    try:
        actor = await actor_from_url(session, config, actor_url)
    except ActorError as error:
        raise SignatureError(f"the activity's actor cannot be used: {error}") from None
    if actor.is_local or not actor.public_key or not ld_signatures.verify(activity, actor.public_key):
        raise SignatureError("the activity's Linked Data signature does not verify")
    return actor


async def is_blocked(session: AsyncSession, actor: Actor) -> bool:
    """Whether the instance blocks the actor's server or account: its activities are ignored."""
    if actor.server_id is not None:
        query = sa.select(ServerBlocklist.id).where(ServerBlocklist.target_server_id == actor.server_id,
                                                    ServerBlocklist.account_id == server_account_id())
        if (await session.execute(query)).first() is not None:
            return True
    account_id = (await session.execute(sa.select(Account.id).where(Account.actor_id == actor.id))).scalar()
    return account_id is not None and await is_muted_by_server(session, account_id)
