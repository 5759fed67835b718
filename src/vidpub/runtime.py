"""Process-wide state shared by the API and the workers: configuration, database, limits."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

import sqlalchemy as sa

from vidpub.config import Config, deep_merge
from vidpub.db import Database
from vidpub.db.base import utcnow
from vidpub.db.models import Application, OAuthToken
from vidpub.ratelimit import RateLimits

log = logging.getLogger("vidpub.runtime")

CONFIG_REFRESH_S = 2.0


@dataclass
class TokenActivity:
    """Last use of each session, flushed to the database once a minute (as PeerTube does)."""
    pending: dict[int, tuple[str | None, str | None]] = field(default_factory=dict)

    def record(self, token_id: int, ip: str | None, device: str | None) -> None:
        self.pending[token_id] = (ip, device)

    async def flush(self, db: Database) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, {}
        now = utcnow()
        async with db.transaction() as session:
            for token_id, (ip, device) in batch.items():
                await session.execute(sa.update(OAuthToken).where(OAuthToken.id == token_id).values(
                    last_activity_date=now, last_activity_ip=ip, last_activity_device=device))


class Runtime:
    def __init__(self, base_config: Config, db: Database):
        self.base_config = base_config
        self.config = base_config
        self.db = db
        self.rate_limits = RateLimits(base_config)
        self.token_activity = TokenActivity()
        self._custom_version: int | None = None

    async def load_instance_state(self) -> None:
        """Read what the database holds about the instance: its secret and the admin's settings."""
        async with self.db.session(write=False) as session:
            application = (await session.execute(sa.select(Application).limit(1))).scalar_one()
        if not self.base_config.secrets.peertube:
            # one generated secret shared by every process through the database
            settings = deep_merge(self.base_config.file_settings, {"secrets": {"peertube": application.secret}})
            self.base_config = Config(settings, self.base_config.data_dir)
        self.apply_custom_config(application.custom_config or {}, application.custom_config_version)

    def apply_custom_config(self, overrides: dict, version: int) -> None:
        self.config = self.base_config.with_overrides(overrides)
        self.rate_limits.configure(self.config)
        self._custom_version = version

    @property
    def secret(self) -> str:
        return self.config.secrets.peertube

    async def refresh_if_changed(self) -> None:
        async with self.db.session(write=False) as session:
            row = (await session.execute(
                sa.select(Application.custom_config_version, Application.custom_config).limit(1))).first()
        if row is not None and row.custom_config_version != self._custom_version:
            log.info("instance configuration changed (version %s)", row.custom_config_version)
            self.apply_custom_config(row.custom_config or {}, row.custom_config_version)

    async def run_background(self, stop: asyncio.Event) -> None:
        """Keep this process's view of shared state fresh (other processes may change it)."""
        ticks = 0
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), timeout=CONFIG_REFRESH_S)
            except TimeoutError:
                pass
            ticks += 1
            try:
                await self.refresh_if_changed()
                if ticks % 30 == 0 or stop.is_set():
                    await self.token_activity.flush(self.db)
            except Exception:
                log.exception("background refresh failed")
