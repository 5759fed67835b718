"""Follows between actors: a user's subscription to a channel, an instance following another, and
(with federation) remote actors following local ones. One table for all of them, as in PeerTube."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, Timestamps
from vidpub.db.models.actors import Actor


class FollowState:
    PENDING = "pending"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


# PeerTube's remote-server health score: starts here, moves by ±10 per delivery.
FOLLOW_SCORE_BASE = 1000
FOLLOW_SCORE_MAX = 10000


class ActorFollow(Timestamps, Base):
    __tablename__ = "actor_follow"
    __table_args__ = (
        sa.UniqueConstraint("actor_id", "target_actor_id"),
        # lists of a channel's followers, newest first
        sa.Index("ix_actor_follow_target_created", "target_actor_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # the follower
    actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"))
    # the followed actor
    target_actor_id: Mapped[int] = mapped_column(sa.ForeignKey("actor.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(sa.String(10), default=FollowState.PENDING)
    # the Follow activity's id: <follower url>/follows/<target actor id>
    url: Mapped[str | None] = mapped_column(sa.String(2000), unique=True)
    score: Mapped[int] = mapped_column(default=FOLLOW_SCORE_BASE)

    follower: Mapped[Actor] = relationship(foreign_keys=[actor_id], lazy="raise")
    following: Mapped[Actor] = relationship(foreign_keys=[target_actor_id], lazy="raise")
