"""`Flag` of a remote video, comment or account, sent to the instance that hosts it (PeerTube's
`sendAbuse`): a unicast to the flagged account's shared inbox, in the reporting transaction.

PeerTube's brief says the server actor sends it; PeerTube's code (`createAbuse` in
`lib/moderation.ts`) sends it as the reporter's account, and real PeerTube wins: so does Vidpub. The
receiving instance then lists the report under that remote account."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Abuse, Actor
from vidpub.federation import urls
from vidpub.federation.ap.abuse import flag_activity
from vidpub.federation.outbox.delivery import deliver
from vidpub.schemas.abuses import PREDEFINED_REASON_NAMES


async def send_flag(session: AsyncSession, config: Config, abuse: Abuse, *, reporter: Actor, flagged: Actor,
                    object_url: str) -> int:
    """Queue the Flag of the local report `abuse` (flushed: it has its id) about `object_url`, whose
    owner is the remote actor `flagged`. Returns the number of deliveries queued (0 for a local one)."""
    if flagged.is_local:
        return 0
    activity = flag_activity(
        flag_id=urls.abuse_url(config, abuse.id), actor_url=reporter.url, flagged_actor_url=flagged.url,
        object_url=object_url, reason=abuse.reason,
        predefined_reasons=[PREDEFINED_REASON_NAMES[n] for n in abuse.predefined_reasons or []],
        start_at=abuse.start_at, end_at=abuse.end_at)
    return await deliver(session, activity, signer=reporter,
                         inboxes=[flagged.shared_inbox_url or flagged.inbox_url])
