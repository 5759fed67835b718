"""Session tag: the local OAuth client, login (token) and logout (revoke)."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from vidpub.api.deps import ConfigDep, CurrentToken, RuntimeDep, SessionDep, client_ip, enforce_rate_limit
from vidpub.errors import ProblemError
from vidpub.schemas.oauth import OAuthClientLocal, RevokeTokenResponse, TokenResponse
from vidpub.services.auth import oauth, tokens
from vidpub.services.auth.otp import OTP_HEADER

router = APIRouter(tags=["Session"])

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]", "::1"}
MAX_FORM_BYTES = 64 * 1024

_TOKEN_FORM = {
    "requestBody": {"required": True, "content": {"application/x-www-form-urlencoded": {"schema": {
        "type": "object", "required": ["client_id", "client_secret", "grant_type"],
        "properties": {name: {"type": "string"} for name in (
            "client_id", "client_secret", "grant_type", "username", "password", "refresh_token")}}}}}}


def _same_host(request_host: str, expected: str) -> bool:
    """The web client must fetch the client from the configured host (PeerTube's rule); loopback
    names are interchangeable so a local instance answers on both 127.0.0.1 and localhost."""
    if request_host.lower() == expected.lower():
        return True
    req_name, _, req_port = request_host.rpartition(":") if request_host.count(":") == 1 else (request_host, "", "")
    exp_name, _, exp_port = expected.rpartition(":") if expected.count(":") == 1 else (expected, "", "")
    return req_name in LOOPBACK_NAMES and exp_name in LOOPBACK_NAMES and req_port == exp_port


@router.get("/oauth-clients/local", response_model=OAuthClientLocal, operation_id="getOAuthClient")
async def get_local_client(request: Request, session: SessionDep, config: ConfigDep):
    if not _same_host(request.headers.get("host", ""), config.host):
        raise ProblemError(403, f"Getting client tokens for host {request.headers.get('host')} is forbidden")
    client = await oauth.local_client(session)
    return OAuthClientLocal(client_id=client.client_id, client_secret=client.client_secret)


@router.post("/users/token", response_model=TokenResponse, operation_id="getOAuthToken",
             openapi_extra=_TOKEN_FORM)
async def get_token(request: Request, session: SessionDep, runtime: RuntimeDep):
    await enforce_rate_limit(request, "login")
    form = await _read_form(request)
    origin = tokens.ClientInfo(device=request.headers.get("user-agent"), ip=client_ip(request))
    issued = await oauth.token_grant(session, runtime.config, runtime.secret, form,
                                     request.headers.get(OTP_HEADER), origin)
    return JSONResponse(issued.as_response(), headers={"Cache-Control": "no-store", "Pragma": "no-cache"})


async def _read_form(request: Request) -> dict[str, str]:
    """The token endpoint reads its own body: OAuth errors are not FastAPI validation errors."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/x-www-form-urlencoded":
        raise oauth.oauth_error("invalid_request",
                                "Invalid request: content must be application/x-www-form-urlencoded")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            raise oauth.oauth_error("invalid_request", "Invalid request: body too large")
    try:
        return dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    except UnicodeDecodeError:
        raise oauth.oauth_error("invalid_request", "Invalid request: body is not UTF-8") from None


@router.post("/users/revoke-token", response_model=RevokeTokenResponse, operation_id="revokeOAuthToken")
async def revoke_token(session: SessionDep, token: CurrentToken):
    revoked = await tokens.revoke(session, token.id)
    await session.commit()
    return RevokeTokenResponse(success=revoked)
