"""The instance's custom homepage (`/custom-pages/homepage/instance`): markdown with PeerTube's
custom markup, which the web client renders on `/home` when `ServerConfig.homepage.enabled`.

It is a custom page of the instance's own actor, as in PeerTube. `/api/v1/config` is built once per
instance state, so a change bumps the shared configuration version in the same transaction: every
process rebuilds it, this one at once.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.db.models import ActorCustomPage, CustomPageType
from vidpub.errors import not_found
from vidpub.runtime import Runtime
from vidpub.services.custom_config import announce_instance_change
from vidpub.services.installer import server_actor

MAX_CONTENT_LENGTH = 100_000  # characters; PeerTube's validator only asks for a string


def _homepage_of(actor_id):
    return sa.select(ActorCustomPage).where(ActorCustomPage.actor_id == actor_id,
                                            ActorCustomPage.type == CustomPageType.HOMEPAGE)


async def get_homepage(session: AsyncSession) -> str:
    """The homepage's content; 404 when none was ever set."""
    actor = await server_actor(session)
    page = (await session.execute(_homepage_of(actor.id))).scalar_one_or_none()
    if page is None:
        raise not_found("Instance homepage could not be found")
    return page.content or ""


async def homepage_enabled(session: AsyncSession) -> bool:
    """Whether the web client should show the custom homepage: some content is set."""
    actor = await server_actor(session)
    content = (await session.execute(sa.select(ActorCustomPage.content).where(
        ActorCustomPage.actor_id == actor.id, ActorCustomPage.type == CustomPageType.HOMEPAGE))).scalar_one_or_none()
    return bool(content)


async def set_homepage(session: AsyncSession, runtime: Runtime, content: str | None) -> None:
    """Create or replace the homepage (empty content: the client shows its default home)."""
    actor = await server_actor(session)
    page = (await session.execute(_homepage_of(actor.id))).scalar_one_or_none()
    if page is None:
        session.add(ActorCustomPage(actor_id=actor.id, type=CustomPageType.HOMEPAGE, content=content))
    else:
        page.content = content
    stored, version = await announce_instance_change(session)
    await session.commit()
    runtime.apply_custom_config(stored, version)
