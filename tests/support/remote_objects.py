"""Objects of a remote instance, written straight into a test server's database: until federation
exists no API can create them, and the blocklists (which hide whole servers) need some."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import create_async_engine

from tests.support.database import database_url
from tests.support.server import ServerProcess
from vidpub.db.models import Account, Actor, ActorType, Server, Video, VideoChannel


@dataclass
class RemoteVideo:
    host: str
    account_handle: str  # name@host
    uuid: str


def remote_copy_of_video(server: ServerProcess, video_uuid: str, host: str) -> RemoteVideo:
    """A remote account and channel on `host` (created if needed), publishing a copy of the local
    video `video_uuid`'s row (same state, privacy and metadata; no files)."""
    name = f"remote_{uuid.uuid4().hex[:8]}"
    new_uuid = str(uuid.uuid4())

    async def run() -> None:
        engine = create_async_engine(database_url(server))
        try:
            async with engine.begin() as connection:
                server_id = (await connection.execute(sa.select(Server.id).where(Server.host == host))).scalar()
                if server_id is None:
                    server_id = (await connection.execute(
                        sa.insert(Server).values(host=host).returning(Server.id))).scalar_one()
                actor_ids = []
                for actor_type, folder in ((ActorType.PERSON, "accounts"), (ActorType.GROUP, "video-channels")):
                    url = f"https://{host}/{folder}/{name}"
                    actor_ids.append((await connection.execute(sa.insert(Actor).values(
                        type=actor_type, preferred_username=name if actor_type == ActorType.PERSON else f"{name}_ch",
                        url=url, inbox_url=f"{url}/inbox", server_id=server_id).returning(Actor.id))).scalar_one())
                account_id = (await connection.execute(sa.insert(Account).values(
                    name=name, actor_id=actor_ids[0]).returning(Account.id))).scalar_one()
                channel_id = (await connection.execute(sa.insert(VideoChannel).values(
                    name=f"{name} channel", actor_id=actor_ids[1], account_id=account_id)
                    .returning(VideoChannel.id))).scalar_one()
                table = Video.__table__
                row = (await connection.execute(sa.select(table).where(table.c.uuid == video_uuid))).mappings().one()
                copy = {key: value for key, value in row.items() if key != "id"}
                copy.update(uuid=new_uuid, url=f"https://{host}/videos/watch/{new_uuid}", channel_id=channel_id,
                            remote=True)
                await connection.execute(sa.insert(table).values(**copy))
        finally:
            await engine.dispose()

    asyncio.run(run())
    return RemoteVideo(host=host, account_handle=f"{name}@{host}", uuid=new_uuid)
