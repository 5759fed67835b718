"""Accounts named in a comment: `@name` (a local account) or `@name@host` (local when the host is
ours, else an account already known from that server)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Account, Actor, ActorType, Server, VideoComment, VideoCommentMention

# not inside an e-mail address or a URL: the `@` follows the start, a space or punctuation
MENTION_RE = re.compile(r"(?<![\w@/.:%+-])@([A-Za-z0-9_.]{1,50})(?:@([A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?"
                        r"(?::\d{1,5})?))?")
MAX_MENTIONS = 20  # more names than this in one comment is spam, not a conversation


def extract_mentions(text: str, local_host: str) -> list[tuple[str, str | None]]:
    """`(name, host)` pairs in order of appearance, without repeats; host None for local names."""
    found: dict[tuple[str, str | None], None] = {}
    for match in MENTION_RE.finditer(text or ""):
        name = match.group(1).rstrip(".").lower()
        host = (match.group(2) or "").lower() or None
        if not name:
            continue
        if host == local_host.lower():
            host = None
        found.setdefault((name, host), None)
        if len(found) >= MAX_MENTIONS:
            break
    return list(found)


async def resolve_mentions(session: AsyncSession, config: Config, text: str) -> list[int]:
    """Ids of the accounts (people, not channels) the text names; unknown names are ignored."""
    mentions = extract_mentions(text, config.host)
    if not mentions:
        return []
    local = [name for name, host in mentions if host is None]
    remote = [(name, host) for name, host in mentions if host is not None]
    conditions = []
    if local:
        conditions.append(sa.and_(Actor.server_id.is_(None), sa.func.lower(Actor.preferred_username).in_(local)))
    for name, host in remote:
        conditions.append(sa.and_(sa.func.lower(Actor.preferred_username) == name, Server.host == host))
    rows = await session.execute(
        sa.select(Account.id).join(Actor, Actor.id == Account.actor_id).outerjoin(Server, Server.id == Actor.server_id)
        .where(Actor.type == ActorType.PERSON, sa.or_(*conditions)))
    return list(dict.fromkeys(rows.scalars()))


async def record_mentions(session: AsyncSession, config: Config, comment: VideoComment,
                          also: Sequence[int] = ()) -> list[int]:
    """Store who `comment` names (plus the accounts `also`); returns their account ids."""
    account_ids = list(dict.fromkeys([*await resolve_mentions(session, config, comment.text), *also]))
    session.add_all(VideoCommentMention(comment_id=comment.id, account_id=account_id) for account_id in account_ids)
    return account_ids


async def forget_mentions(session: AsyncSession, comment_id: int) -> None:
    await session.execute(sa.delete(VideoCommentMention).where(VideoCommentMention.comment_id == comment_id))


async def mentioned_account_ids(session: AsyncSession, comment_id: int) -> list[int]:
    rows = await session.execute(sa.select(VideoCommentMention.account_id)
                                 .where(VideoCommentMention.comment_id == comment_id))
    return list(rows.scalars())
