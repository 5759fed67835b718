"""`GET /search/videos`: the video lists' filters and sorts over a full-text search, by relevance
(`-match`) unless asked otherwise.

The words must all be in the name, the tags or the description (accents and case aside, the last word
also as a prefix). A UUID names its video; a URL names the video it is the page or the ActivityPub id
of. On PostgreSQL with pg_trgm, a search whose words match nothing gets a second chance by name
similarity (typos), as PeerTube's trigram matching gives.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User, Video
from vidpub.schemas.video_items import encode
from vidpub.services.search import fulltext, references
from vidpub.services.videos import list_items, queries, reading
from vidpub.services.videos.queries import MATCH_SORT, SORT_COLUMNS, Page, VideoFilters, VideoInclude

SEARCH_SORT_COLUMNS = SORT_COLUMNS | {MATCH_SORT}
DEFAULT_SORT = f"-{MATCH_SORT}"
_RICH_INCLUDES = VideoInclude.FILES | VideoInclude.TAGS | VideoInclude.SOURCE


def _empty(page: Page) -> bytes:
    return encode({"data": []} if page.skip_count else {"total": 0, "data": []})


async def _referenced_uuids(session: AsyncSession, reference: references.Reference) -> list[str] | None:
    """The videos a URL names (None: the text names no video, search its words)."""
    if reference.kind == references.VIDEO:
        return [reference.uuid] if reference.uuid else []
    if reference.url is None:
        return None  # a handle: PeerTube's video search takes it as words
    if reference.kind != references.ANY:
        return []    # a page of a channel, an account or a playlist
    rows = await session.execute(sa.select(Video.uuid).where(Video.url == reference.url))
    return list(rows.scalars())


async def search_videos(session: AsyncSession, config: Config, filters: VideoFilters, page: Page,
                        user: User | None) -> bytes:
    """The page of results, encoded (`VideoList`)."""
    reference = references.parse(config, filters.search)
    if reference is not None:
        uuids = await _referenced_uuids(session, reference)
        if uuids is not None:
            if not uuids:
                return _empty(page)
            filters.search = None
            filters.uuids = [uuid for uuid in uuids if filters.uuids is None or uuid in filters.uuids]
            if not filters.uuids:
                return _empty(page)
    if filters.include & _RICH_INCLUDES:
        return await reading.page_json(session, config, filters, page, user)
    total, items = await list_items.page_items(session, config, filters, page, user)
    nothing = total == 0 if total is not None else not items and page.count > 0
    if nothing and page.start == 0 and queries.search_words(filters) and await fulltext.fuzzy_available(session):
        filters.fuzzy_search = True
        total, items = await list_items.page_items(session, config, filters, page, user)
    return encode({"data": items} if total is None else {"total": total, "data": items})
