"""The video state machine (peertube-internals §4.1).

    upload/import ──▶ TO_TRANSCODE ──transcoded──▶ PUBLISHED
         │                  └──failed──▶ TRANSCODING_FAILED ──re-transcode──▶ TO_TRANSCODE
         └─ transcoding disabled: PUBLISHED at once

`publishedAt` is set when a new video is published for the first time. A video uploaded with
`waitTranscoding=false` is listed and playable while it transcodes, through the uploaded file
exposed as its first web video (`lookup.is_listed_state`).

Object storage is not implemented by Vidpub yet, so the TO_MOVE_TO_EXTERNAL_STORAGE step of
PeerTube's rule is never taken.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import Video, VideoState
from vidpub.federation import video_jobs
from vidpub.services import notifications

# states a transcoding (or another file task) cannot start from: the video's files are busy
BUSY_STATES = frozenset({VideoState.TO_IMPORT, VideoState.TO_EDIT, VideoState.TO_MOVE_TO_EXTERNAL_STORAGE,
                         VideoState.TO_MOVE_TO_FILE_SYSTEM})
STATE_LABELS = {
    VideoState.PUBLISHED: "Published",
    VideoState.TO_TRANSCODE: "To transcode",
    VideoState.TO_IMPORT: "To import",
    VideoState.WAITING_FOR_LIVE: "Waiting for livestream",
    VideoState.LIVE_ENDED: "Livestream ended",
    VideoState.TO_MOVE_TO_EXTERNAL_STORAGE: "To move to an external storage",
    VideoState.TRANSCODING_FAILED: "Transcoding failed",
    VideoState.TO_MOVE_TO_EXTERNAL_STORAGE_FAILED: "External storage move failed",
    VideoState.TO_EDIT: "To edit*",
    VideoState.TO_MOVE_TO_FILE_SYSTEM: "To move to file system",
    VideoState.TO_MOVE_TO_FILE_SYSTEM_FAILED: "Move to file system failed",
    VideoState.TO_IMPORT_FAILED: "Import failed",
}


def transcoding_enabled(config: Config) -> bool:
    return bool(config.transcoding.enabled)


def next_state(config: Config, current: int | None) -> int:
    """PeerTube's rule: to transcoding when enabled (unless the video comes from a transcoding or an
    edition already), else published."""
    if current == VideoState.PUBLISHED:
        raise ValueError("a published video has no next state")
    already_processed = current in (VideoState.TO_EDIT, VideoState.TO_TRANSCODE,
                                    VideoState.TO_MOVE_TO_EXTERNAL_STORAGE, VideoState.TO_MOVE_TO_FILE_SYSTEM)
    if not already_processed and transcoding_enabled(config):
        return VideoState.TO_TRANSCODE
    return VideoState.PUBLISHED


def initial_state(config: Config) -> int:
    """The state of a video whose file just arrived (upload, import)."""
    return next_state(config, None)


def publish(video: Video, *, is_new_video: bool, now: datetime | None = None,
            session: AsyncSession | None = None, after_edition: bool = False) -> None:
    """Enter PUBLISHED; a new video is dated from its first publication. With the transaction's
    `session`, the publication is announced (subscribers, the owner: `notifications.video_published`)."""
    previous_state = video.state
    if video.state != VideoState.PUBLISHED and is_new_video:
        video.published_at = now or utcnow()
    video.state = VideoState.PUBLISHED
    if session is not None and previous_state != VideoState.PUBLISHED:
        notifications.video_published(session, video, previous_state=previous_state,
                                      is_new_video=is_new_video, after_edition=after_edition)
        # a video listed while it transcoded reached the peers then (`creation.start_processing`): now
        # they get an Update with its files, as a Create of a video they know changes nothing (PeerTube)
        federated_already = previous_state == VideoState.TO_TRANSCODE and not video.wait_transcoding
        video_jobs.federate_video(session, video, is_new=is_new_video and not federated_already)


def after_transcoding(config: Config, video: Video, *, is_new_video: bool,
                      session: AsyncSession | None = None, after_edition: bool = False) -> int:
    """A transcoding of the video succeeded: it is published (from any state: a forced run may
    succeed after another one failed). PeerTube would first move the files to object storage when
    that is enabled; Vidpub has no object storage yet."""
    if video.state != VideoState.PUBLISHED:
        publish(video, is_new_video=is_new_video, session=session, after_edition=after_edition)
    elif session is not None:  # new files of a published video: peers get them
        video_jobs.federate_video(session, video, is_new=False)
    return video.state


def transcoding_failed(video: Video) -> None:
    """A failed transcoding of a published video leaves it published (its files still play)."""
    if video.state != VideoState.PUBLISHED:
        video.state = VideoState.TRANSCODING_FAILED


def start_transcoding(video: Video) -> None:
    """An admin re-transcodes: the video waits for its new files (PeerTube does this too)."""
    video.state = VideoState.TO_TRANSCODE
