"""PeerTube's error contract: every 4xx/5xx is an RFC 7807 problem document.

`{type, title, status, detail, instance, code?, docs?, ...extra}` with
`Content-Type: application/problem+json`. `type` links PeerTube's error docs when a machine `code`
exists. PeerTube still adds the deprecated `error` field (= detail); clients read either.
"""

from __future__ import annotations

import json
import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("vidpub.errors")

PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8"
ERRORS_DOC = "https://docs.joinpeertube.org/api-rest-reference.html#section/Errors/"


class ProblemError(Exception):
    """Raised by services and routers; rendered as a problem document."""

    def __init__(self, status: int, detail: str, code: str | None = None,
                 headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.code = code
        self.headers = headers or {}
        self.extra = extra


def bad_request(detail: str, code: str | None = None, **extra) -> ProblemError:
    return ProblemError(400, detail, code, **extra)


def invalid_param(field: str, value: Any, msg: str = "Invalid value", location: str = "body") -> ProblemError:
    """The validation-error shape of PeerTube: `invalid-params.<field>` names what was wrong."""
    return ProblemError(
        400, f"Incorrect request parameters: {field}",
        **{"invalid-params": {field: {"location": location, "msg": msg, "param": field,
                                      "value": _jsonable(value)}}})


def unauthorized(detail: str = "Token is invalid", code: str | None = "invalid_token") -> ProblemError:
    return ProblemError(401, detail, code)


def forbidden(detail: str, code: str | None = None) -> ProblemError:
    return ProblemError(403, detail, code)


def not_found(detail: str, code: str | None = None) -> ProblemError:
    return ProblemError(404, detail, code)


def conflict(detail: str, code: str | None = None) -> ProblemError:
    return ProblemError(409, detail, code)


def problem_body(status: int, detail: str, instance: str | None, code: str | None = None,
                 **extra: Any) -> dict[str, Any]:
    try:
        title = HTTPStatus(status).phrase
    except ValueError:
        title = "Error"
    body: dict[str, Any] = {
        "type": ERRORS_DOC + code if code else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "error": detail,
    }
    if instance:
        body["instance"] = instance
    if code:
        body["code"] = code
    body.update(extra)
    return body


def problem_response(request: Request | None, status: int, detail: str, code: str | None = None,
                     headers: dict[str, str] | None = None, **extra: Any) -> Response:
    instance = request.url.path if request is not None else None
    body = problem_body(status, detail, instance, code, **extra)
    return Response(json.dumps(body, default=str), status_code=status, headers=headers,
                    media_type=PROBLEM_CONTENT_TYPE)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, bytes):
        return value[:200].decode("utf-8", "replace")
    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return str(value)[:200]


_LOCATIONS = {"path": "params", "query": "query", "body": "body", "header": "headers", "cookie": "cookies"}


def _validation_params(exc: RequestValidationError) -> dict[str, dict[str, Any]]:
    params: dict[str, dict[str, Any]] = {}
    for err in exc.errors():
        loc = list(err.get("loc") or [])
        location = _LOCATIONS.get(str(loc[0]), "body") if loc else "body"
        path = [str(x) for x in loc[1:]] or [location]
        field = ".".join(path)
        if err.get("type") == "json_invalid":
            field, msg = "body", "Malformed JSON body"
        else:
            msg = err.get("msg") or "Invalid value"
        params.setdefault(field, {"location": location, "msg": msg, "param": field,
                                  "value": _jsonable(err.get("input"))})
    return params


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError):
        return problem_response(request, exc.status, exc.detail, exc.code, exc.headers, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError):
        params = _validation_params(exc)
        detail = "Incorrect request parameters: " + ", ".join(params)
        return problem_response(request, 400, detail, None, **{"invalid-params": params})

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = "Not found"
        return problem_response(request, exc.status_code, detail, None, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, "Internal server error")
