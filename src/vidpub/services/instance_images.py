"""The instance's own avatar and banner: images of its server actor (`peertube`).

`/api/v1/config` and the About page show them from a per-configuration cache, so a change bumps the
shared configuration version in the same transaction: every process rebuilds, this one at once.
"""

from __future__ import annotations

from typing import IO

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.runtime import Runtime
from vidpub.services import images
from vidpub.services.custom_config import announce_instance_change
from vidpub.services.installer import server_actor


async def _server_actor_id(runtime: Runtime) -> int:
    # a read session: the write one must not start its transaction (SQLite's write lock) before
    # the image processing is done
    async with runtime.db.session(write=False) as session:
        return (await server_actor(session)).id


async def replace(session: AsyncSession, runtime: Runtime, image_type: int, stream: IO[bytes],
                  original_name: str | None, field: str) -> None:
    stored, version = await images.replace_actor_images(
        session, runtime.config, await _server_actor_id(runtime), image_type, stream, original_name, field,
        same_transaction=announce_instance_change)
    runtime.apply_custom_config(stored, version)


async def delete(session: AsyncSession, runtime: Runtime, image_type: int) -> None:
    stored, version = await images.delete_actor_images(
        session, runtime.config, await _server_actor_id(runtime), image_type,
        same_transaction=announce_instance_change)
    runtime.apply_custom_config(stored, version)
