"""First boot: the instance row, its server actor, the OAuth client and the `root` administrator."""

from __future__ import annotations

import logging
import secrets
import string
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from vidpub.config import Config
from vidpub.db import Database
from vidpub.db.models import Account, Actor, ActorType, Application, OAuthClient, User
from vidpub.services.actors import SERVER_ACTOR_NAME, build_local_actor
from vidpub.services.auth.passwords import hash_password
from vidpub.services.auth.rights import UserRole
from vidpub.services.users import NewUser, create_user

log = logging.getLogger("vidpub.installer")

ROOT_USERNAME = "root"


@dataclass
class InstallResult:
    root_created: bool = False
    generated_root_password: str | None = None  # shown once, never stored in clear


def _random(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for _ in range(length))


async def install(db: Database, config: Config, initial_root_password: str | None) -> InstallResult:
    for attempt in range(3):  # several processes may boot at once: unique constraints arbitrate
        try:
            async with db.transaction() as session:
                return await _install(session, config, initial_root_password)
        except IntegrityError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


async def _install(session, config: Config, initial_root_password: str | None) -> InstallResult:
    result = InstallResult()
    application = (await session.execute(sa.select(Application).limit(1))).scalar_one_or_none()
    if application is None:
        application = Application(id=1, secret=secrets.token_urlsafe(48), custom_config={})
        session.add(application)
        await session.flush()

    has_server_actor = (await session.execute(sa.select(Account.id).where(
        Account.application_id == application.id))).first() is not None
    if not has_server_actor:
        actor = build_local_actor(config.url, ActorType.APPLICATION, SERVER_ACTOR_NAME)
        session.add(actor)
        await session.flush()
        session.add(Account(name=SERVER_ACTOR_NAME, actor_id=actor.id, application_id=application.id))

    if (await session.execute(sa.select(OAuthClient.id).limit(1))).first() is None:
        session.add(OAuthClient(
            client_id=_random(string.ascii_lowercase + string.digits, 32),
            client_secret=_random(string.ascii_letters + string.digits, 32),
            grants=["password", "refresh_token"]))

    if (await session.execute(sa.select(User.id).where(User.username == ROOT_USERNAME))).first() is None:
        password = initial_root_password or _random(string.ascii_letters + string.digits, 16)
        if not initial_root_password:
            result.generated_root_password = password
        await create_user(session, config, NewUser(
            username=ROOT_USERNAME, email=config.admin.email, password_hash=await hash_password(password),
            role=UserRole.ADMINISTRATOR, video_quota=-1, video_quota_daily=-1, email_verified=True))
        result.root_created = True
        log.info("created the %s administrator", ROOT_USERNAME)
    return result


async def server_actor(session) -> Actor:
    return (await session.execute(sa.select(Actor).join(Account, Account.actor_id == Actor.id)
                                  .where(Account.application_id.is_not(None)))).scalar_one()
