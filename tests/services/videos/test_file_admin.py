"""Which transcoding jobs still count as running for the admin's "transcode again" request."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from vidpub.db import Database
from vidpub.db.migrate import upgrade
from vidpub.db.models import Job, Video
from vidpub.db.models.jobs import JobState
from vidpub.services.videos.file_admin import pending_transcoding
from vidpub.services.videos.transcoding import TRANSCODING_JOB


@pytest.mark.parametrize(("job_state", "result", "pending"), [
    (JobState.WAITING, None, True),
    (JobState.ACTIVE, None, True),
    (JobState.ACTIVE, {"progress": "encoding"}, True),
    # the video's files and next state are recorded; the job only removes replaced files now
    (JobState.ACTIVE, {"committed": True, "state": 1}, False),
    (JobState.COMPLETED, {"committed": True}, False),
    (JobState.FAILED, None, False),
])
def test_a_job_counts_until_its_files_are_committed(database_url_factory, job_state, result, pending):
    url = database_url_factory()
    upgrade(url)
    video = Video(uuid=str(uuid.uuid4()))

    async def check() -> tuple[bool, bool]:
        db = Database(url)
        try:
            async with db.transaction() as session:
                session.add(Job(type=TRANSCODING_JOB, payload={"videoUUID": video.uuid}, state=job_state,
                                result=result))
                session.add(Job(type="video-storyboard", payload={"videoUUID": video.uuid}))
            async with db.session(write=False) as session:
                other = Video(uuid=str(uuid.uuid4()))
                return await pending_transcoding(session, video), await pending_transcoding(session, other)
        finally:
            await db.dispose()

    assert asyncio.run(check()) == (pending, False)
