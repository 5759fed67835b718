"""Deleting a video: its rows go in one statement (the database cascades to files, playlists,
captions, tags, rates, history...), its files once that committed."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User, Video
from vidpub.federation.outbox.send_video import send_delete_if_federated
from vidpub.services.auth.rights import UserRight
from vidpub.services.videos import files
from vidpub.services.videos.lookup import ensure_can_manage, get_video


async def delete_video(session: AsyncSession, config: Config, ref: str, user: User) -> None:
    """The owner, or a holder of REMOVE_ANY_VIDEO, deletes the video with every file it has."""
    video = await get_video(session, ref)
    ensure_can_manage(video, user, UserRight.REMOVE_ANY_VIDEO)
    snapshot = await files.snapshot_files(session, config, video)
    await send_delete_if_federated(session, config, video.id)
    await session.execute(sa.delete(Video).where(Video.id == video.id))
    await session.commit()
    await files.remove_all_files(config, snapshot)


async def delete_channel_videos(session: AsyncSession, config: Config, channel_id: int) -> files.FilesSnapshot:
    """Delete every video of a channel in the caller's transaction (a channel's deletion), peers told
    of each; returns their files, to remove once that transaction committed."""
    snapshot = files.FilesSnapshot()
    videos = (await session.execute(sa.select(Video).where(Video.channel_id == channel_id))).scalars().all()
    for video in videos:
        snapshot.extend(await files.snapshot_files(session, config, video))
        await send_delete_if_federated(session, config, video.id)
    await session.execute(sa.delete(Video).where(Video.channel_id == channel_id))
    return snapshot
