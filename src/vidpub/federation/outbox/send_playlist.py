"""Create/Update/Delete of our playlists, sent by their owner account to the followers of that
account, of the playlist's channel and of the instance (PeerTube's audience for playlists).

Only public and unlisted regular playlists are published: a playlist becoming private is deleted
for the others, a private one made public is created for them.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Account, Actor, VideoChannel, VideoPlaylist, VideoPlaylistPrivacy
from vidpub.federation import urls
from vidpub.federation.ap.playlist import is_published, playlist_object
from vidpub.federation.audience import audience_for, follower_inboxes
from vidpub.federation.context import context_for
from vidpub.federation.outbox.delivery import deliver
from vidpub.federation.remote_actors import server_actor


async def _owner(session: AsyncSession, playlist: VideoPlaylist) -> Actor:
    return (await session.execute(sa.select(Actor).join(Account, Account.actor_id == Actor.id)
                                  .where(Account.id == playlist.owner_account_id))).scalar_one()


async def _send(session: AsyncSession, playlist: VideoPlaylist, activity: dict, owner: Actor) -> None:
    follower_of = [owner.id, (await server_actor(session)).id]
    if playlist.video_channel_id is not None:
        follower_of.append((await session.execute(sa.select(VideoChannel.actor_id)
                                                  .where(VideoChannel.id == playlist.video_channel_id))).scalar_one())
    await deliver(session, activity, signer=owner, inboxes=await follower_inboxes(session, follower_of))


async def _send_object(session: AsyncSession, config: Config, playlist: VideoPlaylist, kind: str) -> None:
    await session.flush()
    owner = await _owner(session, playlist)
    if not owner.is_local:
        return
    audience = audience_for(playlist.privacy == VideoPlaylistPrivacy.PUBLIC, owner.followers_url)
    document = {**await playlist_object(session, config, playlist), **audience}
    activity_id = f"{playlist.url}/activity" if kind == "Create" else urls.update_url(playlist.url, playlist.updated_at)
    activity = {"@context": context_for("Playlist"), "type": kind, "id": activity_id, "actor": owner.url,
                "object": document, **audience}
    await _send(session, playlist, activity, owner)


async def send_delete_playlist(session: AsyncSession, playlist: VideoPlaylist) -> None:
    owner = await _owner(session, playlist)
    if not owner.is_local:
        return
    audience = audience_for(playlist.privacy == VideoPlaylistPrivacy.PUBLIC, owner.followers_url)
    activity = {"@context": context_for(None), "type": "Delete", "id": urls.delete_url(playlist.url),
                "actor": owner.url, "object": playlist.url, **audience}
    await _send(session, playlist, activity, owner)


async def playlist_changed(session: AsyncSession, config: Config, playlist: VideoPlaylist, *,
                           was_published: bool) -> None:
    """After a playlist of ours was created (`was_published` False), edited or had its elements
    changed, in the writer's transaction: what the others must hear, if anything."""
    published = is_published(playlist)
    if published and not was_published:
        await _send_object(session, config, playlist, "Create")
    elif published:
        await _send_object(session, config, playlist, "Update")
    elif was_published:
        await send_delete_playlist(session, playlist)
