"""Sign-up: direct registration, registration requests moderated by the staff, and the `signup.*`
rules that open or close both (enabled, approval, user limit, CIDR filters)."""

from __future__ import annotations

import ipaddress

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import RegistrationState, User, UserRegistration
from vidpub.errors import ProblemError, conflict, forbidden, invalid_param, not_found
from vidpub.schemas.registrations import UserRegister, UserRegistrationRequest
from vidpub.services import notifications, verification
from vidpub.services.auth.passwords import hash_password
from vidpub.services.mail import queue_email
from vidpub.services.users import (NewUser, check_password_rules, count_users, create_user,
                                   ensure_names_available, like_pattern)

REGISTRATION_SORTS = {"createdAt": UserRegistration.created_at, "state": UserRegistration.state}

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
ChannelNames = tuple[str | None, str | None]  # (handle, display name) of the first channel, if chosen


# -- is sign-up open? ----------------------------------------------------------------------------------

def _networks(cidrs) -> list[IPNetwork]:
    networks = []
    for cidr in cidrs or []:
        try:
            networks.append(ipaddress.ip_network(str(cidr), strict=False))
        except ValueError:
            continue  # PeerTube ignores what is not a CIDR
    return networks


def ip_allowed(config: Config, ip: str | None) -> bool:
    """`signup.filters.cidr`: the whitelist wins over the blacklist; once a whitelist exists, an
    address in neither list is refused too."""
    if not ip:
        return False
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    whitelist = _networks(config.signup.filters.cidr.whitelist)
    if any(address in network for network in whitelist if network.version == address.version):
        return True
    blacklist = _networks(config.signup.filters.cidr.blacklist)
    if any(address in network for network in blacklist if network.version == address.version):
        return False
    return not whitelist


async def _below_user_limit(session: AsyncSession, config: Config) -> bool:
    limit = int(config.signup.limit)
    return limit == -1 or await count_users(session) < limit


async def signup_allowed(session: AsyncSession, config: Config, ip: str | None) -> tuple[bool, bool]:
    """(`ServerConfig.signup.allowed`, `.allowedForCurrentIP`): sign-up (direct or by request, as
    `signup.requires_approval` says) is enabled and the instance is below `signup.limit` users; and
    the CIDR filters let this address in."""
    allowed = bool(config.signup.enabled) and await _below_user_limit(session, config)
    return allowed, ip_allowed(config, ip)


async def _ensure_signup_open(session: AsyncSession, config: Config, ip: str | None, *, direct: bool) -> None:
    if not config.signup.enabled:
        raise forbidden("User registration is not allowed")
    if direct and config.signup.requires_approval:
        raise forbidden("User registration requires approval, use /api/v1/users/registrations/request")
    if not await _below_user_limit(session, config):
        raise forbidden("User limit is reached on this instance")
    if not ip_allowed(config, ip):
        raise forbidden("You are not on a network authorized for registration.")


def _channel_names(body: UserRegister) -> ChannelNames:
    if body.channel is None:
        return None, None
    if not body.channel.name or not body.channel.displayName:
        field = "channel.displayName" if body.channel.name else "channel.name"
        raise invalid_param(field, None, "Channel is optional but if you specify it, channel.name and "
                                         "channel.displayName are required.")
    return body.channel.name, body.channel.displayName


async def _check_new_account(session: AsyncSession, config: Config, body: UserRegister) -> ChannelNames:
    check_password_rules(config, body.password)
    channel_name, channel_display_name = _channel_names(body)
    await ensure_names_available(session, body.username, str(body.email), channel_name, "channel.name")
    return channel_name, channel_display_name


# -- direct sign-up -----------------------------------------------------------------------------------

async def register_user(session: AsyncSession, config: Config, body: UserRegister, ip: str | None) -> User:
    """`POST /users/register`: the account exists at once; with `signup.requires_email_verification`
    it cannot log in before the mailed link is followed."""
    await _ensure_signup_open(session, config, ip, direct=True)
    channel_name, channel_display_name = await _check_new_account(session, config, body)
    verify = bool(config.signup.requires_email_verification)
    user = await create_user(session, config, NewUser(
        username=body.username, email=str(body.email), password_hash=await hash_password(body.password),
        email_verified=False if verify else None, display_name=body.displayName, channel_name=channel_name,
        channel_display_name=channel_display_name))
    if verify:
        verification.send_email_verification(session, config, user)
    notifications.notify(session, notifications.DIRECT_REGISTRATION, {"userId": user.id})
    await session.commit()
    return user


# -- registration requests ----------------------------------------------------------------------------

async def _ensure_no_registration_conflict(session: AsyncSession, username: str, email: str,
                                           channel_name: str | None) -> None:
    handles = [username] + ([channel_name] if channel_name else [])
    query = sa.select(UserRegistration.id).where(sa.or_(
        sa.func.lower(UserRegistration.email) == email.lower(),
        UserRegistration.username.in_(handles), UserRegistration.channel_handle.in_(handles))).limit(1)
    if (await session.execute(query)).first() is not None:
        raise conflict("Registration with this username, channel name or email already exists.")


