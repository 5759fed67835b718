"""`/sitemap.xml`: the instance's public pages for search engines — local channels and accounts, and
the local public videos with Google's video extension (thumbnail, player, duration)."""

from __future__ import annotations

from xml.sax.saxutils import escape

import sqlalchemy as sa
from fastapi import APIRouter, Response

from vidpub.api.deps import ConfigDep, SessionDep
from vidpub.db.models import Video
from vidpub.schemas.actors import account_json, channel_json
from vidpub.services import accounts, channels
from vidpub.services.markdown import markdown_to_plain_text
from vidpub.services.videos.queries import Page, VideoFilters
from vidpub.web.pages_videos import video_list

router = APIRouter(include_in_schema=False)

MAX_VIDEOS = 2000    # the most recent ones; a sitemap file holds at most 50,000 addresses
MAX_ACTORS = 1000
DESCRIPTION_LENGTH = 2000  # the video extension's limit


def _url(loc: str, extra: str = "") -> str:
    return f"<url><loc>{escape(loc)}</loc>{extra}</url>"


def _video_entry(base_url: str, video: dict, full_description: str | None) -> str:
    description = markdown_to_plain_text(full_description, DESCRIPTION_LENGTH) or video["name"]
    parts = [f"<video:title>{escape(video['name'])}</video:title>",
             f"<video:description>{escape(description)}</video:description>",
             f"<video:player_loc>{escape(video['embedUrl'])}</video:player_loc>"]
    if video.get("thumbnailPath"):
        parts.insert(0, f"<video:thumbnail_loc>{escape(base_url + (video.get('previewPath') or video['thumbnailPath']))}"
                        "</video:thumbnail_loc>")
    if video.get("duration"):
        parts.append(f"<video:duration>{int(video['duration'])}</video:duration>")
    parts.append(f"<video:view_count>{int(video.get('views') or 0)}</video:view_count>")
    if video.get("publishedAt"):
        parts.append(f"<video:publication_date>{escape(str(video['publishedAt']))}</video:publication_date>")
    return _url(f"{base_url}/w/{video['shortUUID']}", f"<video:video>{''.join(parts)}</video:video>")


@router.get("/sitemap.xml")
async def sitemap(session: SessionDep, config: ConfigDep):
    base_url = config.url
    _, videos = await video_list(session, config, None, VideoFilters(is_local=True),
                                 Page(0, MAX_VIDEOS, "-publishedAt", skip_count=True))
    _, channel_rows = await channels.list_channels(session, start=0, count=MAX_ACTORS, sort="-createdAt")
    _, account_rows = await accounts.list_accounts(session, start=0, count=MAX_ACTORS, sort="-createdAt")
    entries = [_url(base_url + "/")]
    for row in channel_rows:
        channel = channel_json(row, base_url, config.host)
        if channel.isLocal:
            entries.append(_url(f"{base_url}/c/{channel.name}/videos"))
    for row in account_rows:
        account = account_json(row, base_url, config.host)
        if account.host == config.host and account.userId is not None:
            entries.append(_url(f"{base_url}/a/{account.name}/videos"))
    # list items carry the truncated description; the sitemap takes up to DESCRIPTION_LENGTH of the whole one
    ids = [video["id"] for video in videos]
    descriptions = dict((await session.execute(sa.select(Video.id, Video.description).where(Video.id.in_(ids)))).all())
    entries += [_video_entry(base_url, video, descriptions.get(video["id"])) for video in videos]
    body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">\n'
            + "\n".join(entries) + "\n</urlset>\n")
    return Response(body, media_type="application/xml; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=3600"})
