"""What routers share: the database session, the caller's identity and rights, pagination."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import OAuthToken, User
from vidpub.errors import ProblemError, invalid_param, unauthorized
from vidpub.runtime import Runtime
from vidpub.services.auth import tokens
from vidpub.services.auth.rights import UserRight, UserRole, has_right

MAX_START = 2**31 - 1
MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database: larger ones are a 400, not a crash
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]  # a numeric id in a route path


# Dependencies are coroutines on purpose: FastAPI runs plain functions in a thread pool, a hop that
# costs more than most routes' own work.
async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


async def get_config(request: Request) -> Config:
    return request.app.state.runtime.config


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One session per request; requests that may write take SQLite's write lock up front."""
    runtime: Runtime = request.app.state.runtime
    async with runtime.db.session(write=request.method not in SAFE_METHODS) as session:
        yield session


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
ConfigDep = Annotated[Config, Depends(get_config)]
SessionDep = Annotated[AsyncSession, Depends(get_session)]


def client_ip(request: Request) -> str | None:
    return request.client.host if request.client else None


_BEARER = re.compile(r"bearer\s+(\S+)", re.IGNORECASE)


async def resolve_token(request: Request, session: AsyncSession) -> OAuthToken | None:
    """The bearer token of the request, if any (memoised on the request).

    As in PeerTube, a request without an `Authorization` header is anonymous; a header that is
    not a bearer token is a 400 `invalid_request`; an unknown, expired or revoked token is a 401
    `invalid_token`. Either way the detail says only "Token is invalid".
    """
    if hasattr(request.state, "oauth_token"):
        return request.state.oauth_token
    header = request.headers.get("authorization")
    token = None
    if header:
        match = _BEARER.match(header.strip())
        if match is None:
            raise ProblemError(400, "Token is invalid", "invalid_request")
        token = await tokens.find_by_access_token(session, match.group(1))
        if token is None or token.user.blocked:
            raise unauthorized()
        request.app.state.runtime.token_activity.record(
            token.id, client_ip(request), request.headers.get("user-agent"))
    request.state.oauth_token = token
    return token


async def exempt_from_rate_limits(request: Request) -> bool:
    """Administrators and moderators are never rate limited (PeerTube's rule for every limiter).
    Asked only once a limit is reached, with its own short session, so that the limiter needs no
    database work on ordinary requests."""
    match = _BEARER.match(request.headers.get("authorization", "").strip())
    if match is None:
        return False
    async with request.app.state.runtime.db.session(write=False) as session:
        role = await tokens.role_of_access_token(session, match.group(1))
    return role in (UserRole.ADMINISTRATOR, UserRole.MODERATOR)


async def enforce_rate_limit(request: Request, name: str) -> None:
    """Count this request against `rates_limit.<name>` for its IP; 429 past the limit unless the
    caller is an administrator or moderator."""
    try:
        request.app.state.runtime.rate_limits.hit(name, client_ip(request) or "unknown")
    except ProblemError:
        if not await exempt_from_rate_limits(request):
            raise


async def refuse_nul_characters(request: Request) -> None:
    """No parameter of PeerTube's API may hold U+0000, and PostgreSQL cannot even compare text with
    one: refuse it in the query string and the path at the edge (bodies: `schemas.common.RequestBody`)."""
    for name, value in request.query_params.multi_items():
        if "\x00" in name or "\x00" in value:
            raise invalid_param(name.replace("\x00", ""), value, "Should not contain NUL characters", "query")
    for name, value in request.path_params.items():
        if isinstance(value, str) and "\x00" in value:
            raise invalid_param(name, value, "Should not contain NUL characters", "params")


def rate_limited(name: str):
    """A route dependency applying `rates_limit.<name>`."""

    async def check(request: Request) -> None:
        await enforce_rate_limit(request, name)

    return Depends(check)


async def optional_token(request: Request, session: SessionDep) -> OAuthToken | None:
    return await resolve_token(request, session)


async def current_token(request: Request, session: SessionDep) -> OAuthToken:
    token = await resolve_token(request, session)
    if token is None:
        raise unauthorized("Token is invalid", "unauthorized_request")
    return token


async def current_user(token: Annotated[OAuthToken, Depends(current_token)]) -> User:
    return token.user


async def optional_user(token: Annotated[OAuthToken | None, Depends(optional_token)]) -> User | None:
    return token.user if token is not None else None


CurrentToken = Annotated[OAuthToken, Depends(current_token)]
CurrentUser = Annotated[User, Depends(current_user)]
OptionalUser = Annotated[User | None, Depends(optional_user)]


def require_right(right: UserRight):
    async def check(request: Request, user: CurrentUser) -> User:
        if not has_right(user.role, right):
            raise ProblemError(403, f"User {user.username} does not have right {right.name} "
                                    f"to access to {request.url.path}.")
        return user

    # lets tests and tools find every guarded route by walking the app's dependency tree
    check.required_right = right
    return Depends(check)


@dataclass(frozen=True)
class Pagination:
    start: int
    count: int
    sort: str


def pagination(default_sort: str, allowed: frozenset[str] | set[str] | None = None):
    """`start`/`count`/`sort` as every PeerTube list takes them (count ≤ 100)."""

    async def parse(start: Annotated[int, Query(ge=0, le=MAX_START)] = 0,
                    count: Annotated[int, Query(ge=0, le=100)] = 15,
                    sort: Annotated[str, Query(max_length=100)] = default_sort) -> Pagination:
        if allowed is not None and sort.lstrip("-") not in allowed:
            raise invalid_param("sort", sort, "Should have correct sortable column", "query")
        return Pagination(start, count, sort)

    return Depends(parse)
