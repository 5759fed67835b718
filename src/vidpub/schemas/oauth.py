"""Session tag: OAuth client, tokens and sessions; the two-factor shapes of the Users tag."""

from __future__ import annotations

from pydantic import Field

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


class ScopedToken(ApiModel):
    feedToken: str


# -- two-factor authentication (Users tag) --------------------------------------------------------

class CurrentPasswordBody(ApiModel):
    currentPassword: str | None = Field(default=None, max_length=255)


class TwoFactorConfirmBody(ApiModel):
    requestToken: str = Field(min_length=1, max_length=2000)
    otpToken: str = Field(min_length=1, max_length=100)


class OtpRequest(ApiModel):
    requestToken: str
    secret: str
    uri: str


class TwoFactorEnableResult(ApiModel):
    """PeerTube 8's `TwoFactorEnableResult`: one object (the 7.0 spec wrongly documents an array)."""
    otpRequest: OtpRequest
