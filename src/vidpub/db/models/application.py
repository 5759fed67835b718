"""The instance itself: one row holding its secret and the runtime (admin-edited) configuration."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, JSONType, Timestamps


class Application(Timestamps, Base):
    __tablename__ = "application"

    id: Mapped[int] = mapped_column(primary_key=True)
    # used when `secrets.peertube` is empty: generated once, shared by every process
    secret: Mapped[str] = mapped_column(sa.String(128))
    # PeerTube-keyed overrides written by PUT /api/v1/config/custom (PeerTube keeps them in a local file;
    # a row lets every API and worker process of a scaled deployment see the same values)
    custom_config: Mapped[dict] = mapped_column(JSONType, default=dict)
    custom_config_version: Mapped[int] = mapped_column(default=0)
    jobs_paused: Mapped[bool] = mapped_column(default=False)
