"""Which video a served file belongs to, and whether a caller may read it.

A file name maps to its video through one indexed lookup (`video_file.filename`,
`video_file.torrent_filename` and `video_source.kept_original_filename` are unique). The rules:
- private files (of private, internal and password-protected videos) open to a valid video file token
  for that video, or to whoever may see the video (`lookup.ensure_can_see`: owner, moderators,
  logged-in users for internal videos, password holders);
- downloads also honour the video's `downloadEnabled`, which binds everyone but the people who may
  manage the video;
- kept original files are for the owner and moderators only.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User, Video, VideoFile, VideoSource, VideoStreamingPlaylist
from vidpub.errors import ProblemError, invalid_param, unauthorized
from vidpub.services.auth.rights import UserRight
from vidpub.services.videos import file_tokens, lookup, stats_recording


@dataclass(frozen=True)
class Caller:
    """Who asks for a file: the bearer's user, a `videoFileToken`, a video password."""
    user: User | None = None
    file_token: str | None = None
    video_password: str | None = None


@dataclass
class ServedFile:
    video: Video
    file: VideoFile | None = None      # None for kept originals
    source: VideoSource | None = None  # kept originals only
    is_hls: bool = False


def invalid_file_token() -> ProblemError:
    return ProblemError(403, "Invalid video file token")


async def _video_with_owner(session: AsyncSession, video_id: int) -> Video:
    return (await session.execute(sa.select(Video).options(lookup.with_owner()).where(Video.id == video_id))
            ).unique().scalar_one()


async def web_video_file(session: AsyncSession, filename: str) -> ServedFile | None:
    row = (await session.execute(
        sa.select(VideoFile, Video).join(Video, Video.id == VideoFile.video_id).options(lookup.with_owner())
        .where(VideoFile.filename == filename))).unique().first()
    return ServedFile(row[1], row[0]) if row else None


async def hls_file(session: AsyncSession, filename: str) -> ServedFile | None:
    row = (await session.execute(
        sa.select(VideoFile, Video)
        .join(VideoStreamingPlaylist, VideoStreamingPlaylist.id == VideoFile.video_streaming_playlist_id)
        .join(Video, Video.id == VideoStreamingPlaylist.video_id).options(lookup.with_owner())
        .where(VideoFile.filename == filename))).unique().first()
    return ServedFile(row[1], row[0], is_hls=True) if row else None


async def torrent_file(session: AsyncSession, torrent_filename: str) -> ServedFile | None:
    """The file a torrent describes (web video or HLS), with its video."""
    row = (await session.execute(
        sa.select(VideoFile, sa.func.coalesce(VideoFile.video_id, VideoStreamingPlaylist.video_id))
        .outerjoin(VideoStreamingPlaylist, VideoStreamingPlaylist.id == VideoFile.video_streaming_playlist_id)
        .where(VideoFile.torrent_filename == torrent_filename))).first()
    if row is None or row[1] is None:
        return None
    file, video_id = row
    return ServedFile(await _video_with_owner(session, video_id), file,
                      is_hls=file.video_streaming_playlist_id is not None)


async def original_file(session: AsyncSession, filename: str) -> ServedFile | None:
    source = (await session.execute(
        sa.select(VideoSource).where(VideoSource.kept_original_filename == filename))).scalar_one_or_none()
    if source is None:
        return None
    return ServedFile(await _video_with_owner(session, source.video_id), source=source)


async def video_by_uuid(session: AsyncSession, video_uuid: str) -> Video | None:
    return (await session.execute(sa.select(Video).options(lookup.with_owner())
                                  .where(Video.uuid == video_uuid.lower()))).unique().scalar_one_or_none()


async def files_of_video(session: AsyncSession, video: Video, file_ids: list[int]) -> list[ServedFile]:
    """The video's files (web video or HLS) with these ids, in the order asked; 400 for any other id."""
    rows = (await session.execute(
        sa.select(VideoFile)
        .outerjoin(VideoStreamingPlaylist, VideoStreamingPlaylist.id == VideoFile.video_streaming_playlist_id)
        .where(VideoFile.id.in_(file_ids),
               sa.or_(VideoFile.video_id == video.id, VideoStreamingPlaylist.video_id == video.id))
    )).scalars()
    by_id = {file.id: file for file in rows}
    missing = [file_id for file_id in file_ids if file_id not in by_id]
    if missing:
        raise invalid_param("videoFileIds", file_ids,
                            f"Video file {missing[0]} does not belong to this video", "query")
    return [ServedFile(video, by_id[file_id], is_hls=by_id[file_id].video_streaming_playlist_id is not None)
            for file_id in file_ids]


async def reader_of(session: AsyncSession, config: Config, video: Video, caller: Caller) -> User | None:
    """Check that `caller` may read `video`'s files; the user they read as (None: anonymous or an
    anonymous password holder's token). A file token is checked first: it is what players send."""
    if caller.file_token is not None:
        grant = file_tokens.check_file_token(config, caller.file_token, video.uuid)
        if grant is None:
            raise invalid_file_token()
        if grant.user_id is None:
            return None
        user = await session.get(User, grant.user_id)
        return user if user is not None and not user.blocked else None
    await lookup.ensure_can_see(session, video, caller.user, caller.video_password)
    return caller.user


def ensure_download_enabled(video: Video, user: User | None) -> None:
    if not video.download_enabled and not lookup.can_manage(video, user):
        raise ProblemError(403, "Video download is disabled")


def ensure_can_download_original(video: Video, user: User | None) -> None:
    if user is None:
        raise unauthorized("Authentication is required to download an original file", "unauthorized_request")
    if not lookup.can_manage(video, user, UserRight.SEE_ALL_VIDEOS):
        raise ProblemError(403, "Only the owner of this video and moderators can download its original file")


async def count_download(session: AsyncSession, video_id: int) -> None:
    # a counter, not an edit of the video: `updatedAt` (federated as the object's `updated`) stays
    await session.execute(sa.update(Video).where(Video.id == video_id).values(
        downloads=Video.downloads + 1, updated_at=Video.updated_at))
    await stats_recording.record_download(session, video_id)  # the `downloads` time series
