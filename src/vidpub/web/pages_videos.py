"""Pages about videos: the home page, the watch page (with its password prompt), search results, a
playlist's page and the instance's about page."""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request

from vidpub.api.deps import ConfigDep, Pagination, SessionDep
from vidpub.api.video_list_params import VideoListQuery, apply_rights_and_defaults
from vidpub.config import Config
from vidpub.db.models import User
from vidpub.errors import ProblemError
from vidpub.services.comments import threads
from vidpub.services.playlists import listing
from vidpub.services.playlists.lookup import get_visible_playlist
from vidpub.services.search import videos as video_search
from vidpub.services.videos import list_items, reading
from vidpub.services.videos.queries import Page, VideoFilters
from vidpub.web.player_options import player_options
from vidpub.web.rendering import PageRoute, PageUser, access_token_of, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)

VideoRef = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9a-zA-Z-]+$")]
HOME_SECTION_SIZE = 12
LIST_PAGE_SIZE = 24
PASSWORD_CODES = ("video_requires_password", "incorrect_video_password")
COMMENT_THREADS_SHOWN = 20  # the first page, newest first, as PeerTube's watch page loads them


def listing_filters(config: Config, user: User | None, filters: VideoFilters, page: Page) -> VideoFilters:
    """The filters a public list runs with for this visitor (NSFW policy, visible privacies), exactly
    as the API's lists apply them."""
    return apply_rights_and_defaults(VideoListQuery(filters=filters, page=page, nsfw=None, wants_all_videos=False),
                                     config, user)


async def video_list(session, config: Config, user: User | None, filters: VideoFilters,
                     page: Page) -> tuple[int | None, list[dict]]:
    return await list_items.page_items(session, config, listing_filters(config, user, filters, page), page, user)


@router.get("/")
async def home(request: Request, session: SessionDep, config: ConfigDep, user: PageUser):
    sections = []
    for key, title, filters, sort in (("recent", "Recently added", VideoFilters(), "-publishedAt"),
                                      ("trending", "Trending", VideoFilters(), "-trending"),
                                      ("local", "Local videos", VideoFilters(is_local=True), "-publishedAt")):
        _, videos = await video_list(session, config, user, filters, Page(0, HOME_SECTION_SIZE, sort, skip_count=True))
        sections.append({"key": key, "title": title, "videos": videos})
    return render(request, "home.html", {"sections": sections})


# -- watch ----------------------------------------------------------------------------------------------

async def _watch(request: Request, session, config: Config, user: User | None, ref: str, password: str | None):
    try:
        video = (await reading.details(session, config, ref, user, password)).model_dump(mode="json")
    except ProblemError as problem:
        if problem.code in PASSWORD_CODES:
            wrong = problem.code == "incorrect_video_password"
            return render(request, "watch_password.html", {"ref": ref, "wrong_password": wrong}, status_code=403)
        if problem.status in (401, 403):  # private, internal or unpublished: as if it did not exist
            raise ProblemError(404, "Video not found") from None
        raise
    comments = await threads.list_threads(session, config, video["uuid"], user,
                                          Pagination(0, COMMENT_THREADS_SHOWN, "-createdAt"), password)
    # PeerTube's URL options (`?start=30`, `?muted=1`...) apply here as on the embed; the page shows the
    # title and is the PeerTube link itself. A signed-in viewer's token lets the player fetch a private
    # video's files and report views to the viewer's history (only signed-in viewers get one).
    return render(request, "watch.html", {
        "video": video, "canonical_url": f"{config.url}/w/{video['shortUUID']}",
        "player_options": {**player_options(request.query_params), "title": False, "peertubeLink": False},
        "comments": comments.model_dump(mode="json"),
        "password": password, "access_token": access_token_of(request) if user is not None else None})


@router.get("/w/{ref}")
@router.get("/videos/watch/{ref}")
async def watch(ref: VideoRef, request: Request, session: SessionDep, config: ConfigDep, user: PageUser):
    return await _watch(request, session, config, user, ref, None)


@router.post("/w/{ref}")
@router.post("/videos/watch/{ref}")
async def watch_with_password(ref: VideoRef, request: Request, session: SessionDep, config: ConfigDep,
                              user: PageUser):
    """The password prompt's answer (a form post: the password stays out of addresses and logs)."""
    form = await request.form(max_files=0, max_fields=5)
    password = form.get("password")
    password = password[:100] if isinstance(password, str) and password else None
    return await _watch(request, session, config, user, ref, password)


# -- search ---------------------------------------------------------------------------------------------

@router.get("/search")
async def search(request: Request, session: SessionDep, config: ConfigDep, user: PageUser,
                 text: Annotated[str, Query(alias="search", max_length=1000)] = "",
                 tag: Annotated[str | None, Query(alias="tagsOneOf", max_length=100)] = None,
                 start: Annotated[int, Query(ge=0, le=10_000)] = 0):
    text = text.strip()
    total, videos = None, []
    if text or tag:
        page = Page(start, LIST_PAGE_SIZE, video_search.DEFAULT_SORT if text else "-publishedAt")
        filters = listing_filters(config, user, VideoFilters(search=text or None, tags_one_of=[tag] if tag else None),
                                  page)
        answer = json.loads(await video_search.search_videos(session, config, filters, page, user))
        total, videos = answer.get("total"), answer["data"]
    query = {key: value for key, value in (("search", text), ("tagsOneOf", tag)) if value}
    return render(request, "search.html", {
        "search_text": text, "tag": tag, "videos": videos, "total": total, "start": start, "count": LIST_PAGE_SIZE,
        "base_query": urlencode(query) + "&" if query else ""})


# -- playlists ------------------------------------------------------------------------------------------

@router.get("/w/p/{ref}")
@router.get("/videos/watch/playlist/{ref}")
async def playlist_page(ref: VideoRef, request: Request, session: SessionDep, config: ConfigDep, user: PageUser,
                        start: Annotated[int, Query(ge=0, le=10_000)] = 0):
    playlist = await get_visible_playlist(session, ref, user)
    playlist_json = (await listing.one_playlist_json(session, config, playlist)).model_dump(mode="json")
    total, elements = await listing.list_elements(session, config, playlist, user, start, LIST_PAGE_SIZE)
    videos = [element.video.model_dump(mode="json") for element in elements if element.video is not None]
    return render(request, "playlist.html", {
        "playlist": playlist_json, "videos": videos, "total": total, "start": start, "count": LIST_PAGE_SIZE,
        "base_query": "", "canonical_url": f"{config.url}/w/p/{playlist_json['shortUUID']}"})


@router.get("/about")
async def about(request: Request, user: PageUser):
    return render(request, "about.html")
