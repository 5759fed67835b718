"""In-process videos for the transcoding tests: a user, a channel and a video whose input file is
attached exactly as an upload attaches it, on a real migrated database (no HTTP layer involved)."""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path

import sqlalchemy as sa

from vidpub.db.models import Job, Video, VideoChannel
from vidpub.runtime import Runtime
from vidpub.schemas.video_create import VideoAttributes
from vidpub.services.auth.rights import UserRole
from vidpub.services.users import NewUser, create_user
from vidpub.services.videos import creation

_counter = itertools.count()


def prepare_storage(config) -> None:
    """The storage directories `vidpub serve` creates at start-up."""
    for name in config.storage:
        config.storage_path(name).mkdir(parents=True, exist_ok=True)


async def create_uploader(runtime: Runtime) -> tuple[int, int]:
    """A new user; returns (user id, id of its default channel)."""
    name = f"tc{os.getpid() % 10000}x{next(_counter)}"
    async with runtime.db.transaction() as session:
        user = await create_user(session, runtime.config, NewUser(
            username=name, email=f"{name}@example.com", password_hash=None, role=UserRole.USER,
            video_quota=-1, video_quota_daily=-1))
        channel_id = (await session.execute(sa.select(VideoChannel.id).join(VideoChannel.account)
                                            .where(VideoChannel.account.has(user_id=user.id)))).scalar_one()
        return user.id, channel_id


async def upload_in_process(runtime: Runtime, clip: Path, *, name: str = "a transcoded clip", privacy: int = 1,
                            wait_transcoding: bool = True, user_id: int | None = None,
                            channel_id: int | None = None) -> tuple[str, int | None]:
    """Create a video from `clip` (copied, the original stays) as an upload does; returns its UUID
    and the id of the transcoding job it enqueued (None when transcoding is disabled)."""
    from vidpub.media.probe import probe
    from vidpub.services.users import get_user

    prepare_storage(runtime.config)
    if user_id is None or channel_id is None:
        user_id, channel_id = await create_uploader(runtime)
    copy = clip.parent / f"upload-{next(_counter)}{clip.suffix}"
    shutil.copyfile(clip, copy)
    attributes = VideoAttributes(name=name, channelId=channel_id, privacy=privacy, waitTranscoding=wait_transcoding)
    async with runtime.db.transaction() as session:
        user = await get_user(session, user_id)
        video = await creation.create_video_record(session, runtime.config, user, attributes, state=1)
        await creation.attach_input_file(session, runtime, video, copy, clip.name, probe(copy))
        video_uuid = video.uuid
    async with runtime.db.session(write=False) as session:
        job_id = (await session.execute(
            sa.select(Job.id).where(Job.type == "video-transcoding").order_by(Job.id.desc()).limit(1)
            .where(Job.payload["videoUUID"].as_string() == video_uuid))).scalar_one_or_none()
    return video_uuid, job_id


async def video_by_uuid(runtime: Runtime, video_uuid: str) -> Video | None:
    async with runtime.db.session(write=False) as session:
        return (await session.execute(sa.select(Video).where(Video.uuid == video_uuid))).scalar_one_or_none()
