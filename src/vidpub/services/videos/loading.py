"""Everything a page of video JSON needs, loaded with a fixed number of queries whatever the page
size: the rows with their owners and thumbnails, then one query per related table for the whole page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (ScheduleVideoUpdate, Tag, User, UserVideoHistory, Video, VideoFile, VideoRedundancy,
                              VideoSource, VideoStreamingPlaylist, video_tag)
from vidpub.schemas.videos import (VideoDetailsJson, VideoJson, VideoRelated, video_details_json,
                                   video_json)
from vidpub.services.videos import viewer_counters
from vidpub.services.videos.lookup import with_owner

# loader options for a video row about to become JSON (owner and images)
VIDEO_JSON_OPTIONS = (with_owner(), selectinload(Video.thumbnails))


async def load_videos(session: AsyncSession, ids: Sequence[int]) -> list[Video]:
    """The rows of `ids`, in that order, ready for `video_json`."""
    if not ids:
        return []
    rows = (await session.execute(sa.select(Video).options(*VIDEO_JSON_OPTIONS)
                                  .where(Video.id.in_(ids)))).unique().scalars().all()
    by_id = {video.id: video for video in rows}
    return [by_id[video_id] for video_id in ids if video_id in by_id]


async def load_related(session: AsyncSession, videos: Sequence[Video], user: User | None = None, *,
                       files: bool = False, tags: bool = False, source: bool = False) -> dict[int, VideoRelated]:
    ids = [video.id for video in videos]
    related = {video_id: VideoRelated() for video_id in ids}
    if not ids:
        return related
    for schedule in (await session.execute(
            sa.select(ScheduleVideoUpdate).where(ScheduleVideoUpdate.video_id.in_(ids)))).scalars():
        related[schedule.video_id].schedule = schedule
    now = utcnow()
    watching = await session.execute(
        sa.select(Video.id, viewer_counters.viewers_of(Video.id, now, now - viewer_counters.VIEWER_LIFETIME))
        .where(Video.id.in_(ids)))
    for video_id, viewers in watching:
        related[video_id].viewers = viewers
    if user is not None:
        rows = await session.execute(sa.select(UserVideoHistory.video_id, UserVideoHistory.current_time).where(
            UserVideoHistory.user_id == user.id, UserVideoHistory.video_id.in_(ids)))
        for video_id, current_time in rows:
            related[video_id].history_time = current_time
    if files:
        await _load_files(session, ids, related)
    if tags:
        names: dict[int, list[str]] = defaultdict(list)
        rows = await session.execute(sa.select(video_tag.c.video_id, Tag.name).join(Tag, Tag.id == video_tag.c.tag_id)
                                     .where(video_tag.c.video_id.in_(ids)).order_by(Tag.name))
        for video_id, name in rows:
            names[video_id].append(name)
        for video_id in ids:
            related[video_id].tags = names.get(video_id, [])
    if source:
        # the latest source of each video (a replaced file adds a row)
        for row in (await session.execute(sa.select(VideoSource).where(VideoSource.video_id.in_(ids))
                                          .order_by(VideoSource.id))).scalars():
            related[row.video_id].source = row
    return related


async def _load_files(session: AsyncSession, ids: list[int], related: dict[int, VideoRelated]) -> None:
    for item in related.values():
        item.web_files, item.playlists = [], []
    for file in (await session.execute(sa.select(VideoFile).where(VideoFile.video_id.in_(ids)))).scalars():
        related[file.video_id].web_files.append(file)
    playlists = await session.execute(sa.select(VideoStreamingPlaylist)
                                      .options(selectinload(VideoStreamingPlaylist.files))
                                      .where(VideoStreamingPlaylist.video_id.in_(ids)))
    by_id = {}
    for playlist in playlists.scalars():
        related[playlist.video_id].playlists.append(playlist)
        by_id[playlist.id] = playlist.video_id
    if by_id:
        # every known copy (ours and other instances'): the players' fallback base URLs
        copies = await session.execute(sa.select(VideoRedundancy.video_streaming_playlist_id, VideoRedundancy.file_url)
                                       .where(VideoRedundancy.video_streaming_playlist_id.in_(by_id))
                                       .order_by(VideoRedundancy.id))
        for playlist_id, file_url in copies:
            related[by_id[playlist_id]].redundancy_urls.setdefault(playlist_id, []).append(file_url)


async def videos_json(session: AsyncSession, config: Config, videos: Sequence[Video], user: User | None = None, *,
                      files: bool = False, tags: bool = False, source: bool = False) -> list[VideoJson]:
    """List items for rows loaded with `VIDEO_JSON_OPTIONS` (e.g. by `load_videos`)."""
    related = await load_related(session, videos, user, files=files, tags=tags, source=source)
    return [video_json(config, video, related[video.id]) for video in videos]


async def videos_json_by_id(session: AsyncSession, config: Config, ids: Sequence[int],
                            user: User | None = None) -> dict[int, VideoJson]:
    """List items of the given videos, by id (e.g. the `video` of each import of a page)."""
    videos = await load_videos(session, list(dict.fromkeys(ids)))
    return {item.id: item for item in await videos_json(session, config, videos, user)}


async def video_details(session: AsyncSession, config: Config, video: Video,
                        user: User | None = None) -> VideoDetailsJson:
    """`VideoDetails` of a row loaded with `VIDEO_JSON_OPTIONS` (e.g. `get_video(..., VIDEO_JSON_OPTIONS)`)."""
    related = (await load_related(session, [video], user, files=True, tags=True))[video.id]
    return video_details_json(config, video, related)
