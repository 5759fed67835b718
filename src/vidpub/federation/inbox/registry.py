"""Dispatch of incoming activities to their `process_*` handlers.

A handler registers for an activity type and the type of its object (or None: any object, or an
object given by bare id): `@handles("Create", "Video")`. `Undo` dispatches on the undone activity's
type: `@handles("Undo", "Follow")`. The most specific registration wins.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Actor
from vidpub.federation.fetch import fetch_json
from vidpub.federation.remote_actors import server_actor

if TYPE_CHECKING:
    from vidpub.runtime import Runtime

log = logging.getLogger("vidpub.federation.inbox")


@dataclass
class InboxContext:
    session: AsyncSession
    config: Config
    signer: Actor                  # the verified sender: the activity's actor
    runtime: Runtime | None = None
    inbox_actor_id: int | None = None  # the local actor whose inbox got it (None: the shared inbox)
    extra: dict[str, Any] = field(default_factory=dict)

    async def fetch_object(self, url: str) -> dict:
        """The remote document `url` names (for objects sent as bare ids), fetched signed by the
        server actor. Raises `federation.fetch.FetchError`."""
        instance = await server_actor(self.session)
        return await fetch_json(self.config, url, signer=instance)


Processor = Callable[[InboxContext, dict], Awaitable[None]]
_HANDLERS: dict[tuple[str, str | None], Processor] = {}


def handles(activity_type: str, object_type: str | None = None) -> Callable[[Processor], Processor]:
    def register(processor: Processor) -> Processor:
        key = (activity_type, object_type)
        if key in _HANDLERS:
            raise ValueError(f"two inbox handlers for {key}")
        _HANDLERS[key] = processor
        return processor

    return register


def object_type_of(activity: dict) -> str | None:
    value = activity.get("object")
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return value["type"]
    return None


def find_processor(activity: dict) -> Processor | None:
    activity_type = activity.get("type")
    if not isinstance(activity_type, str):
        return None
    return _HANDLERS.get((activity_type, object_type_of(activity))) or _HANDLERS.get((activity_type, None))


def registered() -> set[tuple[str, str | None]]:
    return set(_HANDLERS)


async def dispatch(ctx: InboxContext, activity: dict) -> bool:
    """Run the activity's handler; False when nobody handles it (dropped, as PeerTube does)."""
    import vidpub.federation.inbox  # noqa: F401  (the process modules register themselves)

    processor = find_processor(activity)
    if processor is None:
        log.info("no handler for %s/%s: dropped", activity.get("type"), object_type_of(activity))
        return False
    await processor(ctx, activity)
    return True
