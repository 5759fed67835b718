"""Search by handle or URL of a remote account, channel, video or playlist: the object is fetched and
stored first (when the instance lets this caller search remote URIs), then the ordinary search finds it.

`search.remote_uri.users` lets logged-in users do it, `search.remote_uri.anonymous` everybody.
The lookup runs in a transaction of its own (the search itself only reads), its remote documents read
with no write lock held (`fetch_first`).
"""

from __future__ import annotations

import logging

from vidpub.config import Config
from vidpub.db.models import User
from vidpub.federation.fetch import FetchError
from vidpub.federation.fetch_first import transaction_fetching_first
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
    if not (reference.name and reference.host) and not reference.url:
        return False

    async def store(session):
        if reference.name and reference.host:
            await actor_from_handle(session, config, f"{reference.name}@{reference.host}")
        else:
            await actor_from_url(session, config, reference.url)

    try:
        await transaction_fetching_first(runtime.db, config, store)
    except (ActorError, FetchError) as error:
        log.info("remote search of %r found nothing: %s", text[:200], error)
        return False
    return True


async def resolve_remote_object(runtime, user: User | None, text: str | None, store, refused: type[Exception],
                                what: str) -> bool:
    """Fetch and store, with `await store(session, config, url)`, the remote object the URL `text`
    names, if allowed; True when one was stored. `refused`: the store's error for a URL that does
    not name such an object."""
    config = runtime.config
    if not text or not may_search_remote(config, user):
        return False
    reference = references.parse(config, text.strip())
    if reference is None or reference.kind != references.ANY or not reference.url:
        return False
    try:
        await transaction_fetching_first(runtime.db, config, lambda session: store(session, config, reference.url))
    except refused as error:
        log.info("remote %s search of %r found nothing: %s", what, text[:200], error)
        return False
    return True
