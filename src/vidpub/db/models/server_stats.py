"""What the instance statistics (`GET /server/stats`) keep that no other table holds."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from vidpub.db.base import Base, utcnow


class ActivityPubInboxStat(Base):
    """Activities received and processed, per activity type: successes and errors since `since`
    (PeerTube keeps them in Redis from its start; these survive restarts)."""

    __tablename__ = "activitypub_inbox_stat"

    activity_type: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    successes: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    errors: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    since: Mapped[datetime] = mapped_column(default=utcnow)
