"""Dense, unique positions (1..n) within a scope: a playlist's elements, a channel's playlists.

Both tables keep their positions unique per scope. An UPDATE that moves several rows by one would
trip that rule halfway on either database (both check uniqueness row by row), so every move goes
through negative values: the moved rows first take their new position negated, which no other row
holds, then one statement flips them back. Callers hold the scope's lock (a row lock on its
playlist/channel, or SQLite's write lock), so that counting, appending and moving never interleave.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession


class PositionedTable:
    """Where positions live: a table, its position column and the column naming the scope."""

    def __init__(self, model, position_column: str, scope_column: str):
        self.table: sa.Table = model.__table__
        self.position = self.table.c[position_column]
        self.scope = self.table.c[scope_column]
        self.id = self.table.c.id

    async def count(self, session: AsyncSession, scope_id: int) -> int:
        query = sa.select(sa.func.count()).select_from(self.table).where(
            self.scope == scope_id, self.position.is_not(None))
        return (await session.execute(query)).scalar_one()

    async def next_position(self, session: AsyncSession, scope_id: int) -> int:
        query = sa.select(sa.func.max(self.position)).where(self.scope == scope_id)
        return ((await session.execute(query)).scalar_one() or 0) + 1

    async def ordered_ids(self, session: AsyncSession, scope_id: int) -> list[int]:
        query = sa.select(self.id).where(self.scope == scope_id, self.position.is_not(None)).order_by(self.position)
        return list((await session.execute(query)).scalars())

    async def close_gap(self, session: AsyncSession, scope_id: int, removed_position: int) -> None:
        """Positions after `removed_position` (now free) move up by one."""
        await session.execute(sa.update(self.table).where(
            self.scope == scope_id, self.position > removed_position).values({self.position: -(self.position - 1)}))
        await self._flip_negatives(session, scope_id)

    async def assign(self, session: AsyncSession, scope_id: int, new_order: Sequence[int],
                     old_order: Sequence[int]) -> None:
        """Give the rows of `new_order` the positions 1..n; only rows that move are written."""
        moved = [{"row_id": row_id, "new_position": -(index + 1)}
                 for index, row_id in enumerate(new_order) if index >= len(old_order) or old_order[index] != row_id]
        if not moved:
            return
        await session.execute(sa.update(self.table).where(self.id == sa.bindparam("row_id"))
                              .values({self.position: sa.bindparam("new_position")}), moved)
        await self._flip_negatives(session, scope_id)

    async def _flip_negatives(self, session: AsyncSession, scope_id: int) -> None:
        await session.execute(sa.update(self.table).where(self.scope == scope_id, self.position < 0)
                              .values({self.position: -self.position}))


def moved_block(order: Sequence[int], start: int, insert_after: int, length: int) -> list[int]:
    """`order` with the `length` items from position `start` (1-based) moved after the item at
    position `insert_after` (0: to the front), PeerTube's reorder. An anchor inside the moved block
    changes nothing."""
    block = list(order[start - 1:start - 1 + length])
    if start <= insert_after <= start + length - 1:
        return list(order)
    rest = [item for index, item in enumerate(order, 1) if not start <= index < start + length]
    if insert_after == 0:
        at = 0
    else:
        anchor = order[insert_after - 1]
        at = rest.index(anchor) + 1
    return rest[:at] + block + rest[at:]
