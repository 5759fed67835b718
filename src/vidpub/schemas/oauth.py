"""Session tag: OAuth client and token responses."""

from __future__ import annotations

from vidpub.schemas.common import ApiModel, Timestamp


class OAuthClientLocal(ApiModel):
    client_id: str
    client_secret: str


class TokenResponse(ApiModel):
    token_type: str
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_token_expires_in: int


class RevokeTokenResponse(ApiModel):
    success: bool
    redirectUrl: str | None = None


class TokenSession(ApiModel):
    id: int
    currentSession: bool
    loginDevice: str | None
    loginIP: str | None
    loginDate: Timestamp | None
    lastActivityDevice: str | None
    lastActivityIP: str | None
    lastActivityDate: Timestamp | None
    createdAt: Timestamp
