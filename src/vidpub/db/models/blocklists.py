"""Mutes: an account blocking another account, or every account of a server.

Instance-wide blocks are rows whose blocker is the instance's own account (the `peertube`
Application actor's), as in PeerTube: one table serves users' mutes and the server blocklist.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from vidpub.db.base import Base, Timestamps
from vidpub.db.models.accounts import Account
from vidpub.db.models.actors import Server


class AccountBlocklist(Timestamps, Base):
    __tablename__ = "account_blocklist"
    __table_args__ = (sa.UniqueConstraint("account_id", "target_account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"))
    target_account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"),
                                                   index=True)

    account: Mapped[Account] = relationship(foreign_keys=[account_id])
    target_account: Mapped[Account] = relationship(foreign_keys=[target_account_id])


class ServerBlocklist(Timestamps, Base):
    __tablename__ = "server_blocklist"
    __table_args__ = (sa.UniqueConstraint("account_id", "target_server_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(sa.ForeignKey("account.id", ondelete="CASCADE"))
    target_server_id: Mapped[int] = mapped_column(sa.ForeignKey("server.id", ondelete="CASCADE"), index=True)

    account: Mapped[Account] = relationship()
    target_server: Mapped[Server] = relationship()
