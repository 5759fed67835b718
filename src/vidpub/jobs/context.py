"""What a handler gets: the process runtime, its job's payload, and a way to report progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from vidpub.db.models import Job

if TYPE_CHECKING:
    from vidpub.runtime import Runtime


@dataclass
class JobContext:
    runtime: Runtime
    job_id: int
    type: str
    payload: dict[str, Any]
    attempt: int  # 1 on the first run; a run cut short by a crash counts too
    _progress: int = field(default=0, repr=False)

    async def set_progress(self, percent: int) -> None:
        percent = max(0, min(100, int(percent)))
        if percent == self._progress:
            return
        self._progress = percent
        async with self.runtime.db.transaction() as session:
            await session.execute(sa.update(Job).where(Job.id == self.job_id).values(progress=percent))
