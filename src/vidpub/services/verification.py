"""Links sent by mail (email verification, password creation and reset) and what following them does.

The `verificationString` is signed (itsdangerous) with the instance secret and carries what it
proves, so no table is needed: an email check names the address; a password reset names a digest of
the current password hash, so the link dies as soon as it has been used.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

import sqlalchemy as sa
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import RegistrationState, User, UserRegistration
from vidpub.errors import ProblemError, conflict
from vidpub.services.auth import tokens
from vidpub.services.auth.passwords import hash_password
from vidpub.services.mail import queue_email
from vidpub.services.users import check_password_rules, email_taken, find_by_email, get_user

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
    if data.get(subject) != subject_id or not isinstance(data.get("email"), str):
        raise _invalid()
    return data["email"]


def send_email_verification(session: AsyncSession, config: Config, user: User,
                            email: str | None = None) -> None:
    """Ask the user to prove the address: its current one, or (`email`) the one it wants instead."""
    email = email or user.email
    token = email_verification_string(config, "userId", user.id, email)
    query = {"userId": user.id, "verificationString": token}
    changing = email.lower() != user.email.lower()
    if changing:
        query["isPendingEmail"] = "true"
    link = f"{config.url}/verify-account/email?{urlencode(query)}"
    if changing:
        text = (f"You asked to use this address for your account {user.username} on "
                f"{config.instance.name}.\n\nConfirm it by following this link (valid one hour):\n{link}")
    else:
        text = (f"Welcome to {config.instance.name}, {user.username}.\n\nPlease verify your email address by "
                f"following this link (valid one hour):\n{link}")
    queue_email(session, config, [email], "Verify your email on " + config.instance.name,
                text + "\n\nIf you did not ask for this, ignore this email.")


def send_registration_email_verification(session: AsyncSession, config: Config,
                                         registration: UserRegistration) -> None:
    token = email_verification_string(config, "registrationId", registration.id, registration.email)
    link = f"{config.url}/verify-account/email?" + urlencode(
        {"registrationId": registration.id, "verificationString": token})
    queue_email(session, config, [registration.email], "Verify your email on " + config.instance.name,
                f"You asked for an account {registration.username} on {config.instance.name}.\n\n"
                f"Please verify your email address to complete your registration request (link valid one "
                f"hour):\n{link}\n\nIf you did not ask for this, ignore this email.")


async def ask_email_verification(session: AsyncSession, config: Config, email: str) -> None:
    """Send the link again, to a user or else to a pending registration with this address. Unknown
    addresses get the same silent answer (no account enumeration)."""
    user = await find_by_email(session, email)
    if user is not None:
        if user.plugin_auth:
            raise conflict("Cannot ask verification email of a user that uses a plugin authentication.")
        if user.pending_email:
            send_email_verification(session, config, user, user.pending_email)
        elif user.email_verified is not True:
            send_email_verification(session, config, user)
        await session.commit()
        return
    registration = (await session.execute(sa.select(UserRegistration).where(
        sa.func.lower(UserRegistration.email) == email.strip().lower()))).scalar_one_or_none()
    if registration is not None and registration.state == RegistrationState.PENDING \
            and registration.email_verified is not True:
        send_registration_email_verification(session, config, registration)
        await session.commit()


async def verify_user_email(session: AsyncSession, config: Config, user_id: int, token: str,
                            is_pending_email: bool) -> None:
    user = await get_user(session, user_id)
    email = check_email_verification(config, "userId", user.id, token)
    if is_pending_email:
        if not user.pending_email or user.pending_email.lower() != email:
            raise _invalid()
        if await email_taken(session, user.pending_email, except_user_id=user.id):
            raise conflict("User with this email already exists.")
        user.email, user.pending_email = user.pending_email, None
    elif user.email.lower() != email:
        raise _invalid()
    user.email_verified = True
    await session.commit()


# -- password creation and reset ------------------------------------------------------------------

def password_reset_string(config: Config, user: User) -> str:
    return _serializer(config, "reset-password").dumps({"userId": user.id, "pw": _password_fingerprint(user)})


def check_password_reset(config: Config, user: User, token: str, creation: bool = False) -> None:
    max_age = PASSWORD_CREATE_LIFETIME_S if creation else PASSWORD_RESET_LIFETIME_S
    data = _load(config, "reset-password", token, max_age)
    if data.get("userId") != user.id or data.get("pw") != _password_fingerprint(user):
        raise _invalid()


def _reset_link(config: Config, user: User, creation: bool = False) -> str:
    query = {"userId": user.id, "verificationString": password_reset_string(config, user)}
    if creation:
        query["isCreation"] = "true"
    return f"{config.url}/reset-password?" + urlencode(query)


def send_password_reset(session: AsyncSession, config: Config, user: User) -> None:
    queue_email(session, config, [user.email], "Reset your account password",
                f"A reset of the password of your account {user.username} on {config.instance.name} was "
                f"asked.\n\nChoose a new password by following this link (valid one hour):\n"
                f"{_reset_link(config, user)}\n\n"
                "If you did not ask for it, ignore this email: your password stays the same.")


def send_password_creation(session: AsyncSession, config: Config, user: User) -> None:
    queue_email(session, config, [user.email], f"Your account on {config.instance.name}",
                f"An account {user.username} was created for you on {config.instance.name}.\n\n"
                f"Choose your password by following this link (valid 7 days):\n"
                f"{_reset_link(config, user, creation=True)}")


async def ask_password_reset(session: AsyncSession, config: Config, email: str) -> None:
    """Mail a reset link; unknown addresses get the same silent answer (no account enumeration)."""
    user = await find_by_email(session, email)
    if user is None:
        return
    if user.plugin_auth:
        raise conflict("Cannot recover password of a user that uses a plugin authentication.")
    send_password_reset(session, config, user)
    await session.commit()


async def reset_password(session: AsyncSession, config: Config, user_id: int, token: str,
                         password: str) -> None:
    """Set the new password; every session of the user ends (whoever asked the reset may not be the
    one who was logged in)."""
    user = await get_user(session, user_id)
    check_password_reset(config, user, token, creation=user.password is None)
    check_password_rules(config, password)
    user.password = await hash_password(password)
    await tokens.revoke_all_for_user(session, user.id)
    await session.commit()
