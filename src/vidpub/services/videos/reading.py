"""Reading videos for the API: one video as its viewer may see it, a page of a list, and the
smaller reads around a video (storyboards, a file's metadata)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.models import Storyboard, User, Video, VideoFile, VideoStreamingPlaylist
from vidpub.errors import not_found
from vidpub.schemas import video_items
from vidpub.schemas.videos import VideoDetailsJson, VideoList
from vidpub.services.videos import list_items, loading, queries
from vidpub.services.videos.lookup import ensure_can_see, get_video
from vidpub.services.videos.queries import VideoFilters, VideoInclude


async def visible_video(session: AsyncSession, ref: str, user: User | None, password: str | None,
                        options=()) -> Video:
    video = await get_video(session, ref, options)
    await ensure_can_see(session, video, user, password)
    return video


async def details(session: AsyncSession, config: Config, ref: str, user: User | None,
                  password: str | None) -> VideoDetailsJson:
    video = await visible_video(session, ref, user, password, (selectinload(Video.thumbnails),))
    return await loading.video_details(session, config, video, user)


# what a list item shows beyond the video's own row and owner: those lists take the ORM path
_RICH_INCLUDES = VideoInclude.FILES | VideoInclude.TAGS | VideoInclude.SOURCE


async def page(session: AsyncSession, config: Config, filters: VideoFilters, page: queries.Page,
               user: User | None) -> VideoList:
    include = filters.include
    if not include & _RICH_INCLUDES:
        total, items = await list_items.page_items(session, config, filters, page, user)
        return VideoList.model_validate({"total": total, "data": items})
    total, ids = await queries.list_video_ids(session, config, filters, page, user)
    videos = await loading.load_videos(session, ids)
    data = await loading.videos_json(session, config, videos, user, files=bool(include & VideoInclude.FILES),
                                     tags=bool(include & VideoInclude.TAGS),
                                     source=bool(include & VideoInclude.SOURCE))
    return VideoList(total=total, data=data)


async def page_json(session: AsyncSession, config: Config, filters: VideoFilters, page_: queries.Page,
                    user: User | None) -> bytes:
    """`page`, as the JSON body of the answer: the hot lists (instance, channel, account, search)
    encode their plain rows at once instead of going through the models."""
    if filters.include & _RICH_INCLUDES:
        return (await page(session, config, filters, page_, user)).model_dump_json().encode()
    total, items = await list_items.page_items(session, config, filters, page_, user)
    return video_items.encode({"total": total, "data": items} if total is not None else {"data": items})


async def storyboards(session: AsyncSession, video: Video) -> list[Storyboard]:
    return list((await session.execute(sa.select(Storyboard).where(Storyboard.video_id == video.id))).scalars())


async def file_metadata(session: AsyncSession, video: Video, file_id: int) -> dict:
    """The probed metadata (ffprobe-like `streams`, `format`, `chapters`) of one of the video's files."""
    in_playlist = VideoFile.video_streaming_playlist_id.in_(
        sa.select(VideoStreamingPlaylist.id).where(VideoStreamingPlaylist.video_id == video.id))
    file = (await session.execute(sa.select(VideoFile).where(
        VideoFile.id == file_id, sa.or_(VideoFile.video_id == video.id, in_playlist)))).scalar_one_or_none()
    if file is None:
        raise not_found("Video file not found")
    metadata = dict(file.metadata_json or {})
    return {"streams": metadata.get("streams", []), "format": metadata.get("format", {}),
            "chapters": metadata.get("chapters", []), **metadata}
