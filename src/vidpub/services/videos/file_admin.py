"""What administrators do to a video's files: delete its HLS playlist or its web videos (whole
formats or one rendition), and run a new transcoding. PeerTube's checks and messages."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Job, JobState, Video, VideoFile, VideoState
from vidpub.errors import ProblemError, bad_request, invalid_param, not_found
from vidpub.services.videos import files, state
from vidpub.services.videos.lookup import get_video, ref_condition
from vidpub.services.videos.transcoding import FORMAT_ALIASES, TRANSCODING_JOB, enqueue_transcoding

INVALID_VIDEO_ID = "Should have a valid video id (id, short UUID or UUID)"


async def local_video(session: AsyncSession, ref: str) -> Video:
    """The video named in the path (400 when the name is malformed, 404 when unknown)."""
    if ref_condition(ref) is None:
        raise invalid_param("id", ref, INVALID_VIDEO_ID, "path")
    return await get_video(session, ref)


def _ensure_local(video: Video) -> None:
    if video.remote:
        raise bad_request("Cannot delete files of remote video")


# -- deleting files ----------------------------------------------------------------------------------

async def delete_hls(session: AsyncSession, config: Config, ref: str) -> None:
    video = await local_video(session, ref)
    _ensure_local(video)
    if await files.hls_playlist(session, video.id) is None:
        raise bad_request("This video does not have HLS files")
    if not await files.web_video_files(session, video.id):
        raise bad_request("Cannot delete HLS playlist since this video does not have Web Video files")
    removed = await files.delete_hls(session, config, video)
    await session.commit()
    await files.remove_all_files(config, removed)


async def delete_hls_file(session: AsyncSession, config: Config, ref: str, file_id: int) -> None:
    video = await local_video(session, ref)
    _ensure_local(video)
    playlist = await files.hls_playlist(session, video.id)
    if playlist is None:
        raise bad_request("This video does not have HLS files")
    file = next((f for f in playlist.files if f.id == file_id), None)
    if file is None:
        raise not_found("This HLS playlist does not have this file id")
    if len(playlist.files) == 1 and not await files.web_video_files(session, video.id):
        raise bad_request("Cannot delete last HLS playlist file since this video does not have "
                          "Web Video files")
    split = any(not f.has_video for f in playlist.files) and not any(f.has_video and f.has_audio
                                                                     for f in playlist.files)
    if split and not file.has_video and len(playlist.files) > 1:
        raise bad_request("Cannot delete audio file of HLS playlist with splitted audio/video. "
                          "Delete all the videos first")
    removed = await files.delete_hls_file(session, config, video, playlist, file)
    await session.commit()
    await files.remove_all_files(config, removed)


async def delete_web_videos(session: AsyncSession, config: Config, ref: str) -> None:
    video = await local_video(session, ref)
    _ensure_local(video)
    if not await files.web_video_files(session, video.id):
        raise bad_request("This video does not have Web Video files")
    if await files.hls_playlist(session, video.id) is None:
        raise bad_request("Cannot delete Web Video files since this video does not have HLS playlist")
    removed = await files.delete_web_videos(session, config, video)
    await session.commit()
    await files.remove_all_files(config, removed)


async def delete_web_video_file(session: AsyncSession, config: Config, ref: str, file_id: int) -> None:
    video = await local_video(session, ref)
    _ensure_local(video)
    web_files = await files.web_video_files(session, video.id)
    file: VideoFile | None = next((f for f in web_files if f.id == file_id), None)
    if file is None:
        raise not_found("This video does not have this Web Video file id")
    if len(web_files) == 1 and await files.hls_playlist(session, video.id) is None:
        raise bad_request("Cannot delete Web Video files since this video does not have HLS playlist")
    removed = await files.delete_web_video_file(session, config, video, file)
    await session.commit()
    await files.remove_all_files(config, removed)


# -- transcoding again ---------------------------------------------------------------------------------

def ensure_can_run_task(video: Video) -> None:
    """A task on the video's files needs a local, non-live video whose files are not busy."""
    if video.remote:
        raise bad_request("Cannot run this task on a remote video")
    if video.is_live:
        raise bad_request("Cannot run this task on a live")
    if video.state in state.BUSY_STATES:
        raise bad_request(f'Cannot run this task on a video with "{state.STATE_LABELS[video.state]}" state')


async def pending_transcoding(session: AsyncSession, video: Video) -> bool:
    """A transcoding job of the video has not yet recorded its files. A job that has (its result
    is committed together with the video's next state) only removes the replaced files before it
    ends: PeerTube lowers its `pendingTranscode` count before publishing too."""
    committed = sa.func.coalesce(Job.result["committed"].as_boolean(), False)
    running = (await session.execute(sa.select(Job.id).where(
        Job.type == TRANSCODING_JOB,
        Job.state.in_((JobState.WAITING, JobState.ACTIVE, JobState.WAITING_CHILDREN)),
        Job.payload["videoUUID"].as_string() == video.uuid,
        sa.not_(committed)).limit(1))).first()
    return running is not None


async def request_transcoding(session: AsyncSession, config: Config, ref: str, transcoding_type: str,
                              force: bool) -> None:
    """Make the requested format again from the video's best file (PeerTube's admin action)."""
    if transcoding_type not in FORMAT_ALIASES:
        raise invalid_param("transcodingType", transcoding_type, "Should have a valid transcoding type")
    video = await local_video(session, ref)
    ensure_can_run_task(video)
    if not state.transcoding_enabled(config):
        raise bad_request("Cannot run transcoding job because transcoding is disabled on this instance")
    if not force and await pending_transcoding(session, video):
        raise ProblemError(409, "This video is already being transcoded", "video_already_being_transcoded")
    if video.state != VideoState.TO_TRANSCODE:
        state.start_transcoding(video)
    enqueue_transcoding(session, video, is_new_video=False, formats=[transcoding_type])
    await session.commit()
