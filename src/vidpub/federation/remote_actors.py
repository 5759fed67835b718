"""Remote actors: fetched, validated and stored with their server, account or channel and images.

An actor document is trusted only for its own host: its `id` must live on the host it was fetched
from, its key must belong to it. A `Group` (channel) must be attributed to a `Person` (its owner
account), fetched in turn. Stored actors are refreshed when older than two days (PeerTube's rule).
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from urllib.parse import quote, urlsplit

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import Account, Actor, ActorImage, ActorImageType, ActorType, Server, VideoChannel
from vidpub.federation.fetch import FetchError, fetch_json
from vidpub.federation.fetch_first import transaction_fetching_first

log = logging.getLogger("vidpub.federation")

REFRESH_AFTER = timedelta(days=2)
REFRESH_JOB = "activitypub-refresher"
ACCOUNT_TYPES = frozenset({"Person", "Application", "Organization", "Service"})
ACTOR_TYPES = ACCOUNT_TYPES | {"Group"}
WEBFINGER_ACCEPT = "application/jrd+json, application/json"


class ActorError(Exception):
    """The actor cannot be used (unreachable, invalid or lying about its identity)."""


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def remote_scheme(config: Config) -> str:
    """Scheme of URLs built from a bare host (WebFinger, instance follows): https, except for an
    instance itself served over http (tests and private networks), as PeerTube in test mode."""
    return "https" if config.webserver.https else "http"


async def server_actor(session: AsyncSession) -> Actor:
    """The instance's `Application` actor (`peertube`)."""
    query = (sa.select(Actor).join(Account, Account.actor_id == Actor.id)
             .where(Account.application_id.is_not(None), Actor.server_id.is_(None)))
    return (await session.execute(query)).scalar_one()


async def find_actor(session: AsyncSession, url: str) -> Actor | None:
    return (await session.execute(sa.select(Actor).where(Actor.url == url))).scalar_one_or_none()


def _first_url(value) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value.get("id") if isinstance(value.get("id"), str) else None
    return None


def _owner_url(document: dict) -> str | None:
    attributed = document.get("attributedTo")
    for item in attributed if isinstance(attributed, list) else [attributed]:
        if isinstance(item, dict) and item.get("type") == "Person" and isinstance(item.get("id"), str):
            return item["id"]
        if isinstance(item, str):
            return item
    return None


def validate_actor_document(document: dict, fetched_from: str) -> None:
    actor_id = document.get("id")
    if document.get("type") not in ACTOR_TYPES:
        raise ActorError(f"not an actor type: {str(document.get('type'))[:40]}")
    if not isinstance(actor_id, str) or host_of(actor_id) != host_of(fetched_from):
        raise ActorError("the actor's id is not on the host it was fetched from")
    for key in ("inbox", "preferredUsername"):
        if not isinstance(document.get(key), str) or not document[key]:
            raise ActorError(f"the actor has no {key}")
    if host_of(document["inbox"]) != host_of(actor_id):
        raise ActorError("the actor's inbox is on another host")
    key = document.get("publicKey")
    if not isinstance(key, dict) or not isinstance(key.get("publicKeyPem"), str):
        raise ActorError("the actor has no public key")
    if key.get("owner") not in (None, actor_id):
        raise ActorError("the actor's key belongs to someone else")
    if len(document["preferredUsername"]) > 255:
        raise ActorError("preferredUsername too long")


def _parse_date(value) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _images(document: dict, key: str, image_type: int) -> list[ActorImage]:
    value = document.get(key)
    images = []
    for item in value if isinstance(value, list) else [value]:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        path = urlsplit(item["url"]).path.rsplit("/", 1)[-1][:100] or "image"
        images.append(ActorImage(type=image_type, filename=f"remote-{uuid.uuid4().hex}-{path}",
                                 file_url=item["url"][:2000], width=int(item.get("width") or 0),
                                 height=int(item.get("height") or 0), on_disk=False))
    return images


def _all_images(document: dict) -> list[ActorImage]:
    return _images(document, "icon", ActorImageType.AVATAR) + _images(document, "image", ActorImageType.BANNER)


async def _server(session: AsyncSession, host: str) -> Server:
    found = (await session.execute(sa.select(Server).where(Server.host == host))).scalar_one_or_none()
    if found is not None:
        return found
    try:
        async with session.begin_nested():
            server = Server(host=host)
            session.add(server)
    except IntegrityError:
        return (await session.execute(sa.select(Server).where(Server.host == host))).scalar_one()
    return server


def _apply(actor: Actor, document: dict) -> None:
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    actor.type = document["type"] if document["type"] in (ActorType.PERSON, ActorType.GROUP) else (
        ActorType.APPLICATION if document["type"] == "Application" else ActorType.PERSON)
    actor.preferred_username = document["preferredUsername"]
    actor.public_key = document["publicKey"]["publicKeyPem"]
    actor.inbox_url = document["inbox"][:2000]
    actor.outbox_url = _first_url(document.get("outbox"))
    shared = endpoints.get("sharedInbox")
    actor.shared_inbox_url = shared if isinstance(shared, str) and host_of(shared) == host_of(actor.url) else None
    actor.followers_url = _first_url(document.get("followers"))
    actor.following_url = _first_url(document.get("following"))
    actor.remote_created_at = _parse_date(document.get("published"))
    actor.updated_at = utcnow()


def _text(value, limit: int) -> str | None:
    return value[:limit] if isinstance(value, str) else None


