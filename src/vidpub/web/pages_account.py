"""Signing in and out, signing up, and the signed-in user's own pages: upload, my videos, my library
(history, playlists, subscriptions). Forms post to these pages and work without JavaScript; the upload
page's script speaks the API's resumable protocol with the page's token."""

from __future__ import annotations

from typing import Annotated

import pydantic
from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse

from vidpub.api.deps import ConfigDep, RuntimeDep, SessionDep, client_ip, enforce_rate_limit
from vidpub.db.models import User
from vidpub.errors import ProblemError
from vidpub.schemas.actors import channel_json
from vidpub.schemas.registrations import UserRegister, UserRegistrationRequest
from vidpub.services import channels, history, registrations, subscriptions
from vidpub.services.auth import oauth, tokens
from vidpub.services.constants import VIDEO_PRIVACIES
from vidpub.services.playlists import listing
from vidpub.services.videos import list_items
from vidpub.services.videos.queries import Page, VideoFilters
from vidpub.web.pages_videos import LIST_PAGE_SIZE
from vidpub.web.rendering import (
    ACCESS_COOKIE,
    PageRoute,
    PageUser,
    access_token_of,
    clear_access_cookie,
    error_page,
    render,
    same_origin,
    set_access_cookie,
)

router = APIRouter(include_in_schema=False, route_class=PageRoute)

Start = Annotated[int, Query(ge=0, le=10_000)]
TWO_FACTOR_CODES = ("missing_two_factor", "invalid_two_factor")
FORM_LIMITS = {"max_files": 0, "max_fields": 20}


def _text(form, name: str, limit: int = 1000) -> str:
    value = form.get(name)
    return value[:limit] if isinstance(value, str) else ""


def _next_path(value: str | None) -> str:
    """Where to go after signing in: a path of this site only (never `//other.host` or a URL)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def _sign_in_redirect(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


# -- log in / log out -----------------------------------------------------------------------------------

@router.get("/login")
async def login_form(request: Request, user: PageUser, next: Annotated[str | None, Query(max_length=500)] = None):
    return render(request, "login.html", {"next": _next_path(next), "needs_otp": False})


@router.post("/login")
async def log_in(request: Request, session: SessionDep, runtime: RuntimeDep):
    await enforce_rate_limit(request, "login")
    if not same_origin(request):
        return error_page(request, 403, "This form must be sent from this site.")
    form = await request.form(**FORM_LIMITS)
    username, password = _text(form, "username", 400).strip(), _text(form, "password", 400)
    otp = _text(form, "otp", 20).strip() or None
    next_path = _next_path(_text(form, "next", 500))
    client = await oauth.local_client(session)
    origin = tokens.ClientInfo(device=request.headers.get("user-agent"), ip=client_ip(request))
    grant = {"client_id": client.client_id, "client_secret": client.client_secret, "grant_type": "password",
             "username": username, "password": password}
    try:
        issued = await oauth.token_grant(session, runtime.config, runtime.secret, grant, otp, origin)
    except ProblemError as problem:
        needs_otp = problem.code in TWO_FACTOR_CODES
        message = ("Enter the code of your authentication app." if problem.code == "missing_two_factor"
                   else problem.detail)
        return render(request, "login.html", {"error": message, "username": username, "next": next_path,
                                              "needs_otp": needs_otp},
                      status_code=problem.status if problem.status in (400, 401, 403) else 400)
    response = RedirectResponse(next_path, status_code=303)
    set_access_cookie(response, request, issued.access_token, issued.as_response()["expires_in"])
    return response


@router.post("/logout")
async def log_out(request: Request, session: SessionDep):
    """Revokes the page's token (as `POST /api/v1/users/revoke-token` does) and forgets the cookie."""
    response = RedirectResponse("/", status_code=303)
    if same_origin(request):
        value = request.cookies.get(ACCESS_COOKIE)
        token = await tokens.find_by_access_token(session, value) if value else None
        if token is not None:
            await tokens.revoke(session, token.id)
            await session.commit()
        clear_access_cookie(response)
    return response


# -- sign up --------------------------------------------------------------------------------------------

@router.get("/signup")
async def signup_form(request: Request, session: SessionDep, config: ConfigDep, user: PageUser):
    allowed, ip_allowed = await registrations.signup_allowed(session, config, client_ip(request))
    return render(request, "signup.html", {"allowed": allowed and ip_allowed, "values": {}})


