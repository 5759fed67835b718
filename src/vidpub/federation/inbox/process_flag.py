"""`Flag`: another instance reports one of our videos, comments or accounts (peertube-internals §5.3).

The report is recorded under the sender's account (a remote user's, or a remote instance's own
account), once per Flag id (a redelivered Flag changes nothing), and the moderators hear of it. Objects
that are not ours are ignored: an instance only reports to the origin what it hosts. A Flag wrapped
in a `Create` (older PeerTube) is handled the same.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa

from vidpub.db.models import Abuse, AbuseFlaggedType, Account, Actor, Video, VideoComment
from vidpub.federation.ap.abuse import parse_flag
from vidpub.federation.ap.common import InvalidObject
from vidpub.federation.inbox.registry import InboxContext, handles
from vidpub.federation.remote_actors import host_of
from vidpub.services.abuses import record_remote_report
from vidpub.services.videos.lookup import with_owner

log = logging.getLogger("vidpub.federation.inbox")


async def _local_target(ctx: InboxContext, url: str) -> tuple[str, int, Video | None, int | None] | None:
    """(flagged type, flagged account id, video, comment id) of the local object `url`, or None."""
    session = ctx.session
    video = (await session.execute(sa.select(Video).options(with_owner())
                                   .where(Video.url == url, Video.remote.is_(False)))).unique().scalar_one_or_none()
    if video is not None:
        return AbuseFlaggedType.VIDEO, video.channel.account_id, video, None
    comment = (await session.execute(
        sa.select(VideoComment.id, VideoComment.account_id).join(Account, Account.id == VideoComment.account_id)
        .join(Actor, Actor.id == Account.actor_id)
        .where(VideoComment.url == url, Actor.server_id.is_(None), VideoComment.deleted_at.is_(None)))).first()
    if comment is not None:
        return AbuseFlaggedType.COMMENT, comment.account_id, None, comment.id
    account_id = (await session.execute(
        sa.select(Account.id).join(Actor, Actor.id == Account.actor_id)
        .where(Actor.url == url, Actor.server_id.is_(None)))).scalar_one_or_none()
    if account_id is not None:
        return AbuseFlaggedType.ACCOUNT, account_id, None, None
    return None


async def _process(ctx: InboxContext, flag: dict) -> None:
    try:
        fields = parse_flag(flag)
    except InvalidObject as error:
        log.info("Flag from %s dropped: %s", ctx.signer.url, error)
        return
    if host_of(fields.id) != host_of(ctx.signer.url):  # nobody may claim (and so silence) another's Flag id
        log.info("Flag %s from %s, another host: dropped", fields.id[:200], ctx.signer.url)
        return
    reporter = (await ctx.session.execute(sa.select(Account).where(Account.actor_id == ctx.signer.id))
                ).scalar_one_or_none()
    if reporter is None:
        log.info("Flag from %s, which has no account: dropped", ctx.signer.url)
        return
    known = (await ctx.session.execute(sa.select(Abuse.id).where(Abuse.url == fields.id))).first()
    if known is not None:
        return
    flag_id = fields.id  # kept on the first report only: a Flag of several objects makes several reports
    for url in fields.object_urls:
        target = await _local_target(ctx, url)
        if target is None:
            log.info("Flag of %s, which is not ours: ignored", url[:200])
            continue
        flagged_type, flagged_account_id, video, comment_id = target
        await record_remote_report(ctx.session, ctx.config, flag_id=flag_id, reporter=reporter,
                                   flagged_type=flagged_type, flagged_account_id=flagged_account_id,
                                   reason=fields.reason, predefined_reasons=fields.predefined_reasons, video=video,
                                   comment_id=comment_id, start_at=fields.start_at, end_at=fields.end_at)
        flag_id = None


@handles("Flag")
async def process_flag(ctx: InboxContext, activity: dict) -> None:
    await _process(ctx, activity)


@handles("Create", "Flag")
async def process_create_flag(ctx: InboxContext, activity: dict) -> None:
    inner = activity.get("object")
    await _process(ctx, {**inner, "id": inner.get("id") or activity.get("id")})
