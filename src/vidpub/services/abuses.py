"""Abuse reports: reporting a video, a comment or an account, moderating the reports, and the messages
between a reporter and the moderators (the lists: `services/abuse_lists.py`).

PeerTube's rules: a report names at least one of video, comment, account (each named one must exist;
the video wins, then the comment); nobody reports a video they own; a report of a remote object is
also sent to its instance as a `Flag`; moderators hear of new reports unless a moderator made it.
Reports are seen and messaged by their reporter and by holders of MANAGE_ABUSES; messages exist only
for reports made here. Moderators' changes stay on this instance (nothing is federated).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from vidpub.config import Config
from vidpub.db.models import (Abuse, AbuseFlaggedType, AbuseMessage, AbuseState, Account, User,
                              VideoComment)
from vidpub.db.base import utcnow
from vidpub.errors import ProblemError, bad_request, forbidden, not_found
from vidpub.federation.outbox.send_flag import send_flag
from vidpub.schemas.abuses import (PREDEFINED_REASONS, AbuseCreate, AbuseMessageJson, AbuseMessageList,
                                   AbuseUpdate)
from vidpub.schemas.actors import account_summary_json
from vidpub.services import notifications
from vidpub.services.abuse_lists import video_snapshot
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.videos.lookup import get_video, is_owner


def is_moderator(user: User) -> bool:
    return has_right(user.role, UserRight.MANAGE_ABUSES)


async def _account(session: AsyncSession, account_id: int) -> Account:
    account = await session.get(Account, account_id)
    if account is None:
        raise not_found("Account not found")
    return account


async def _comment(session: AsyncSession, comment_id: int) -> VideoComment:
    comment = (await session.execute(sa.select(VideoComment).where(VideoComment.id == comment_id)
                                     .options(joinedload(VideoComment.account), joinedload(VideoComment.video))
                                     )).unique().scalar_one_or_none()
    if comment is None or comment.account is None:  # a deleted comment has no author left to report
        raise not_found("Video comment not found")
    return comment


async def report(session: AsyncSession, config: Config, user: User, body: AbuseCreate) -> int:
    """Create the report `body` by `user`; returns its id."""
    video = await get_video(session, str(body.video.id)) if body.video is not None else None
    comment = await _comment(session, body.comment.id) if body.comment is not None else None
    account = await _account(session, body.account.id) if body.account is not None else None
    if video is None and comment is None and account is None:
        raise bad_request("video id or account id or comment id is required.")
    if video is not None and is_owner(video, user):
        raise forbidden("You cannot report a video you own or collaborate on.")

    abuse = Abuse(reason=body.reason, state=AbuseState.PENDING, reporter_account_id=user.account.id,
                  predefined_reasons=[PREDEFINED_REASONS[name] for name in body.predefinedReasons or []])
    if video is not None:
        flagged_account, object_url = video.channel.account, video.url
        abuse.flagged_type, abuse.video_id = AbuseFlaggedType.VIDEO, video.id
        abuse.start_at, abuse.end_at = body.video.startAt, body.video.endAt
        abuse.video_snapshot = video_snapshot(config, video)
    elif comment is not None:
        flagged_account, object_url = comment.account, comment.url
        abuse.flagged_type, abuse.comment_id = AbuseFlaggedType.COMMENT, comment.id
    else:
        flagged_account, object_url = account, account.actor.url
        abuse.flagged_type = AbuseFlaggedType.ACCOUNT
    abuse.flagged_account_id = flagged_account.id
    session.add(abuse)
    await session.flush()
    await send_flag(session, config, abuse, reporter=user.account.actor, flagged=flagged_account.actor,
                    object_url=object_url)
    if not is_moderator(user):  # PeerTube: a moderator's own report notifies nobody
        notifications.notify(session, notifications.NEW_ABUSE, {"abuseId": abuse.id})
    await session.commit()
    return abuse.id


async def record_remote_report(session: AsyncSession, config: Config, *, flag_id: str | None, reporter: Account,
                               flagged_type: str, flagged_account_id: int, reason: str, predefined_reasons: list[int],
                               video=None, comment_id: int | None = None, start_at: int | None = None,
                               end_at: int | None = None) -> Abuse:
    """A report received from another instance (a `Flag`) about a local object, in the caller's
    transaction; the moderators hear of it."""
    abuse = Abuse(url=flag_id, reason=reason, predefined_reasons=predefined_reasons, state=AbuseState.PENDING,
                  reporter_account_id=reporter.id, flagged_type=flagged_type, flagged_account_id=flagged_account_id,
                  comment_id=comment_id)
    if video is not None:
        abuse.video_id, abuse.start_at, abuse.end_at = video.id, start_at, end_at
        abuse.video_snapshot = video_snapshot(config, video)
    session.add(abuse)
    await session.flush()
    notifications.notify(session, notifications.NEW_ABUSE, {"abuseId": abuse.id})
    return abuse


# -- moderation -------------------------------------------------------------------------------------

async def get_abuse(session: AsyncSession, abuse_id: int) -> Abuse:
    abuse = await session.get(Abuse, abuse_id)
    if abuse is None:
        raise not_found("Abuse not found")
    return abuse


async def update(session: AsyncSession, abuse: Abuse, body: AbuseUpdate) -> None:
    fields = body.model_fields_set
    if "moderationComment" in fields:
        abuse.moderation_comment = body.moderationComment
    state_changed = "state" in fields and body.state is not None
    if state_changed:
        abuse.state = body.state
        abuse.processed_at = abuse.processed_at or utcnow()  # the first decision marks it processed
        notifications.notify(session, notifications.ABUSE_STATE_CHANGE, {"abuseId": abuse.id})
    await session.commit()


async def delete(session: AsyncSession, abuse: Abuse) -> None:
    await session.delete(abuse)
    await session.commit()


# -- messages ---------------------------------------------------------------------------------------

async def messageable_abuse(session: AsyncSession, abuse_id: int, user: User) -> Abuse:
    """The report `abuse_id`, if `user` may read its messages: its reporter or a moderator (403
    otherwise), and only for a report made by a user of this instance (400 otherwise)."""
    abuse = await get_abuse(session, abuse_id)
    if not is_moderator(user) and abuse.reporter_account_id != user.account.id:
        raise forbidden(f"User {user.username} does not have right to get abuse {abuse.id}")
    reporter = await session.get(Account, abuse.reporter_account_id) if abuse.reporter_account_id else None
    if reporter is None or not reporter.actor.is_local:
        raise bad_request("This abuse was not created by a user of your instance.")
    return abuse


async def list_messages(session: AsyncSession, config: Config, abuse: Abuse) -> AbuseMessageList:
    rows = (await session.execute(sa.select(AbuseMessage, Account)
                                  .outerjoin(Account, Account.id == AbuseMessage.account_id)
                                  .where(AbuseMessage.abuse_id == abuse.id)
                                  .order_by(AbuseMessage.created_at, AbuseMessage.id))).unique().all()
    data = [AbuseMessageJson(id=message.id, message=message.message, byModerator=message.by_moderator,
                             createdAt=message.created_at,
                             account=account_summary_json(account, config.url, config.host) if account else None)
            for message, account in rows]
    return AbuseMessageList(total=len(data), data=data)


async def add_message(session: AsyncSession, abuse: Abuse, user: User, text: str) -> int:
    by_moderator = abuse.reporter_account_id != user.account.id
    message = AbuseMessage(abuse_id=abuse.id, account_id=user.account.id, message=text, by_moderator=by_moderator)
    session.add(message)
    if by_moderator and abuse.processed_at is None:
        abuse.processed_at = utcnow()  # a moderator's answer marks the report processed
    await session.flush()
    notifications.notify(session, notifications.ABUSE_NEW_MESSAGE, {"abuseId": abuse.id, "messageId": message.id})
    await session.commit()
    return message.id


async def delete_message(session: AsyncSession, abuse: Abuse, message_id: int, user: User) -> None:
    message = (await session.execute(sa.select(AbuseMessage).where(
        AbuseMessage.id == message_id, AbuseMessage.abuse_id == abuse.id))).scalar_one_or_none()
    if message is None:
        raise not_found("Abuse message not found")
    if not is_moderator(user) and message.account_id != user.account.id:
        raise ProblemError(403, "Cannot delete this abuse message")
    await session.delete(message)
    await session.commit()
