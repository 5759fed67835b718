"""Turning two-factor authentication on (request, then confirm with a first code) and off.

The request token is stateless: it carries the new secret, encrypted as it will be stored, and the
user id, signed with the instance secret and valid for 10 minutes (PeerTube keeps the same pair in
Redis for the same time). A token for one user cannot enable two-factor on another.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User
from vidpub.errors import ProblemError
from vidpub.services.auth import otp

REQUEST_LIFETIME_S = 10 * 60
_SALT = "vidpub.two-factor.request"


@dataclass(frozen=True)
class Enrolment:
    request_token: str
    secret: str
    uri: str


def _serializer(instance_secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(instance_secret, salt=_SALT)


def _refuse_if_enabled(user: User) -> None:
    if user.otp_secret:
        raise ProblemError(400, "Two factor is already enabled.")


def request(config: Config, instance_secret: str, user: User) -> Enrolment:
    _refuse_if_enabled(user)
    secret = otp.new_secret()
    encrypted = otp.encrypt_secret(instance_secret, secret)
    token = _serializer(instance_secret).dumps({"user": user.id, "secret": encrypted})
    # as PeerTube: the authenticator app shows the instance host and the account's email
    uri = otp.provisioning_uri(secret, issuer=config.host, label=user.email)
    return Enrolment(request_token=token, secret=secret, uri=uri)


def _encrypted_secret_of(instance_secret: str, user: User, request_token: str) -> str | None:
    try:
        payload = _serializer(instance_secret).loads(request_token, max_age=REQUEST_LIFETIME_S)
    except BadData:
        return None
    if not isinstance(payload, dict) or payload.get("user") != user.id:
        return None
    secret = payload.get("secret")
    return secret if isinstance(secret, str) else None


async def confirm(session: AsyncSession, instance_secret: str, user: User, request_token: str,
                  code: str) -> None:
    _refuse_if_enabled(user)
    encrypted = _encrypted_secret_of(instance_secret, user, request_token)
    if encrypted is None:
        raise ProblemError(403, "Invalid request token")
    if not otp.verify_stored_code(instance_secret, encrypted, code):
        raise ProblemError(403, "Invalid OTP token")
    user.otp_secret = encrypted
    await session.commit()


async def disable(session: AsyncSession, user: User) -> None:
    if not user.otp_secret:
        raise ProblemError(400, "Two factor is already disabled.")
    user.otp_secret = None
    await session.commit()
