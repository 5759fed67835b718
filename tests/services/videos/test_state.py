"""The video state machine: where a video goes when its file arrives, after transcoding, on failure."""

from __future__ import annotations

from datetime import UTC, datetime

from vidpub.config import load_config
from vidpub.db.models import Video, VideoState
from vidpub.services.videos import state

CREATED = datetime(2024, 1, 1, tzinfo=UTC)


def config(tmp_path, transcoding: bool = True):
    return load_config(None, tmp_path, environ={"VIDPUB_TRANSCODING__ENABLED": str(transcoding).lower()})


def video(current: int) -> Video:
    return Video(state=current, published_at=CREATED)


def test_a_new_file_waits_for_transcoding_unless_it_is_disabled(tmp_path):
    assert state.initial_state(config(tmp_path)) == VideoState.TO_TRANSCODE
    assert state.initial_state(config(tmp_path, transcoding=False)) == VideoState.PUBLISHED
    # after an edition or a transcoding, the next step is publication
    assert state.next_state(config(tmp_path), VideoState.TO_EDIT) == VideoState.PUBLISHED
    assert state.next_state(config(tmp_path), VideoState.TO_IMPORT) == VideoState.TO_TRANSCODE


def test_a_new_video_is_dated_from_its_first_publication(tmp_path):
    fresh = video(VideoState.TO_TRANSCODE)
    assert state.after_transcoding(config(tmp_path), fresh, is_new_video=True) == VideoState.PUBLISHED
    assert fresh.published_at > CREATED

    again = video(VideoState.TO_TRANSCODE)
    state.after_transcoding(config(tmp_path), again, is_new_video=False)
    assert (again.state, again.published_at) == (VideoState.PUBLISHED, CREATED)


def test_a_success_after_a_failure_publishes(tmp_path):
    failed = video(VideoState.TRANSCODING_FAILED)
    assert state.after_transcoding(config(tmp_path), failed, is_new_video=False) == VideoState.PUBLISHED


def test_failure_marks_only_videos_not_yet_published():
    waiting = video(VideoState.TO_TRANSCODE)
    state.transcoding_failed(waiting)
    assert waiting.state == VideoState.TRANSCODING_FAILED
    published = video(VideoState.PUBLISHED)
    state.transcoding_failed(published)
    assert published.state == VideoState.PUBLISHED
