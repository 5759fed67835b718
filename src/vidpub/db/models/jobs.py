"""The durable job table: every piece of background work is a row."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, JSONType, utcnow


class JobState:
    WAITING = "waiting"          # runnable once run_at has passed ("delayed" before that)
    WAITING_CHILDREN = "waiting-children"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"


class Job(Base):
    __tablename__ = "job"
    __table_args__ = (
        sa.Index("ix_job_claim", "state", "priority", "run_at"),
        sa.Index("ix_job_state_created", "state", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(sa.String(64), index=True)
    payload: Mapped[dict] = mapped_column(JSONType, default=dict)
    state: Mapped[str] = mapped_column(sa.String(20), default=JobState.WAITING)
    priority: Mapped[int] = mapped_column(default=100)  # lower runs first, as in BullMQ
    attempts: Mapped[int] = mapped_column(default=0)     # claims so far, crashed ones included
    max_attempts: Mapped[int] = mapped_column(default=1)  # the type's policy when it was enqueued
    run_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_expires_at: Mapped[datetime | None]
    worker_id: Mapped[str | None] = mapped_column(sa.String(100))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("job.id", ondelete="SET NULL"), index=True)
    pending_children: Mapped[int] = mapped_column(default=0)
    progress: Mapped[int] = mapped_column(default=0)
    error: Mapped[dict | None] = mapped_column(JSONType)   # {"message", "stack"} of the last failure
    result: Mapped[dict | None] = mapped_column(JSONType)
    # scheduled and idempotent jobs: a second enqueue with the same key is a no-op
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    # Only assigned when a parent and its children are enqueued together (the insert order then
    # follows); never loaded, the worker works on ids.
    parent: Mapped[Job | None] = relationship(remote_side=[id], lazy="raise")
