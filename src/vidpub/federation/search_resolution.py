"""Search by handle or URL of a remote account or channel: the actor is fetched and stored first
(when the instance lets this caller search remote URIs), then the ordinary search finds it.

`search.remote_uri.users` lets logged-in users do it, `search.remote_uri.anonymous` everybody.
The lookup runs in a transaction of its own: the search itself only reads.
"""

from __future__ import annotations

import logging

from vidpub.config import Config
from vidpub.db.models import User
from vidpub.federation.fetch import FetchError
from vidpub.federation.remote_actors import ActorError, actor_from_handle, actor_from_url
from vidpub.services.search import references

log = logging.getLogger("vidpub.federation.search")


def may_search_remote(config: Config, user: User | None) -> bool:
    remote = config.search.remote_uri
    return bool(remote.anonymous) or (user is not None and bool(remote.users))


async def resolve_remote_actor(runtime, user: User | None, text: str | None) -> bool:
    """Fetch the remote actor `text` names, if any and if allowed; True when one was stored."""
    config = runtime.config
    if not text or not may_search_remote(config, user):
        return False
    reference = references.parse(config, text.strip())
    if reference is None or reference.kind != references.ANY:
        return False
    try:
        async with runtime.db.transaction() as session:
            if reference.name and reference.host:
                await actor_from_handle(session, config, f"{reference.name}@{reference.host}")
            elif reference.url:
                await actor_from_url(session, config, reference.url)
            else:
                return False
    except (ActorError, FetchError) as error:
        log.info("remote search of %r found nothing: %s", text[:200], error)
        return False
    return True
