"""Playlists received: `Create`/`Update` of a `Playlist` (stored or replaced) and their deletion."""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.models import Account
from vidpub.federation import remote_playlists
from vidpub.federation.inbox.process_delete import deleter
from vidpub.federation.inbox.registry import InboxContext, handles

log = logging.getLogger("vidpub.federation.inbox")


@handles("Create", "Playlist")
@handles("Update", "Playlist")
async def process_playlist(ctx: InboxContext, activity: dict) -> None:
    try:
        await remote_playlists.store_playlist(ctx.session, ctx.config, activity["object"], ctx.signer)
    except remote_playlists.PlaylistRefused as error:
        log.info("playlist from %s not accepted: %s", ctx.signer.url, error)


@deleter
async def delete_playlist(ctx: InboxContext, url: str, activity: dict) -> bool:
    playlist = await remote_playlists.find_playlist(ctx.session, url)
    if playlist is None:
        return False
    owner_actor_id = (await ctx.session.execute(
        sa.select(Account.actor_id).where(Account.id == playlist.owner_account_id))).scalar()
    if owner_actor_id != ctx.signer.id or ctx.signer.is_local:
        log.info("%s may not delete the playlist %s", ctx.signer.url, url)
        return True
    await remote_playlists.delete_playlist(ctx.session, ctx.config, playlist)
    return True