async def request_registration(session: AsyncSession, config: Config, body: UserRegistrationRequest,
                               ip: str | None) -> UserRegistration:
    """`POST /users/registrations/request`: a moderator decides later; the password is kept as a
    bcrypt hash and moves to the user on acceptance."""
    await _ensure_signup_open(session, config, ip, direct=False)
    if not config.signup.requires_approval:
        raise ProblemError(400, "Signup approval is not enabled on this instance")
    channel_name, channel_display_name = await _check_new_account(session, config, body)
    await _ensure_no_registration_conflict(session, body.username, str(body.email), channel_name)
    verify = bool(config.signup.requires_email_verification)
    registration = UserRegistration(
        state=RegistrationState.PENDING, registration_reason=body.registrationReason,
        password=await hash_password(body.password), username=body.username, email=str(body.email),
        email_verified=False if verify else None, account_display_name=body.displayName,
        channel_handle=channel_name, channel_display_name=channel_display_name)
    session.add(registration)
    try:
        await session.flush()
    except IntegrityError:
        raise conflict("Registration with this username, channel name or email already exists.") from None
    if verify:
        verification.send_registration_email_verification(session, config, registration)
    notifications.notify(session, notifications.REGISTRATION_REQUEST, {"registrationId": registration.id})
    await session.commit()
    return registration


async def list_registrations(session: AsyncSession, *, start: int, count: int, sort: str, search: str | None,
                             states: list[int] | None = None) -> tuple[int, list[UserRegistration]]:
    query = sa.select(UserRegistration)
    if search:
        pattern = like_pattern(search)
        query = query.where(sa.or_(sa.func.lower(UserRegistration.username).like(pattern, escape="\\"),
                                   sa.func.lower(UserRegistration.email).like(pattern, escape="\\")))
    if states:
        query = query.where(UserRegistration.state.in_(states))
    total = (await session.execute(sa.select(sa.func.count()).select_from(query.subquery()))).scalar_one()
    column = REGISTRATION_SORTS[sort.lstrip("-")]
    order = column.desc() if sort.startswith("-") else column.asc()
    rows = (await session.execute(query.order_by(order, UserRegistration.id.asc()).offset(start).limit(count))
            ).scalars().all()
    return total, list(rows)


async def get_registration(session: AsyncSession, registration_id: int) -> UserRegistration:
    registration = await session.get(UserRegistration, registration_id)
    if registration is None:
        raise not_found("Registration not found")
    return registration


async def _pending(session: AsyncSession, registration_id: int) -> UserRegistration:
    registration = await get_registration(session, registration_id)
    if registration.state != RegistrationState.PENDING:
        raise conflict("This registration is already accepted or rejected.")
    return registration


async def accept_registration(session: AsyncSession, config: Config, registration_id: int,
                              moderation_response: str, prevent_email: bool) -> User:
    """Create the user as it was asked for: stored password hash, display name and channel. Names
    taken since the request give a 409."""
    registration = await _pending(session, registration_id)
    with_channel = bool(registration.channel_handle and registration.channel_display_name)
    user = await create_user(session, config, NewUser(
        username=registration.username, email=registration.email, password_hash=registration.password,
        email_verified=registration.email_verified, display_name=registration.account_display_name,
        channel_name=registration.channel_handle if with_channel else None,
        channel_display_name=registration.channel_display_name if with_channel else None))
    registration.user_id = user.id
    registration.state = RegistrationState.ACCEPTED
    registration.moderation_response = moderation_response
    if not prevent_email:
        _send_outcome(session, config, registration)
    await session.commit()
    return user


async def reject_registration(session: AsyncSession, config: Config, registration_id: int,
                              moderation_response: str, prevent_email: bool) -> None:
    registration = await _pending(session, registration_id)
    registration.state = RegistrationState.REJECTED
    registration.moderation_response = moderation_response
    if not prevent_email:
        _send_outcome(session, config, registration)
    await session.commit()


async def delete_registration(session: AsyncSession, registration_id: int) -> None:
    """The request goes; a user created by accepting it stays."""
    await session.delete(await get_registration(session, registration_id))
    await session.commit()


def _send_outcome(session: AsyncSession, config: Config, registration: UserRegistration) -> None:
    accepted = registration.state == RegistrationState.ACCEPTED
    outcome = "accepted" if accepted else "rejected"
    text = (f"Your registration request for the account {registration.username} on {config.instance.name} "
            f"has been {outcome}.\n\nModeration response: {registration.moderation_response}")
    if accepted:
        text += f"\n\nYou can now log in: {config.url}/login"
    queue_email(session, config, [registration.email], f"Registration request {outcome}", text)


# -- email verification of requests -------------------------------------------------------------------

async def ask_registration_verification(session: AsyncSession, config: Config, email: str) -> None:
    """Send the link again; unknown addresses get the same silent answer (no enumeration)."""
    registration = (await session.execute(sa.select(UserRegistration).where(
        sa.func.lower(UserRegistration.email) == email.strip().lower()))).scalar_one_or_none()
    if registration is None or registration.state != RegistrationState.PENDING \
            or registration.email_verified is True:
        return
    verification.send_registration_email_verification(session, config, registration)
    await session.commit()


async def verify_registration_email(session: AsyncSession, config: Config, registration_id: int,
                                    token: str) -> None:
    registration = await get_registration(session, registration_id)
    email = verification.check_email_verification(config, "registrationId", registration.id, token)
    if registration.email.lower() != email:
        raise ProblemError(403, "Invalid verification string.")
    registration.email_verified = True
    await session.commit()
