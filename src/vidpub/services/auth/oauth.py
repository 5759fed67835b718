"""PeerTube's OAuth token endpoint: the password and refresh_token grants, with two-factor checks.

Checks run in PeerTube's order (client, grant type, then the grant itself) because clients tell
failures apart by the `code` of the first one that fails.
"""

from __future__ import annotations

import hmac
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import OAuthClient, RegistrationState, User, UserRegistration
from vidpub.errors import ProblemError
from vidpub.services.auth import tokens
from vidpub.services.auth.otp import OTP_HEADER, OTP_REQUIRED_VALUE, verify_stored_code
from vidpub.services.auth.passwords import check_password, check_password_of_nobody, password_too_long
from vidpub.services.users import find_for_login

GRANTS = ("password", "refresh_token")


def oauth_error(code: str, detail: str, status: int = 400, **kwargs) -> ProblemError:
    return ProblemError(status, detail, code, **kwargs)


def invalid_credentials() -> ProblemError:
    return oauth_error("invalid_grant", "Invalid grant: user credentials are invalid")


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
    if client is None or not hmac.compare_digest(client.client_secret.encode(), client_secret.encode()):
        raise oauth_error("invalid_client", "Invalid client: client is invalid")
    return client


async def token_grant(session: AsyncSession, config: Config, instance_secret: str, form: dict[str, str],
                      otp_code: str | None, origin: tokens.ClientInfo) -> tokens.IssuedTokens:
    client = await _client(session, form.get("client_id"), form.get("client_secret"))
    grant = form.get("grant_type")
    if not grant:
        raise oauth_error("invalid_request", "Missing parameter: `grant_type`")
    if grant not in GRANTS:
        raise oauth_error("unsupported_grant_type", "Unsupported grant type: `grant_type` is invalid")
    if grant not in (client.grants or ()):
        raise oauth_error("unauthorized_client", "Unauthorized client: `grant_type` is invalid")
    if grant == "password":
        issued = await _password_grant(session, config, instance_secret, client, form, otp_code, origin)
    else:
        issued = await _refresh_grant(session, config, client, form, origin)
    await session.commit()
    return issued


async def _password_grant(session: AsyncSession, config: Config, instance_secret: str, client: OAuthClient,
                          form: dict[str, str], otp_code: str | None,
                          origin: tokens.ClientInfo) -> tokens.IssuedTokens:
    username, password = form.get("username"), form.get("password")
    if not username:
        raise oauth_error("invalid_request", "Missing parameter: `username`")
    if not password:
        raise oauth_error("invalid_request", "Missing parameter: `password`")
    if password_too_long(password):
        # bcrypt would silently ignore the bytes past 72 (PeerTube 8 answers the same code)
        raise oauth_error("too_long_password",
                          "Password is too long. Please reset it using the password reset procedure.")
    user = await find_for_login(session, username)
    if user is None or user.plugin_auth is not None or not user.password:
        await check_password_of_nobody(password)  # as slow as a real check: no username oracle
        if user is None:
            await _explain_pending_registration(session, username)
        raise invalid_credentials()
    if not await check_password(password, user.password):
        raise invalid_credentials()
    _check_can_log_in(config, user)
    if user.otp_secret:
        if not otp_code:
            raise oauth_error("missing_two_factor", "Missing two factor header", 401,
                              headers={OTP_HEADER: OTP_REQUIRED_VALUE})
        if not verify_stored_code(instance_secret, user.otp_secret, otp_code):
            raise oauth_error("invalid_two_factor", "Invalid two factor header")
    user.last_login_date = utcnow()
    return tokens.issue(session, user=user, client=client, lifetimes=lifetimes(config), origin=origin)


def _check_can_log_in(config: Config, user: User) -> None:
    # PeerTube 8 answers `account_blocked` / `email_not_verified` here (7.x said `access_denied` for
    # both); the 8.x codes win, as for every difference between the two.
    if user.blocked:
        raise oauth_error("account_blocked", "User is blocked.")
    # None means "never asked" (users made by an admin): only an explicit False blocks the login
    if config.signup.requires_email_verification and user.email_verified is False:
        raise oauth_error("email_not_verified", "User email is not verified.")


async def _explain_pending_registration(session: AsyncSession, username: str) -> None:
    value = username.strip().lower()
    column = sa.func.lower(UserRegistration.email) if "@" in value else UserRegistration.username
    registrations = (await session.execute(sa.select(UserRegistration.state).where(column == value).limit(2))
                     ).scalars().all()
    if len(registrations) != 1:
        return
    if registrations[0] == RegistrationState.PENDING:
        raise oauth_error("account_waiting_for_approval",
                          "Registration for this account is awaiting approval")
    if registrations[0] == RegistrationState.REJECTED:
        raise oauth_error("account_approval_rejected",
                          "Registration approval for this account has been rejected")


async def _refresh_grant(session: AsyncSession, config: Config, client: OAuthClient, form: dict[str, str],
                         origin: tokens.ClientInfo) -> tokens.IssuedTokens:
    refresh_token = form.get("refresh_token")
    if not refresh_token:
        raise oauth_error("invalid_request", "Missing parameter: `refresh_token`")
    old = await tokens.find_by_refresh_token(session, refresh_token)
    if old is None or old.oauth_client_id != client.id:
        raise oauth_error("invalid_grant", "Invalid grant: refresh token is invalid")
    if old.refresh_token_expires_at <= utcnow():
        raise oauth_error("invalid_grant", "Invalid grant: refresh token has expired")
    user: User = old.user
    if user.blocked:
        raise oauth_error("account_blocked", "User is blocked.")
    if not await tokens.revoke(session, old.id):
        # another request spent this refresh token first
        raise oauth_error("invalid_grant", "Invalid grant: refresh token is invalid")
    user.last_login_date = utcnow()
    return tokens.issue(session, user=user, client=client, lifetimes=lifetimes(config), origin=origin,
                        auth_name=old.auth_name, login_date=old.login_date, login_device=old.login_device,
                        login_ip=old.login_ip)
