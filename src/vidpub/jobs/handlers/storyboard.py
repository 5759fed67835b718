"""The `generate-video-storyboard` job (PeerTube: 1 attempt, 1 at once, priority 95, 6 h TTL),
queued after a new video's transcoding when `storyboards.enabled`.

The image is made in a work directory and moved into place in the transaction that records it;
running twice (a retried crash) replaces the first storyboard."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import sqlalchemy as sa

from vidpub.db.models import Storyboard
from vidpub.jobs.context import JobContext
from vidpub.jobs.registry import job_type
from vidpub.media.ffmpeg import binary_for
from vidpub.media.probe import probe
from vidpub.media.storyboard import generate_storyboard, plan_storyboard
from vidpub.services.videos import files
from vidpub.services.videos.transcoding import best_input, load_video
from vidpub.storage import layout

STORYBOARD_JOB = "generate-video-storyboard"


@job_type(STORYBOARD_JOB, attempts=1, concurrency=1, priority=95, timeout=6 * 3600)
async def generate_video_storyboard(ctx: JobContext) -> dict:
    config = ctx.runtime.config
    video_uuid = str(ctx.payload["videoUUID"])
    async with ctx.runtime.db.session(write=False) as session:
        video = await load_video(session, video_uuid)
        if video is None:
            return {"skipped": "the video was deleted"}
        source = await best_input(session, config, video)
    if source is None:
        return {"skipped": "the video has no file"}
    probed = await asyncio.to_thread(probe, source.path)
    if not probed.has_video:
        return {"skipped": "the video has no video stream"}
    plan = plan_storyboard(probed.duration, probed.width, probed.height)
    if plan is None:
        return {"skipped": "the video is too short for a storyboard"}

    workdir = Path(tempfile.mkdtemp(prefix="storyboard-", dir=config.storage_path("tmp")))
    filename = layout.image_filename()
    try:
        image = workdir / filename
        await generate_storyboard(binary_for(config), source.path, image, plan)
        destination = layout.storyboard_path(config, filename)
        moved = False
        try:
            async with ctx.runtime.db.transaction() as session:
                video = await load_video(session, video_uuid, for_update=True)
                if video is None:
                    return {"skipped": "the video was deleted"}
                old = (await session.execute(
                    sa.select(Storyboard).where(Storyboard.video_id == video.id))).scalar()
                replaced = []
                if old is not None:
                    if not old.file_url:
                        replaced.append(layout.storyboard_path(config, old.filename))
                    await session.delete(old)
                    await session.flush()
                session.add(Storyboard(
                    video_id=video.id, filename=filename, total_width=plan.total_width,
                    total_height=plan.total_height, sprite_width=plan.sprite_width,
                    sprite_height=plan.sprite_height, sprite_duration=plan.sprite_duration))
                await session.flush()
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(image), destination)
                moved = True
        except BaseException:
            if moved:  # the row was not recorded after all
                destination.unlink(missing_ok=True)
            raise
        await files.remove_all_files(config, files.FilesSnapshot(paths=replaced))
        return {"filename": filename, "spriteDuration": plan.sprite_duration,
                "grid": f"{plan.columns}x{plan.rows}"}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
