"""Links sent by mail: email verification and password reset.

The `verificationString` is signed (itsdangerous) with the instance secret and carries what it
proves, so no table is needed: an email check names the address; a password reset names a digest of
the current password hash, so the link dies as soon as it has been used.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User, UserRegistration
from vidpub.errors import ProblemError
from vidpub.services.mail import queue_email

EMAIL_VERIFICATION_LIFETIME_S = 3600          # PeerTube: 1 hour
PASSWORD_RESET_LIFETIME_S = 3600              # PeerTube: 1 hour
PASSWORD_CREATE_LIFETIME_S = 7 * 24 * 3600    # PeerTube: 7 days for users created without a password


def _serializer(config: Config, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(config.secrets.peertube, salt=f"vidpub.{purpose}")


def _password_fingerprint(user: User) -> str:
    return hashlib.sha256((user.password or "no-password").encode("utf-8")).hexdigest()[:16]


def _invalid() -> ProblemError:
    return ProblemError(403, "Invalid verification string.")


def _load(config: Config, purpose: str, token: str, max_age: int) -> dict:
    try:
        data = _serializer(config, purpose).loads(token, max_age=max_age)
    except BadSignature:
        raise _invalid() from None
    if not isinstance(data, dict):
        raise _invalid()
    return data


# -- email verification -----------------------------------------------------------------------------

def email_verification_string(config: Config, subject: str, subject_id: int, email: str) -> str:
    return _serializer(config, "verify-email").dumps({subject: subject_id, "email": email.lower()})


def check_email_verification(config: Config, subject: str, subject_id: int, token: str) -> str:
    """The address this string verifies, if it was made for `subject_id`."""
    data = _load(config, "verify-email", token, EMAIL_VERIFICATION_LIFETIME_S)
    if data.get(subject) != subject_id:
        raise _invalid()
    return data["email"]


def send_email_verification(session: AsyncSession, config: Config, user: User, email: str | None = None) -> None:
    email = email or user.email
    token = email_verification_string(config, "userId", user.id, email)
    query = {"userId": user.id, "verificationString": token}
    if email.lower() != user.email.lower():
        query["isPendingEmail"] = "true"
    link = f"{config.url}/verify-account/email?{urlencode(query)}"
    queue_email(session, config, [email], "Verify your email on " + config.instance.name,
                f"Welcome to {config.instance.name}.\n\nPlease verify your email address by following this "
                f"link:\n{link}\n\nIf you did not ask for this, ignore this email.")


def send_registration_email_verification(session: AsyncSession, config: Config,
                                         registration: UserRegistration) -> None:
    token = email_verification_string(config, "registrationId", registration.id, registration.email)
    link = f"{config.url}/verify-account/email?" + urlencode(
        {"registrationId": registration.id, "verificationString": token})
    queue_email(session, config, [registration.email], "Verify your email on " + config.instance.name,
                f"Please verify your email address to complete your registration request:\n{link}")


# -- password reset ---------------------------------------------------------------------------------

def password_reset_string(config: Config, user: User) -> str:
    return _serializer(config, "reset-password").dumps({"userId": user.id, "pw": _password_fingerprint(user)})


def check_password_reset(config: Config, user: User, token: str, creation: bool = False) -> None:
    max_age = PASSWORD_CREATE_LIFETIME_S if creation else PASSWORD_RESET_LIFETIME_S
    data = _load(config, "reset-password", token, max_age)
    if data.get("userId") != user.id or data.get("pw") != _password_fingerprint(user):
        raise _invalid()


def send_password_reset(session: AsyncSession, config: Config, user: User) -> None:
    link = f"{config.url}/reset-password?" + urlencode(
        {"userId": user.id, "verificationString": password_reset_string(config, user)})
    queue_email(session, config, [user.email], "Reset your account password",
                f"A reset of the password of your account {user.username} on {config.instance.name} was "
                f"asked.\n\nChoose a new password by following this link (valid one hour):\n{link}\n\n"
                "If you did not ask for it, ignore this email: your password stays the same.")


def send_password_creation(session: AsyncSession, config: Config, user: User) -> None:
    link = f"{config.url}/reset-password?" + urlencode(
        {"userId": user.id, "verificationString": password_reset_string(config, user), "isCreation": "true"})
    queue_email(session, config, [user.email], f"Your account on {config.instance.name}",
                f"An account {user.username} was created for you on {config.instance.name}.\n\n"
                f"Choose your password by following this link (valid 7 days):\n{link}")
