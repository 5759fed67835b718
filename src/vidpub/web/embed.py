"""The embed pages: `/videos/embed/{id}` and `/video-playlists/embed/{id}`, the player alone in a page
meant for an `<iframe>` on another site (the frame guard leaves these paths out, see `middleware.py`).

They honour PeerTube's embed URL options (`web/player_options.py`). An embed shows what an anonymous
visitor may see: private, internal and unpublished videos answer the 404 page, a password-protected one
a password prompt whose answer (a form post) plays it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from starlette.datastructures import QueryParams

from vidpub.api.deps import ConfigDep, SessionDep
from vidpub.config import Config
from vidpub.errors import ProblemError
from vidpub.services.playlists import listing
from vidpub.services.playlists.lookup import get_visible_playlist
from vidpub.services.videos import reading
from vidpub.web.player_options import player_options
from vidpub.web.rendering import PageRoute, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)

Ref = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9a-zA-Z-]+$")]
PASSWORD_CODES = ("video_requires_password", "incorrect_video_password")
PLAYLIST_EMBED_SIZE = 100   # elements listed beside the player (PeerTube's embed loads them by pages too)
MAX_PASSWORD = 100


async def _visible_video_json(session, config: Config, ref: str, password: str | None) -> dict:
    """The API's JSON of the video, as an anonymous visitor sees it; a hidden video is a missing one."""
    try:
        return (await reading.details(session, config, ref, None, password)).model_dump(mode="json")
    except ProblemError as problem:
        if problem.status in (401, 403) and problem.code not in PASSWORD_CODES:
            raise ProblemError(404, "Video not found") from None
        raise


async def _video_embed(request: Request, session, config: Config, ref: str, password: str | None):
    try:
        video = await _visible_video_json(session, config, ref, password)
    except ProblemError as problem:
        if problem.code not in PASSWORD_CODES:
            raise
        return render(request, "player/embed_password.html", {
            "wrong_password": problem.code == "incorrect_video_password"}, status_code=403)
    options = player_options(request.query_params, embed=True)
    return render(request, "player/embed.html", {"video": video, "options": options, "password": password})


@router.get("/videos/embed/{ref}")
async def video_embed(ref: Ref, request: Request, session: SessionDep, config: ConfigDep):
    return await _video_embed(request, session, config, ref, None)


@router.post("/videos/embed/{ref}")
async def video_embed_with_password(ref: Ref, request: Request, session: SessionDep, config: ConfigDep):
    """The password prompt's answer: a form post keeps the password out of addresses and logs."""
    form = await request.form(max_files=0, max_fields=5)
    password = form.get("password")
    password = password[:MAX_PASSWORD] if isinstance(password, str) and password else None
    return await _video_embed(request, session, config, ref, password)


def _position_url(request: Request, position: int, **extra: str) -> str:
    query = {key: value for key, value in request.query_params.items() if key not in ("playlistPosition", *extra)}
    return f"{request.url.path}?{urlencode({**query, **extra, 'playlistPosition': position})}"


@router.get("/video-playlists/embed/{ref}")
async def playlist_embed(ref: Ref, request: Request, session: SessionDep, config: ConfigDep,
                         position: Annotated[int, Query(alias="playlistPosition", ge=1, le=10_000)] = 1):
    """One element of the playlist in the player (`playlistPosition`, 1-based, PeerTube's option), the
    list beside it; at the end of a video the next playable element starts."""
    playlist = await get_visible_playlist(session, ref, None)
    playlist_json = (await listing.one_playlist_json(session, config, playlist)).model_dump(mode="json")
    total, elements = await listing.list_elements(session, config, playlist, None, 0, PLAYLIST_EMBED_SIZE)
    playable = [element for element in elements if element.video is not None]
    current = next((e for e in playable if e.position >= position), None) or (playable[0] if playable else None)
    video = options = None
    if current is not None:
        video = await _visible_video_json(session, config, current.video.uuid, None)
        query = QueryParams({"start": str(current.startTimestamp or ""), "stop": str(current.stopTimestamp or ""),
                             **request.query_params})
        options = player_options(query, embed=True)
        following = next((e for e in playable if e.position > current.position), None)
        if following is not None:
            options["nextUrl"] = _position_url(request, following.position, autoplay="1")
    items = [{"position": e.position, "name": e.video.name if e.video else None,
              "url": _position_url(request, e.position) if e.video else None,
              "duration": e.video.duration if e.video else None} for e in elements]
    return render(request, "player/embed_playlist.html", {
        "playlist": playlist_json, "video": video, "options": options, "items": items, "total": total,
        "current_position": current.position if current else None, "password": None})
