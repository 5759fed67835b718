"""PeerTube's OAuth token endpoint: the password and refresh_token grants, with two-factor checks."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import OAuthClient, RegistrationState, User, UserRegistration
from vidpub.errors import ProblemError
from vidpub.services.auth import tokens
from vidpub.services.auth.otp import OTP_HEADER, decrypt_secret, verify_code
from vidpub.services.auth.passwords import check_password
from vidpub.services.users import find_for_login

GRANTS = ("password", "refresh_token")


def oauth_error(code: str, detail: str, status: int = 400, **kwargs) -> ProblemError:
    return ProblemError(status, detail, code, **kwargs)


def lifetimes(config: Config) -> tokens.Lifetimes:
    return tokens.Lifetimes(
        access=timedelta(seconds=config.duration("oauth2.token_lifetime.access_token")),
        refresh=timedelta(seconds=config.duration("oauth2.token_lifetime.refresh_token")))


async def local_client(session: AsyncSession) -> OAuthClient:
    return (await session.execute(sa.select(OAuthClient).order_by(OAuthClient.id).limit(1))).scalar_one()


async def _client(session: AsyncSession, client_id: str | None, client_secret: str | None) -> OAuthClient:
    if not client_id or not client_secret:
        raise oauth_error("invalid_client", "Invalid client: cannot retrieve client credentials")
    client = (await session.execute(sa.select(OAuthClient).where(OAuthClient.client_id == client_id))
              ).scalar_one_or_none()
    if client is None or client.client_secret != client_secret:
        raise oauth_error("invalid_client", "Invalid client: client is invalid")
    return client


async def token_grant(session: AsyncSession, config: Config, instance_secret: str, form: dict[str, str],
                      otp_code: str | None, origin: tokens.ClientInfo) -> tokens.IssuedTokens:
    grant = form.get("grant_type")
    if not grant:
        raise oauth_error("invalid_request", "Missing parameter: `grant_type`")
    if grant not in GRANTS:
        raise oauth_error("unsupported_grant_type", "Unsupported grant type: `grant_type` is invalid")
    client = await _client(session, form.get("client_id"), form.get("client_secret"))
    if grant == "password":
        issued = await _password_grant(session, config, instance_secret, client, form, otp_code, origin)
    else:
        issued = await _refresh_grant(session, config, client, form, origin)
    await session.commit()
    return issued


async def _password_grant(session, config, instance_secret, client, form, otp_code, origin):
    username, password = form.get("username"), form.get("password")
    if not username:
        raise oauth_error("invalid_request", "Missing parameter: `username`")
    if not password:
        raise oauth_error("invalid_request", "Missing parameter: `password`")
    user = await find_for_login(session, username)
    if user is None or user.plugin_auth is not None or not await check_password(password, user.password):
        if user is None:
            await _explain_pending_registration(session, username)
        raise oauth_error("invalid_grant", "Invalid grant: user credentials are invalid")
    if user.blocked:
        raise oauth_error("access_denied", "User is blocked.")
    if config.signup.requires_email_verification and not user.email_verified:
        raise oauth_error("access_denied", "User email is not verified.")
    if user.otp_secret:
        if not otp_code:
            raise oauth_error("missing_two_factor", "Missing two factor header", 401,
                              headers={OTP_HEADER: "required; app"})
        if not verify_code(decrypt_secret(instance_secret, user.otp_secret), otp_code):
            raise oauth_error("invalid_two_factor", "Invalid two factor header")
    user.last_login_date = utcnow()
    return tokens.issue(session, user=user, client=client, lifetimes=lifetimes(config), origin=origin)


async def _explain_pending_registration(session: AsyncSession, username: str) -> None:
    value = username.strip().lower()
    column = sa.func.lower(UserRegistration.email) if "@" in value else UserRegistration.username
    registration = (await session.execute(sa.select(UserRegistration).where(column == value))).scalar_one_or_none()
    if registration is None:
        return
    if registration.state == RegistrationState.PENDING:
        raise oauth_error("account_waiting_for_approval", "Registration waiting for approval")
    if registration.state == RegistrationState.REJECTED:
        raise oauth_error("account_approval_rejected", "Registration rejected")


async def _refresh_grant(session, config, client, form, origin):
    refresh_token = form.get("refresh_token")
    if not refresh_token:
        raise oauth_error("invalid_request", "Missing parameter: `refresh_token`")
    old = await tokens.find_by_refresh_token(session, refresh_token)
    if old is None or old.oauth_client_id != client.id:
        raise oauth_error("invalid_grant", "Invalid grant: refresh token is invalid")
    user: User = old.user
    if user.blocked:
        raise oauth_error("access_denied", "User is blocked.")
    issued = tokens.issue(session, user=user, client=client, lifetimes=lifetimes(config), origin=origin,
                          auth_name=old.auth_name, login_date=old.login_date, login_device=old.login_device,
                          login_ip=old.login_ip)
    await session.delete(old)
    return issued