async def store_actor(session: AsyncSession, config: Config, document: dict, *, depth: int = 0) -> Actor:
    """Create or update the remote actor described by a validated `document`."""
    owner = None
    if document["type"] == "Group":
        owner_url = _owner_url(document)
        if owner_url is None or depth > 1:
            raise ActorError("a channel must be attributed to its owner account")
        owner = await actor_from_url(session, config, owner_url, depth=depth + 1)
        if owner.type == ActorType.GROUP:
            raise ActorError("a channel's owner must be an account")
    actor = await find_actor(session, document["id"])
    if actor is not None and actor.is_local:
        raise ActorError("a remote document cannot describe a local actor")
    display_name = _text(document.get("name"), 120) or document["preferredUsername"]
    description = _text(document.get("summary"), 10000)
    if actor is None:
        server = await _server(session, host_of(document["id"]))
        actor = Actor(url=document["id"], server_id=server.id, images=_all_images(document))
        _apply(actor, document)
        try:
            async with session.begin_nested():
                session.add(actor)
                await session.flush()
                if owner is None:
                    session.add(Account(name=display_name, description=description, actor_id=actor.id))
                else:
                    owner_account = (await session.execute(
                        sa.select(Account).where(Account.actor_id == owner.id))).scalar_one()
                    session.add(VideoChannel(name=display_name, description=description, actor_id=actor.id,
                                             account_id=owner_account.id,
                                             support=_text(document.get("support"), 1000)))
                await session.flush()
        except IntegrityError:  # stored meanwhile by a concurrent request
            found = await find_actor(session, document["id"])
            if found is None:
                raise ActorError("the actor conflicts with a stored one (name taken on its server)") from None
            return found
        return actor
    _apply(actor, document)
    await session.execute(sa.delete(ActorImage).where(ActorImage.actor_id == actor.id))
    for image in _all_images(document):
        image.actor_id = actor.id
        session.add(image)
    await session.flush()
    await session.refresh(actor, ["images"])
    model = VideoChannel if document["type"] == "Group" else Account
    await session.execute(sa.update(model).where(model.actor_id == actor.id)
                          .values(name=display_name, description=description, updated_at=utcnow()))
    await session.flush()
    return actor


async def fetch_actor_document(session: AsyncSession | None, config: Config, url: str, *,
                               signer: Actor | None = None) -> dict:
    """Fetch and validate an actor document without storing anything (signed by `signer`, by
    default the server actor read through `session`)."""
    if signer is None:
        signer = await server_actor(session)
    try:
        document = await fetch_json(config, url, signer=signer)
    except FetchError as error:
        raise ActorError(str(error)) from None
    validate_actor_document(document, url)
    return document


async def actor_from_url(session: AsyncSession, config: Config, url: str, *, refresh: bool = False,
                         depth: int = 0) -> Actor:
    """The actor `url` names: local, stored (refreshed when stale or when `refresh`), or fetched."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ActorError("an actor id must be an http(s) URL")
    actor = await find_actor(session, url)
    if actor is not None and actor.is_local:
        return actor
    if host_of(url) == config.host.lower():
        raise ActorError("no such local actor")
    if actor is not None and not refresh and utcnow() - actor.updated_at < REFRESH_AFTER:
        return actor
    try:
        document = await fetch_actor_document(session, config, url)
    except ActorError:
        if actor is not None and not refresh:
            log.info("refresh of %s failed: keeping the stored copy", url)
            return actor
        raise
    return await store_actor(session, config, document, depth=depth)


async def webfinger_actor_url(config: Config, handle: str) -> str:
    """The actor URL WebFinger gives for `name@host`."""
    name, _, host = handle.lstrip("@").partition("@")
    if not name or not host:
        raise ActorError("a handle is name@host")
    resource = quote(f"acct:{name}@{host}", safe=":@")
    url = f"{remote_scheme(config)}://{host}/.well-known/webfinger?resource={resource}"
    try:
        document = await fetch_json(config, url, accept=WEBFINGER_ACCEPT)
    except FetchError as error:
        raise ActorError(str(error)) from None
    for link in document.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "self" and isinstance(link.get("href"), str) and (
                link.get("type") in ("application/activity+json", None) or "activity" in str(link.get("type"))):
            return link["href"]
    raise ActorError(f"WebFinger gave no ActivityPub actor for {handle}")


async def actor_from_handle(session: AsyncSession, config: Config, handle: str) -> Actor:
    name, _, host = handle.lstrip("@").partition("@")
    if host.lower() == config.host.lower():
        query = sa.select(Actor).where(Actor.server_id.is_(None),
                                       sa.func.lower(Actor.preferred_username) == name.lower())
        actor = (await session.execute(query)).scalar_one_or_none()
        if actor is None:
            raise ActorError("no such local actor")
        return actor
    known = (await session.execute(
        sa.select(Actor).join(Server, Server.id == Actor.server_id)
        .where(Server.host == host.lower(), Actor.preferred_username == name))).scalar_one_or_none()
    if known is not None and utcnow() - known.updated_at < REFRESH_AFTER:
        return known
    return await actor_from_url(session, config, await webfinger_actor_url(config, handle))


async def run_refresh_job(runtime, payload: dict) -> dict:
    """The `activitypub-refresher` job: read a stored remote actor's document again."""
    async def refresh(session) -> dict:
        actor = await actor_from_url(session, runtime.config, payload["url"], refresh=True)
        return {"refreshed": actor.url}

    return await transaction_fetching_first(runtime.db, runtime.config, refresh)