@router.post("/signup")
async def sign_up(request: Request, session: SessionDep, runtime: RuntimeDep):
    config = runtime.config
    if not same_origin(request):
        return error_page(request, 403, "This form must be sent from this site.")
    ip = client_ip(request)
    allowed, ip_allowed = await registrations.signup_allowed(session, config, ip)
    if not (allowed and ip_allowed):
        return render(request, "signup.html", {"allowed": False, "values": {}}, status_code=403)
    form = await request.form(**FORM_LIMITS)
    values = {name: _text(form, name, 1000) for name in ("username", "email", "displayName", "reason")}
    body = {"username": values["username"].strip(), "email": values["email"].strip(),
            "password": _text(form, "password", 1000), "displayName": values["displayName"].strip() or None}
    try:
        if config.signup.requires_approval:
            body["registrationReason"] = values["reason"]
            await registrations.request_registration(session, config, _parse(UserRegistrationRequest, body), ip)
            message = "Your request was sent: a moderator will review it."
        else:
            runtime.rate_limits.ensure_available("signup", ip or "unknown")
            await registrations.register_user(session, config, _parse(UserRegister, body), ip)
            runtime.rate_limits.spend("signup", ip or "unknown")
            message = "Your account is created: you can now log in."
    except ProblemError as problem:
        return render(request, "signup.html", {"allowed": True, "values": values, "error": _problem_text(problem)},
                      status_code=problem.status)
    return render(request, "signup.html", {"allowed": True, "values": {}, "done": message})


def _parse(model, body: dict):
    try:
        return model.model_validate(body)
    except pydantic.ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "form"
        raise ProblemError(400, f"{field}: {first['msg']}") from None


def _problem_text(problem: ProblemError) -> str:
    """The API's message, with the failing field named when the API said which one."""
    invalid = problem.extra.get("invalid-params")
    if isinstance(invalid, dict) and invalid:
        field, info = next(iter(invalid.items()))
        return f"{field}: {info.get('msg', problem.detail)}"
    return problem.detail


# -- the signed-in user's pages -------------------------------------------------------------------------

async def _channels_of(session, config, user: User) -> list[dict]:
    _, rows = await channels.list_channels(session, start=0, count=100, sort="createdAt", account_id=user.account.id)
    return [channel_json(row, config.url, config.host).model_dump(mode="json") for row in rows]


@router.get("/videos/upload")
async def upload_page(request: Request, session: SessionDep, config: ConfigDep, user: PageUser):
    if user is None:
        return _sign_in_redirect(request)
    return render(request, "upload.html", {
        "channels": await _channels_of(session, config, user), "privacies": VIDEO_PRIVACIES,
        "access_token": access_token_of(request)})


@router.get("/my-library/videos")
@router.get("/my-account/videos")
async def my_videos(request: Request, session: SessionDep, config: ConfigDep, user: PageUser, start: Start = 0):
    if user is None:
        return _sign_in_redirect(request)
    # every privacy and state of one's own videos, NSFW included (as `GET /api/v1/users/me/videos`)
    filters = VideoFilters(owned=True, account_id=user.account.id)
    total, videos = await list_items.page_items(session, config, filters, Page(start, LIST_PAGE_SIZE, "-createdAt"),
                                                user)
    return render(request, "my_videos.html", {"videos": videos, "total": total, "start": start,
                                              "count": LIST_PAGE_SIZE, "base_query": "", "tab": "videos"})


@router.get("/my-library/history/videos")
async def my_history(request: Request, session: SessionDep, config: ConfigDep, user: PageUser, start: Start = 0):
    if user is None:
        return _sign_in_redirect(request)
    watched = await history.list_watched(session, config, user, start=start, count=LIST_PAGE_SIZE)
    return render(request, "my_history.html", {
        "videos": [video.model_dump(mode="json") for video in watched.data], "total": watched.total,
        "start": start, "count": LIST_PAGE_SIZE, "base_query": "", "tab": "history"})


@router.get("/my-library/video-playlists")
async def my_playlists(request: Request, session: SessionDep, config: ConfigDep, user: PageUser):
    if user is None:
        return _sign_in_redirect(request)
    query = listing.PlaylistQuery(0, 100, "-updatedAt", account_id=user.account.id, include_all=True)
    total, playlists = await listing.list_playlists(session, config, query, user)
    return render(request, "my_playlists.html", {
        "playlists": [playlist.model_dump(mode="json") for playlist in playlists], "total": total,
        "tab": "playlists"})


@router.get("/my-library/subscriptions")
async def my_subscriptions(request: Request, session: SessionDep, config: ConfigDep, user: PageUser,
                           start: Start = 0):
    if user is None:
        return _sign_in_redirect(request)
    total, rows = await subscriptions.list_subscriptions(session, user, start=start, count=LIST_PAGE_SIZE,
                                                         sort="-createdAt")
    followed = [channel_json(row, config.url, config.host, owner=row.account).model_dump(mode="json")
                for row in rows]
    return render(request, "my_subscriptions.html", {
        "channels": followed, "total": total, "start": start, "count": LIST_PAGE_SIZE, "base_query": "",
        "tab": "subscriptions"})
