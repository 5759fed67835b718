"""`GET /overviews/videos`: the "Discover" page, in PeerTube's shape. The instance draws, once an hour,
random samples of the categories, channels and tags that at least SAMPLE_THRESHOLD public videos
share; page N shows the N-th of each, with its latest videos (as the caller may see them).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Tag, User, Video, VideoPrivacy, VideoState, video_tag
from vidpub.schemas.video_items import encode
from vidpub.services import blocklists
from vidpub.services.videos import list_items, queries

# PeerTube's constants (OVERVIEWS.VIDEOS and MEMOIZE_TTL.OVERVIEWS_SAMPLE)
SAMPLE_THRESHOLD = 6
SAMPLES_COUNT = 20
VIDEOS_PER_SECTION = 12
SAMPLES_TTL_SECONDS = 3600.0


@dataclass(frozen=True)
class Samples:
    categories: list[int]
    channel_ids: list[int]
    tags: list[str]
    drawn_at: float


_samples: dict[str, Samples] = {}  # per database, this process


def _publicly_listed() -> list:
    return [Video.privacy == VideoPrivacy.PUBLIC, Video.state == VideoState.PUBLISHED,
            Video.channel_id.not_in(blocklists.muted_channel_ids_subquery(None))]


async def _random_values(session: AsyncSession, column) -> list:
    query = (sa.select(column).where(*_publicly_listed(), column.is_not(None)).group_by(column)
             .having(sa.func.count() >= SAMPLE_THRESHOLD).order_by(sa.func.random()).limit(SAMPLES_COUNT))
    return list((await session.execute(query)).scalars())


async def _random_tags(session: AsyncSession) -> list[str]:
    query = (sa.select(Tag.name).join(video_tag, video_tag.c.tag_id == Tag.id).join(Video, Video.id == video_tag.c.video_id)
             .where(Video.privacy == VideoPrivacy.PUBLIC, Video.state == VideoState.PUBLISHED)
             .group_by(Tag.name).having(sa.func.count() >= SAMPLE_THRESHOLD)
             .order_by(sa.func.random()).limit(SAMPLES_COUNT))
    return list((await session.execute(query)).scalars())


async def samples(session: AsyncSession) -> Samples:
    key = str(session.bind.url)
    found = _samples.get(key)
    if found is not None and time.monotonic() - found.drawn_at < SAMPLES_TTL_SECONDS:
        return found
    found = _samples[key] = Samples(categories=await _random_values(session, Video.category),
                                    channel_ids=await _random_values(session, Video.channel_id),
                                    tags=await _random_tags(session), drawn_at=time.monotonic())
    return found


async def _section_videos(session: AsyncSession, config: Config, filters: queries.VideoFilters,
                          user: User | None) -> list[dict]:
    page = queries.Page(0, VIDEOS_PER_SECTION, "-createdAt", skip_count=True)
    return (await list_items.page_items(session, config, filters, page, user))[1]


async def videos_overview(session: AsyncSession, config: Config, page: int, base: queries.VideoFilters,
                          user: User | None) -> bytes:
    """Page `page` (1-based) of the overview, encoded (`VideosOverview`); `base` holds the caller's
    NSFW filters."""
    drawn = await samples(session)
    index = page - 1
    body: dict[str, list] = {"categories": [], "channels": [], "tags": []}
    if index < len(drawn.categories):
        videos = await _section_videos(session, config, _with(base, category_one_of=[drawn.categories[index]]), user)
        if videos:
            body["categories"].append({"category": videos[0]["category"], "videos": videos})
    if index < len(drawn.channel_ids):
        videos = await _section_videos(session, config, _with(base, channel_ids=[drawn.channel_ids[index]]), user)
        if videos:
            body["channels"].append({"channel": videos[0]["channel"], "videos": videos})
    if index < len(drawn.tags):
        tag = drawn.tags[index]
        videos = await _section_videos(session, config, _with(base, tags_one_of=[tag]), user)
        if videos:
            body["tags"].append({"tag": tag, "videos": videos})
    return encode(body)


def _with(base: queries.VideoFilters, **changes) -> queries.VideoFilters:
    return queries.VideoFilters(**{**base.__dict__, **changes})
