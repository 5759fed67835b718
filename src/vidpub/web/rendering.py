"""What every HTML page shares: the Jinja environment and its filters, the signed-in user, the error
pages, and the route class that turns a service's problem into an HTML page instead of JSON.

Signing in from a page issues the same OAuth tokens as `POST /api/v1/users/token` (one authorisation
path): the access token rides in an HttpOnly, SameSite=Lax cookie that the pages resolve exactly as the
API resolves a bearer token, and pages whose script calls the API (upload) hand it the same token."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from importlib import resources
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from starlette.responses import Response

from vidpub.api.deps import SessionDep, refuse_nul_characters
from vidpub.config import Config
from vidpub.db.models import User
from vidpub.errors import ProblemError
from vidpub.services.auth import tokens
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.markdown import markdown_to_plain_text, render_markdown

ACCESS_COOKIE = "vidpub_access_token"
PAGE_LANGUAGE = "en"  # the language of the pages' own words (not of the videos)

templates = Jinja2Templates(directory=str(resources.files("vidpub.web").joinpath("templates")))


def format_duration(seconds: Any) -> str:
    """`1:02:03` / `2:03` as video thumbnails show it."""
    if not isinstance(seconds, (int, float)) or seconds < 0 or math.isnan(seconds):
        return ""
    total = int(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_date(value: Any) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, str) and len(value) >= 10:
        return value[:10]
    return ""


def format_size(value: Any) -> str:
    if not isinstance(value, (int, float)) or value < 0:
        return ""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if value < 1024 or unit == "TB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""


def handle_of(actor: dict, config: Config) -> str:
    """`name` for a local actor, `name@host` for a remote one (PeerTube's page URLs)."""
    host = actor.get("host")
    return actor["name"] if not host or host == config.host else f"{actor['name']}@{host}"


templates.env.filters["duration"] = format_duration
templates.env.filters["date"] = format_date
templates.env.filters["size"] = format_size
templates.env.filters["markdown"] = lambda text: Markup(render_markdown(text))
templates.env.filters["plain"] = lambda text, length=None: markdown_to_plain_text(text, length)
templates.env.filters["urlquote"] = lambda text: quote(str(text), safe="")


# -- the signed-in user ---------------------------------------------------------------------------------

async def page_user(request: Request, session: SessionDep) -> User | None:
    """The user whose access token is in the page cookie (None when absent, expired or revoked: the
    page then shows itself as to anyone)."""
    if hasattr(request.state, "page_user"):
        return request.state.page_user
    value = request.cookies.get(ACCESS_COOKIE)
    user = None
    if value:
        token = await tokens.find_by_access_token(session, value)
        if token is not None and not token.user.blocked:
            user = token.user
            request.state.page_access_token = value
    request.state.page_user = user
    return user


PageUser = Annotated[User | None, Depends(page_user)]


def access_token_of(request: Request) -> str | None:
    """The page's access token once `page_user` found it valid (for scripts calling the API)."""
    return getattr(request.state, "page_access_token", None)


def set_access_cookie(response: Response, request: Request, token: str, max_age: int) -> None:
    response.set_cookie(ACCESS_COOKIE, token, max_age=max_age, httponly=True, samesite="lax", path="/",
                        secure=request.url.scheme == "https")


def clear_access_cookie(response: Response) -> None:
    response.delete_cookie(ACCESS_COOKIE, path="/")


# -- rendering ------------------------------------------------------------------------------------------

def config_of(request: Request) -> Config:
    return request.app.state.runtime.config


def render(request: Request, template: str, context: dict | None = None, status_code: int = 200,
           headers: dict | None = None) -> HTMLResponse:
    config = config_of(request)
    user = getattr(request.state, "page_user", None)
    base = {
        "config": config,
        "user": user,
        "is_admin": user is not None and has_right(user.role, UserRight.MANAGE_USERS),
        "lang": PAGE_LANGUAGE,
        # percent-encoded: the decoded path may hold what no HTML attribute should (a refused NUL)
        "canonical_url": config.url + quote(request.url.path, safe="/@:"),
        "handle_of": lambda actor: handle_of(actor, config),
    }
    base.update(context or {})
    return templates.TemplateResponse(request, template, base, status_code=status_code, headers=headers)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    titles = {400: "Bad request", 401: "Sign-in required", 403: "Forbidden", 404: "Page not found",
              409: "Conflict", 413: "Too large", 429: "Too many requests"}
    return render(request, "error.html", {"status": status, "title": titles.get(status, "Error"),
                                          "message": message}, status_code=status)


def not_found_page(request: Request) -> HTMLResponse:
    return error_page(request, 404, "This page does not exist, or it is not visible to you.")


class PageRoute(APIRoute):
    """A route answering HTML even when a service refuses: the problem's status with an error page
    (the API's problem documents are for API clients). Like the API, every page refuses U+0000 in its
    address before anything reads it (PostgreSQL cannot even compare text holding one)."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            try:
                await refuse_nul_characters(request)
                return await handler(request)
            except ProblemError as problem:
                if problem.status == 404:
                    return not_found_page(request)
                return error_page(request, problem.status, problem.detail)
            except RequestValidationError:
                return error_page(request, 400, "The address of this page is not valid.")

        return handle


def same_origin(request: Request) -> bool:
    """A form post from our own pages: the browser's `Origin` (or `Referer`) names this instance.
    With the SameSite=Lax cookie this keeps other sites from posting forms in a user's name."""
    expected = config_of(request).url
    origin = request.headers.get("origin")
    if origin:
        return origin == expected or origin == f"{request.url.scheme}://{request.url.netloc}"
    referer = request.headers.get("referer", "")
    return referer.startswith((expected + "/", f"{request.url.scheme}://{request.url.netloc}/"))
