"""Resumable upload sessions on a real database of each backend: chunks, the acknowledged size after a
crash, processing claims (the 503 of a re-sent last chunk), failures, and the hourly clean-up."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.jobs.helpers import make_database, open_runtime, run
from tests.support.transcoding import create_uploader, prepare_storage
from vidpub.db.base import utcnow
from vidpub.db.models import UploadSession
from vidpub.errors import ProblemError
from vidpub.services.uploads import resumable, sessions
from vidpub.storage import layout

SIZE = 10


@pytest.fixture(scope="module")
def sessions_config(database_url_factory, tmp_path_factory):
    config = make_database(database_url_factory(), tmp_path_factory.mktemp("sessions-data"))
    prepare_storage(config)
    return config


async def body(*pieces: bytes, wait: asyncio.Event | None = None):
    for piece in pieces:
        yield piece
        if wait is not None:
            await wait.wait()


async def _open(runtime, user_id: int, name: str) -> UploadSession:
    async with runtime.db.session() as session:
        upload, resumed = await sessions.open_session(
            session, runtime.config, kind=sessions.Kind.VIDEO, user_id=user_id, filename=f"{name}.mp4", size=SIZE,
            mime="video/mp4", metadata={"name": name}, identity={"name": name})
        await session.commit()
        assert resumed is False
        return upload


async def _chunk(runtime, upload, content_range, content_length, *pieces):
    async with runtime.db.session() as session:
        upload = await session.get(UploadSession, upload.id)
        await sessions.receive_chunk(session, runtime.config, upload, content_range, content_length, body(*pieces))
        return upload


async def _row(runtime, upload) -> UploadSession | None:
    async with runtime.db.session(write=False) as session:
        return await session.get(UploadSession, upload.id)


def test_chunks_append_and_a_reopened_session_resumes(sessions_config):
    async def scenario():
        async with open_runtime(sessions_config) as runtime:
            user_id, _ = await create_uploader(runtime)
            upload = await _open(runtime, user_id, "append")
            path = sessions.data_path(runtime.config, upload)
            assert path.read_bytes() == b""
            await _chunk(runtime, upload, "bytes 0-3/10", 4, b"ab", b"cd")
            assert (await _row(runtime, upload)).bytes_written == 4 and path.read_bytes() == b"abcd"

            async with runtime.db.session() as session:
                again, resumed = await sessions.open_session(
                    session, runtime.config, kind=sessions.Kind.VIDEO, user_id=user_id, filename="append.mp4",
                    size=SIZE, mime="video/mp4", metadata={"name": "append"}, identity={"name": "append"})
                await session.commit()
            assert again.id == upload.id and resumed is True

            # a body cut short keeps what arrived; a body longer than its range is cut at the range
            await _chunk(runtime, upload, "bytes 4-9/10", 6, b"ef")
            assert (await _row(runtime, upload)).bytes_written == 6
            with pytest.raises(ProblemError) as too_long:
                await _chunk(runtime, upload, "bytes 6-7/10", None, b"ghij")
            assert too_long.value.status == 400
            assert (await _row(runtime, upload)).bytes_written == 8 and path.read_bytes() == b"abcdefgh"

    run(scenario())


def test_the_row_and_the_file_agree_after_a_crash(sessions_config):
    async def scenario():
        async with open_runtime(sessions_config) as runtime:
            user_id, _ = await create_uploader(runtime)
            upload = await _open(runtime, user_id, "crash")
            path = sessions.data_path(runtime.config, upload)
            await _chunk(runtime, upload, "bytes 0-3/10", 4, b"abcd")
            with path.open("ab") as file:   # written by a process that died before acknowledging it
                file.write(b"zz")
            await _chunk(runtime, upload, "bytes */10", 0)
            assert path.read_bytes() == b"abcd"
            os.truncate(path, 2)            # a file that lost its end
            await _chunk(runtime, upload, "bytes */10", 0)
            assert (await _row(runtime, upload)).bytes_written == 2

    run(scenario())


def test_one_chunk_at_a_time_per_session(sessions_config):
    async def scenario():
        async with open_runtime(sessions_config) as runtime:
            user_id, _ = await create_uploader(runtime)
            upload = await _open(runtime, user_id, "concurrent")
            release = asyncio.Event()

            async def slow_chunk():
                async with runtime.db.session() as session:
                    row = await session.get(UploadSession, upload.id)
                    await sessions.receive_chunk(session, runtime.config, row, "bytes 0-3/10", 4,
                                                 body(b"ab", b"cd", wait=release))

            first = asyncio.create_task(slow_chunk())
            while upload.id not in sessions._receiving:
                await asyncio.sleep(0.01)
            with pytest.raises(ProblemError) as busy:
                await _chunk(runtime, upload, "bytes 0-3/10", 4, b"abcd")
            assert busy.value.status == 429
            release.set()
            await first
            assert (await _row(runtime, upload)).bytes_written == 4

    run(scenario())


async def _finish_with(runtime, user, upload, finisher):
    async with runtime.db.session() as session:
        return await resumable.continue_upload(session, runtime.config, user, upload.id, sessions.Kind.VIDEO,
                                               "bytes */10", 0, body(), finisher(session))


class _User:
    def __init__(self, user_id: int):
        self.id = user_id


def test_a_claimed_upload_answers_503_until_its_claim_is_stale(sessions_config):
    async def scenario():
        async with open_runtime(sessions_config) as runtime:
            user_id, _ = await create_uploader(runtime)
            user = _User(user_id)
            upload = await _open(runtime, user_id, "claimed")
            await _chunk(runtime, upload, "bytes 0-9/10", 10, b"0123456789")
            async with runtime.db.session() as session:   # another request is processing it
                assert await sessions.claim(session, await session.get(UploadSession, upload.id))

            calls = []

            def finisher(session):
                async def finish(row):
                    calls.append(row.id)
                    sessions.mark_done(row, {"video": {"id": 1}})
                    await session.commit()
                    return row.result
                return finish

            with pytest.raises(ProblemError) as busy:
                await _finish_with(runtime, user, upload, finisher)
            assert busy.value.status == 503 and busy.value.headers == {"Retry-After": "300"}
            assert calls == []

            async with runtime.db.transaction() as session:  # the claiming process died long ago
                await session.execute(sa.update(UploadSession).where(UploadSession.id == upload.id).values(
                    completed_at=utcnow() - sessions.PROCESSING_LEASE - timedelta(seconds=1)))
            done = await _finish_with(runtime, user, upload, finisher)
            assert done.done and done.result == {"video": {"id": 1}} and calls == [upload.id]
            again = await _finish_with(runtime, user, upload, finisher)   # answered from memory
            assert again.result == {"video": {"id": 1}} and calls == [upload.id]

    run(scenario())


def test_a_refused_upload_is_forgotten_and_a_crashed_one_released(sessions_config):
    async def scenario():
        async with open_runtime(sessions_config) as runtime:
            user_id, _ = await create_uploader(runtime)
            user = _User(user_id)

            def failing(error):
                def finisher(session):
                    async def finish(row):
                        raise error
                    return finish
                return finisher

            refused = await _open(runtime, user_id, "refused")
            await _chunk(runtime, refused, "bytes 0-9/10", 10, b"0123456789")
            with pytest.raises(ProblemError):
                await _finish_with(runtime, user, refused, failing(ProblemError(422, "Video file unreadable.")))
            assert await _row(runtime, refused) is None
            assert not sessions.data_path(runtime.config, refused).exists()

            crashed = await _open(runtime, user_id, "crashed")
            await _chunk(runtime, crashed, "bytes 0-9/10", 10, b"0123456789")
            with pytest.raises(RuntimeError):
                await _finish_with(runtime, user, crashed, failing(RuntimeError("disk on fire")))
            row = await _row(runtime, crashed)
            assert row is not None and row.completed_at is None and row.result is None
            assert sessions.data_path(runtime.config, crashed).read_bytes() == b"0123456789"

    run(scenario())


def test_purge_removes_expired_sessions_and_orphan_files(sessions_config):
    async def scenario():
        async with open_runtime(sessions_config) as runtime:
            user_id, _ = await create_uploader(runtime)
            expired = await _open(runtime, user_id, "expired")
            alive = await _open(runtime, user_id, "alive")
            async with runtime.db.transaction() as session:
                await session.execute(sa.update(UploadSession).where(UploadSession.id == expired.id)
                                      .values(expires_at=utcnow() - timedelta(seconds=1)))
            directory = layout.resumable_uploads_dir(runtime.config)
            old_orphan, new_orphan = directory / "1-oldorphan.mp4", directory / "1-neworphan.mp4"
            for orphan in (old_orphan, new_orphan):
                orphan.write_bytes(b"x")
            two_hours_ago = time.time() - 7200
            os.utime(old_orphan, (two_hours_ago, two_hours_ago))

            async with runtime.db.session() as session:
                assert await sessions.purge_expired(session, runtime.config) == 2
            assert await _row(runtime, expired) is None and not sessions.data_path(runtime.config, expired).exists()
            assert await _row(runtime, alive) is not None and sessions.data_path(runtime.config, alive).exists()
            assert not old_orphan.exists() and new_orphan.exists()
            new_orphan.unlink()

    run(scenario())
