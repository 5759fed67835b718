"""The `video-transcoding` job on a real database with real files: what it records, what it leaves
on disk, how it fails, and that a crash at any point ends with the video published and no stray
file (a worker process killed mid-transcode, a run cut short after its commit)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tests.jobs.helpers import make_database, open_runtime, run, running_worker, wait_for_state, wait_until
from tests.jobs.processes import WorkerProcess
from tests.support.media import make_clip
from tests.support.transcoding import upload_in_process, video_by_uuid
from vidpub.config import load_config
from vidpub.db.base import utcnow
from vidpub.db.models import (
    Job,
    JobState,
    Storyboard,
    VideoCaption,
    VideoFile,
    VideoState,
    VideoStreamingPlaylist,
)
from vidpub.jobs.registry import load_handlers, with_configured_concurrency
from vidpub.services.videos import transcoding

TRANSCODING = "video-transcoding"
STORYBOARD = "generate-video-storyboard"


def transcoding_env(web_videos: bool, *resolutions: int) -> dict:
    env = {"VIDPUB_TRANSCODING__WEB_VIDEOS__ENABLED": "true" if web_videos else "false"}
    for resolution in resolutions:
        env[f"VIDPUB_TRANSCODING__RESOLUTIONS__{resolution}P"] = "true"
    return env


@pytest.fixture(scope="module")
def clip(tmp_path_factory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clip") / "clip.mp4", duration=4, width=640, height=360)


async def files_of(runtime, video_uuid: str) -> tuple[list[VideoFile], VideoStreamingPlaylist | None]:
    async with runtime.db.session(write=False) as session:
        video = await video_by_uuid(runtime, video_uuid)
        web = list((await session.execute(sa.select(VideoFile).where(VideoFile.video_id == video.id)
                                          .order_by(VideoFile.resolution.desc()))).scalars())
        playlist = (await session.execute(
            sa.select(VideoStreamingPlaylist).options(selectinload(VideoStreamingPlaylist.files))
            .where(VideoStreamingPlaylist.video_id == video.id))).scalar_one_or_none()
        return web, playlist


def stored_files(config) -> set[str]:
    """Every media file and torrent on disk (names only)."""
    names = set()
    for area in ("web_videos", "streaming_playlists", "torrents"):
        root = config.storage_path(area)
        names |= {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()
    return names


def referenced_files(web: list[VideoFile], playlist: VideoStreamingPlaylist | None) -> set[str]:
    names = set()
    for file in web + (list(playlist.files) if playlist else []):
        names |= {file.filename, file.torrent_filename}
        if playlist and file.video_streaming_playlist_id:
            names.add(file.filename.replace("-fragmented.mp4", ".m3u8"))
    if playlist:
        names |= {playlist.playlist_filename, playlist.segments_sha256_filename}
    return names


def test_transcoding_publishes_the_video_with_every_rendition(database_url_factory, tmp_path, clip):
    config = make_database(database_url_factory(), tmp_path / "data", transcoding_env(True, 144))

    async def scenario():
        async with open_runtime(config) as runtime:
            video_uuid, job_id = await upload_in_process(runtime, clip)
            uploaded, _ = await files_of(runtime, video_uuid)
            before = await video_by_uuid(runtime, video_uuid)
            assert before.state == VideoState.TO_TRANSCODE and len(uploaded) == 1
            async with running_worker(runtime, [TRANSCODING, STORYBOARD]):
                job = await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED, timeout=120)
                assert job.state == JobState.COMPLETED, job.error
                async with runtime.db.session(write=False) as session:
                    storyboard_job = (await session.execute(sa.select(Job.id).where(Job.type == STORYBOARD)
                                                            .order_by(Job.id.desc()))).scalars().first()
                await wait_for_state(runtime, storyboard_job, JobState.COMPLETED, timeout=60)
            after = await video_by_uuid(runtime, video_uuid)
            web, playlist = await files_of(runtime, video_uuid)
            async with runtime.db.session(write=False) as session:
                storyboard = (await session.execute(sa.select(Storyboard).where(
                    Storyboard.video_id == after.id))).scalar_one()
            return before, after, uploaded, web, playlist, storyboard, job

    before, after, uploaded, web, playlist, storyboard, job = run(scenario())
    assert after.state == VideoState.PUBLISHED and after.published_at >= before.published_at
    assert job.attempts == 1 and job.result["committed"]
    # the uploaded file was replaced by the transcoded web videos
    assert [(f.resolution, f.height, f.fps) for f in web] == [(360, 360, 25), (144, 144, 25)]
    assert uploaded[0].filename not in {f.filename for f in web}
    assert sorted((f.resolution, f.width, f.has_audio) for f in playlist.files) == [(144, 256, True),
                                                                                   (360, 640, True)]
    assert all(f.torrent_filename and f.info_hash for f in web + list(playlist.files))
    assert len(playlist.p2p_media_loader_infohashes) == 2
    assert stored_files(config) == referenced_files(web, playlist)
    assert not any(config.storage_path("tmp").joinpath("transcoding").iterdir())
    assert (storyboard.sprite_width, storyboard.sprite_duration) == (192, 1)
    assert config.storage_path("storyboards").joinpath(storyboard.filename).stat().st_size > 0


def test_hls_only_drops_the_uploaded_file_and_lists_the_captions(database_url_factory, tmp_path, clip):
    config = make_database(database_url_factory(), tmp_path / "data", transcoding_env(False))

    async def scenario():
        async with open_runtime(config) as runtime:
            video_uuid, job_id = await upload_in_process(runtime, clip, wait_transcoding=False)
            video = await video_by_uuid(runtime, video_uuid)
            async with runtime.db.transaction() as session:  # captioned while it waits for transcoding
                session.add(VideoCaption(video_id=video.id, language="fr", filename=f"{video_uuid}-fr.vtt",
                                         m3u8_filename=f"{video_uuid}-fr.m3u8"))
            async with running_worker(runtime, [TRANSCODING]):
                await wait_for_state(runtime, job_id, JobState.COMPLETED, timeout=120)
            return video, await files_of(runtime, video_uuid)

    video, (web, playlist) = run(scenario())
    assert web == [] and [f.resolution for f in playlist.files] == [360]
    assert stored_files(config) == referenced_files(web, playlist)
    master = (config.storage_path("streaming_playlists") / "hls" / video.uuid / playlist.playlist_filename).read_text()
    assert '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subtitles",NAME="French",' in master
    assert f'LANGUAGE="fr",URI="{config.url}/lazy-static/video-captions/{video.uuid}-fr.m3u8"' in master
    assert master.count('SUBTITLES="subtitles"') == 1


def test_an_unreadable_input_marks_the_video_transcoding_failed(database_url_factory, tmp_path, clip):
    config = make_database(database_url_factory(), tmp_path / "data", transcoding_env(True, 144))

    async def scenario():
        async with open_runtime(config) as runtime:
            video_uuid, job_id = await upload_in_process(runtime, clip)
            web, _ = await files_of(runtime, video_uuid)
            config.storage_path("web_videos").joinpath(web[0].filename).write_bytes(b"not a video at all\n" * 100)
            async with running_worker(runtime, [TRANSCODING]):
                job = await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED, timeout=60)
            return job, await video_by_uuid(runtime, video_uuid), await files_of(runtime, video_uuid)

    job, video, (web, playlist) = run(scenario())
    assert job.state == JobState.FAILED and "Invalid data" in job.error["message"]
    assert video.state == VideoState.TRANSCODING_FAILED
    assert playlist is None and len(web) == 1  # the upload stays as it was
    assert stored_files(config) == referenced_files(web, playlist)
    assert not any(config.storage_path("tmp").joinpath("transcoding").iterdir())


def test_a_run_cut_short_after_its_commit_is_finished_not_redone(database_url_factory, tmp_path, clip):
    config = make_database(database_url_factory(), tmp_path / "data", transcoding_env(True))

    async def scenario():
        async with open_runtime(config) as runtime:
            video_uuid, job_id = await upload_in_process(runtime, clip)
            # the first run did all its work (commit included), then its worker died
            first = await transcoding.run_transcoding(runtime, job_id, {"videoUUID": video_uuid, "isNewVideo": True})
            recorded = await files_of(runtime, video_uuid)
            async with runtime.db.transaction() as session:
                await session.execute(sa.update(Job).where(Job.id == job_id).values(
                    state=JobState.ACTIVE, attempts=1, worker_id="host:1:dead",
                    lease_expires_at=utcnow() - timedelta(seconds=1)))
            async with running_worker(runtime, [TRANSCODING]):
                job = await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED, timeout=60)
            return first, job, recorded, await files_of(runtime, video_uuid)

    first, job, (web_before, playlist_before), (web, playlist) = run(scenario())
    assert job.state == JobState.COMPLETED and job.attempts == 2 and job.result == first
    assert [f.filename for f in web] == [f.filename for f in web_before]
    assert playlist.playlist_filename == playlist_before.playlist_filename
    assert stored_files(config) == referenced_files(web, playlist)


def test_killing_a_worker_mid_transcode_the_job_is_retried_and_the_video_published(database_url_factory, tmp_path):
    url = database_url_factory()
    data_dir = tmp_path / "worker" / "data"
    config = make_database(url, data_dir, transcoding_env(True, 144))
    # long enough for the kill to land while ffmpeg writes, small enough to transcode twice quickly
    long_clip = make_clip(tmp_path / "long.mp4", duration=30, width=426, height=240)
    settings = {"database": {"url": url},
                "transcoding": {"web_videos": {"enabled": True}, "resolutions": {"144p": True}},
                "jobs": {"poll_interval": "100ms", "lease": "2 seconds", "retry_backoff": "100ms"}}

    async def scenario():
        async with open_runtime(config) as runtime:
            video_uuid, job_id = await upload_in_process(runtime, long_clip)
            workdir = transcoding.workdir_of(config, video_uuid, job_id) / "out"

            def fragments():
                return [p for p in workdir.glob("*-fragmented.mp4") if p.stat().st_size > 0] \
                    if workdir.exists() else []
            first = WorkerProcess(tmp_path / "worker", settings).start()
            try:
                async def writing():
                    return fragments()
                await wait_until(writing, timeout=60, interval=0.02)
                job = await wait_for_state(runtime, job_id, JobState.ACTIVE)
                assert job.progress < 85, "the kill must land while ffmpeg runs"
                first.kill()
            finally:
                first.stop()
            sizes = [p.stat().st_size for p in fragments()]
            await asyncio.sleep(1)
            assert [p.stat().st_size for p in fragments()] == sizes, "ffmpeg outlived its worker"
            interrupted = await video_by_uuid(runtime, video_uuid)
            assert interrupted.state == VideoState.TO_TRANSCODE

            second = WorkerProcess(tmp_path / "worker", settings).start()
            try:
                job = await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED, timeout=180)
            finally:
                second.stop()
            return job, await video_by_uuid(runtime, video_uuid), await files_of(runtime, video_uuid)

    job, video, (web, playlist) = run(scenario())
    assert job.state == JobState.COMPLETED, job.error
    assert job.attempts == 2
    assert video.state == VideoState.PUBLISHED
    assert [f.resolution for f in web] == [240, 144]
    assert sorted(f.resolution for f in playlist.files) == [144, 240]
    assert stored_files(config) == referenced_files(web, playlist)
    assert not any(config.storage_path("tmp").joinpath("transcoding").iterdir())


def test_the_kept_original_is_the_input(database_url_factory, tmp_path, clip):
    """With `transcoding.original_file.keep`, the job reads the original the uploader sent (here the
    exposed web video is spoiled first: the job does not read it)."""
    env = {**transcoding_env(True), "VIDPUB_TRANSCODING__ORIGINAL_FILE__KEEP": "true"}
    config = make_database(database_url_factory(), tmp_path / "data", env)

    async def scenario():
        async with open_runtime(config) as runtime:
            video_uuid, job_id = await upload_in_process(runtime, clip)
            web, _ = await files_of(runtime, video_uuid)
            exposed = config.storage_path("web_videos").joinpath(web[0].filename)
            exposed.unlink()  # a new file: the kept original may be a hard link to the same data
            exposed.write_bytes(b"spoiled")
            async with running_worker(runtime, [TRANSCODING]):
                job = await wait_for_state(runtime, job_id, JobState.COMPLETED, JobState.FAILED, timeout=60)
            return job, await files_of(runtime, video_uuid)

    job, (web, _) = run(scenario())
    assert job.state == JobState.COMPLETED, job.error
    assert [f.resolution for f in web] == [360] and web[0].size > 1000
    assert len(list(config.storage_path("original_video_files").iterdir())) == 1


def test_transcoding_concurrency_follows_the_configuration(tmp_path):
    config = load_config(None, tmp_path, environ={"VIDPUB_TRANSCODING__CONCURRENCY": "3"})
    specs = with_configured_concurrency(load_handlers(), config)
    assert specs[TRANSCODING].concurrency == 3
    assert (specs[TRANSCODING].attempts, specs[TRANSCODING].priority) == (1, 100)
    assert (specs[STORYBOARD].concurrency, specs[STORYBOARD].priority) == (1, 95)
