"""The `notify` job's work: for one event, who hears of it and how.

Each event becomes announcements — a notification type, the object it is about, the setting that
decides (bit 1 web: a `UserNotification` row; bit 2 email: a mail through the `email` job) and the
recipients. PeerTube's rules: a comment's author is not told about it; a user who mutes the account
behind the event (or whose instance does) hears nothing of it; emails wait for a verified address
when `signup.requires_email_verification` is on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload, selectinload

from vidpub.config import Config
from vidpub.db.models import (Abuse, AbuseMessage, AbuseState, Account, Actor, ActorFollow, FollowState,
                              ScheduleVideoUpdate, User, UserNotification, UserNotificationType, UserRegistration,
                              Video, VideoChannel, VideoComment, VideoCommentMention, VideoImport, VideoPrivacy, VideoState)
from vidpub.services import blocklists, notifications
from vidpub.services.auth.rights import UserRight, UserRole, has_right
from vidpub.services.mail import queue_email
from vidpub.services.videos.lookup import short_uuid

WEB, EMAIL = 1, 2


@dataclass
class Announcement:
    type: int
    setting: str                       # the UserNotificationSetting column that decides
    recipients: list[User]
    about: dict = field(default_factory=dict)   # UserNotification link columns (video_id=..., ...)
    subject: str = ""
    text: str = ""


Builder = Callable[[AsyncSession, Config, dict], Awaitable[list[Announcement]]]
BUILDERS: dict[str, Builder] = {}


def builds(event: str):
    def register(builder: Builder) -> Builder:
        BUILDERS[event] = builder
        return builder
    return register


async def handle_event(session: AsyncSession, config: Config, payload: dict) -> dict:
    """Create the notifications and queue the emails of one event, in the caller's transaction."""
    builder = BUILDERS.get(payload.get("action"))
    if builder is None:
        raise ValueError(f"unknown notification event: {payload.get('action')!r}")
    created = mailed = 0
    for announcement in await builder(session, config, payload):
        for user in announcement.recipients:
            setting = getattr(user.notification_setting, announcement.setting, 0) or 0
            if setting & WEB:
                session.add(UserNotification(type=announcement.type, user_id=user.id, **announcement.about))
                created += 1
            if setting & EMAIL and announcement.subject and _may_email(config, user):
                queue_email(session, config, [user.email], announcement.subject, announcement.text)
                mailed += 1
    return {"notifications": created, "emails": mailed}


def _may_email(config: Config, user: User) -> bool:
    return not (config.signup.requires_email_verification and user.email_verified is False)


# -- recipients -------------------------------------------------------------------------------------------

def _users():
    return sa.select(User).options(selectinload(User.notification_setting))


async def _users_where(session: AsyncSession, *conditions) -> list[User]:
    return list((await session.execute(_users().where(*conditions).order_by(User.id))).unique().scalars())


async def _user(session: AsyncSession, user_id: int | None) -> list[User]:
    return await _users_where(session, User.id == user_id) if user_id is not None else []


async def _users_with_right(session: AsyncSession, right: UserRight) -> list[User]:
    roles = [role for role in UserRole if has_right(role, right)]
    return await _users_where(session, User.role.in_(roles), User.blocked.is_(False))


async def _without_muting(session: AsyncSession, users: list[User], account_id: int) -> list[User]:
    """`users` minus those who (or whose instance) mute the account `account_id`."""
    muting = await blocklists.user_ids_muting(session, account_id, [user.id for user in users])
    return [user for user in users if user.id not in muting]


def _watch_url(config: Config, video: Video) -> str:
    return f"{config.url}/w/{short_uuid(video.uuid)}"


async def _video(session: AsyncSession, uuid: str) -> Video | None:
    query = (sa.select(Video).where(Video.uuid == uuid)
             .options(joinedload(Video.channel).joinedload(VideoChannel.account)))
    return (await session.execute(query)).unique().scalar_one_or_none()


# -- videos -----------------------------------------------------------------------------------------------

@builds(notifications.NEW_VIDEO)
async def _new_video(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    """Subscribers of the channel, when the video is public (or internal) and published."""
    video = await _video(session, payload["videoUUID"])
    if video is None or video.privacy not in (VideoPrivacy.PUBLIC, VideoPrivacy.INTERNAL) \
            or video.state != VideoState.PUBLISHED:
        return []
    channel = video.channel
    subscribers = await _users_where(session, User.id.in_(
        sa.select(Account.user_id).join(ActorFollow, ActorFollow.actor_id == Account.actor_id)
        .where(ActorFollow.target_actor_id == channel.actor_id, ActorFollow.state == FollowState.ACCEPTED)))
    subscribers = await _without_muting(session, subscribers, channel.account_id)
    if video.is_live:
        kind = UserNotificationType.NEW_LIVE_FROM_SUBSCRIPTION
        subject = f"{channel.name} is live streaming"
        text = f"Your subscription {channel.name} is live streaming {video.name}."
    else:
        kind = UserNotificationType.NEW_VIDEO_FROM_SUBSCRIPTION
        subject = f"{channel.name} just published a new video"
        text = f"Your subscription {channel.name} just published a new video: {video.name}."
    return [Announcement(kind, "new_video_from_subscription", subscribers, {"video_id": video.id},
                         subject, f"{text}\n\nView video: {_watch_url(config, video)}")]


@builds(notifications.VIDEO_PUBLISHED)
async def _my_video_published(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    """The owner, if they asked to wait for the transcoding (or a scheduled update published the
    video) and no scheduled update still holds the video back."""
    video = await _video(session, payload["videoUUID"])
    if video is None or video.state != VideoState.PUBLISHED:
        return []
    if not payload.get("afterScheduledUpdate") and not video.wait_transcoding:
        return []
    scheduled = (await session.execute(sa.select(ScheduleVideoUpdate.id)
                                       .where(ScheduleVideoUpdate.video_id == video.id))).first()
    if scheduled is not None:
        return []
    return [Announcement(UserNotificationType.MY_VIDEO_PUBLISHED, "my_video_published",
                         await _user(session, video.channel.account.user_id), {"video_id": video.id},
                         "Your video has been published",
                         f"Your video {video.name} has been published.\n\n"
                         f"View video: {_watch_url(config, video)}")]


@builds(notifications.STUDIO_EDITION_DONE)
async def _studio_edition_finished(session: AsyncSession, config: Config,
                                   payload: dict) -> list[Announcement]:
    video = await _video(session, payload["videoUUID"])
    if video is None:
        return []
    owner = await _user(session, video.channel.account.user_id)
    return [Announcement(UserNotificationType.MY_VIDEO_STUDIO_EDITION_FINISHED,
                         "my_video_studio_edition_finished", owner, {"video_id": video.id},
                         "Edition of your video has finished",
                         f"Edition of your video {video.name} has finished.\n\n"
                         f"View video: {_watch_url(config, video)}")]


@builds(notifications.IMPORT_FINISHED)
async def _import_finished(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    record = await session.get(VideoImport, payload["videoImportId"])
    if record is None:
        return []
    target = record.target_url or record.magnet_uri or record.torrent_name or ""
    if payload.get("success"):
        video = await session.get(Video, record.video_id) if record.video_id else None
        link = f"\n\nView video: {_watch_url(config, video)}" if video is not None else ""
        kind, subject = UserNotificationType.MY_VIDEO_IMPORT_SUCCESS, "Your video import is complete"
        text = f"Your video {target} has just finished importing.{link}"
    else:
        kind, subject = UserNotificationType.MY_VIDEO_IMPORT_ERROR, "Your video import encountered an error"
        text = (f"Your video import {target} encountered an error.\n\n"
                f"Review imports: {config.url}/my-library/video-imports")
    return [Announcement(kind, "my_video_import_finished", await _user(session, record.user_id),
                         {"video_import_id": record.id}, subject, text)]


# -- follows and users ------------------------------------------------------------------------------------

@builds(notifications.NEW_FOLLOW)
async def _new_follow(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    """The owner of the local channel (or account) that gained a follower."""
    follow = await session.get(ActorFollow, payload["actorFollowId"])
    if follow is None or follow.state != FollowState.ACCEPTED:
        return []
    target = await session.get(Actor, follow.target_actor_id)
    if target is None or target.server_id is not None:
        return []
    channel = (await session.execute(
        sa.select(VideoChannel).options(joinedload(VideoChannel.account))
        .where(VideoChannel.actor_id == target.id))).unique().scalar_one_or_none()
    account = channel.account if channel is not None else (await session.execute(
        sa.select(Account).where(Account.actor_id == target.id))).unique().scalar_one_or_none()
    follower = (await session.execute(sa.select(Account).where(Account.actor_id == follow.actor_id))
                ).unique().scalar_one_or_none()
    if account is None or account.user_id is None or follower is None:
        return []
    owner = await _without_muting(session, await _user(session, account.user_id), follower.id)
    followed = channel.name if channel is not None else account.name
    kind = "channel" if channel is not None else "account"
    follower_url = f"{config.url}/a/{follower.actor.preferred_username}"
    return [Announcement(UserNotificationType.NEW_FOLLOW, "new_follow", owner, {"actor_follow_id": follow.id},
                         f"New follower on your {kind} {followed}",
                         f"Your {kind} {followed} has a new subscriber: {follower.name}.\n\n"
                         f"View subscriber: {follower_url}")]


@builds(notifications.DIRECT_REGISTRATION)
async def _direct_registration(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    user = await session.get(User, payload["userId"])
    if user is None:
        return []
    moderators = [m for m in await _users_with_right(session, UserRight.MANAGE_USERS) if m.id != user.id]
    return [Announcement(UserNotificationType.NEW_USER_REGISTRATION, "new_user_registration", moderators,
                         {"account_id": user.account.id}, f"A new user registered on {config.instance.name}",
                         f"User {user.username} just registered.\n\n"
                         f"Manage users: {config.url}/admin/users/list")]


@builds(notifications.REGISTRATION_REQUEST)
async def _registration_request(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    registration = await session.get(UserRegistration, payload["registrationId"])
    if registration is None:
        return []
    moderators = await _users_with_right(session, UserRight.MANAGE_REGISTRATIONS)
    return [Announcement(UserNotificationType.NEW_USER_REGISTRATION_REQUEST, "new_user_registration",
                         moderators, {"user_registration_id": registration.id},
                         f"A new user wants to register: {registration.username}",
                         f"{registration.username} wants to register on {config.instance.name}:\n\n"
                         f"{registration.registration_reason}\n\n"
                         f"View registration request: {config.url}/admin/moderation/registrations/list")]


# -- comments ---------------------------------------------------------------------------------------------

async def _comment(session: AsyncSession, comment_id: int) -> VideoComment | None:
    query = (sa.select(VideoComment).where(VideoComment.id == comment_id)
             .options(joinedload(VideoComment.account), joinedload(VideoComment.video)
                      .joinedload(Video.channel).joinedload(VideoChannel.account)))
    comment = (await session.execute(query)).unique().scalar_one_or_none()
    return None if comment is None or comment.is_deleted or comment.account is None else comment


def _comment_url(config: Config, comment: VideoComment) -> str:
    return f"{_watch_url(config, comment.video)};threadId={comment.thread_id}"


def _quoted(text: str) -> str:
    return "\n".join(f"> {line}" for line in text.strip().splitlines())


async def _mentioned(session: AsyncSession, comment: VideoComment, owner_id: int | None) -> Announcement:
    """Local users the comment mentions, but its author and the video's owner (told already)."""
    users = await _users_where(session, User.id.in_(
        sa.select(Account.user_id).join(VideoCommentMention, VideoCommentMention.account_id == Account.id)
        .where(VideoCommentMention.comment_id == comment.id, Account.user_id.is_not(None))),
        User.id.not_in([uid for uid in (owner_id, comment.account.user_id) if uid is not None]))
    users = await _without_muting(session, users, comment.account_id)
    return Announcement(UserNotificationType.COMMENT_MENTION, "comment_mention", users,
                        {"comment_id": comment.id}, f"Mention on video {comment.video.name}",
                        f"{comment.account.name} mentioned you in a comment on {comment.video.name}:\n\n"
                        f"{_quoted(comment.text)}")


@builds(notifications.NEW_COMMENT)
async def _new_comment(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    """The video's owner (unless they wrote it), and the users mentioned (unless it awaits approval)."""
    comment = await _comment(session, payload["commentId"])
    if comment is None:
        return []
    video = comment.video
    owner_id = video.channel.account.user_id if not video.remote else None
    announcements = []
    if owner_id is not None and owner_id != comment.account.user_id:
        owner = await _without_muting(session, await _user(session, owner_id), comment.account_id)
        action = "Review comment" if comment.held_for_review else "View comment"
        announcements.append(Announcement(
            UserNotificationType.NEW_COMMENT_ON_MY_VIDEO, "new_comment_on_my_video", owner,
            {"comment_id": comment.id}, "New comment on your video",
            f"{comment.account.name} commented your video {video.name}:\n\n{_quoted(comment.text)}\n\n"
            f"{action}: {_comment_url(config, comment)}"))
    if not comment.held_for_review:
        mention = await _mentioned(session, comment, owner_id)
        mention.text += f"\n\nView comment: {_comment_url(config, comment)}"
        announcements.append(mention)
    return announcements


@builds(notifications.COMMENT_APPROVED)
async def _comment_approved(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    """A comment held for review was approved: the users it mentions hear of it now."""
    comment = await _comment(session, payload["commentId"])
    if comment is None or comment.held_for_review:
        return []
    owner_id = comment.video.channel.account.user_id if not comment.video.remote else None
    mention = await _mentioned(session, comment, owner_id)
    mention.text += f"\n\nView comment: {_comment_url(config, comment)}"
    return [mention]


# -- abuse reports ----------------------------------------------------------------------------------------

_ABUSE_STATE_NAMES = {AbuseState.ACCEPTED: "accepted", AbuseState.REJECTED: "rejected", AbuseState.PENDING: "reopened"}


async def _local_reporter(session: AsyncSession, abuse: Abuse) -> list[User]:
    """The reporter, if a user of this instance."""
    if abuse.reporter_account_id is None:
        return []
    account = await session.get(Account, abuse.reporter_account_id)
    return await _user(session, account.user_id) if account is not None else []


def _abuse_subject(abuse: Abuse) -> str:
    return {"video": "a video", "comment": "a comment"}.get(abuse.flagged_type, "an account")


@builds(notifications.NEW_ABUSE)
async def _new_abuse(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    """The moderators, of a report made here or received from another instance."""
    abuse = await session.get(Abuse, payload["abuseId"])
    if abuse is None:
        return []
    moderators = await _users_with_right(session, UserRight.MANAGE_ABUSES)
    return [Announcement(UserNotificationType.NEW_ABUSE_FOR_MODERATORS, "abuse_as_moderator", moderators,
                         {"abuse_id": abuse.id}, f"New report of {_abuse_subject(abuse)}",
                         f"A new report of {_abuse_subject(abuse)} was made:\n\n{_quoted(abuse.reason)}\n\n"
                         f"View report: {config.url}/admin/moderation/abuses/list?search=%23{abuse.id}")]


@builds(notifications.ABUSE_STATE_CHANGE)
async def _abuse_state_change(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    """The reporter, when a moderator decided on the report."""
    abuse = await session.get(Abuse, payload["abuseId"])
    if abuse is None:
        return []
    state = _ABUSE_STATE_NAMES.get(abuse.state, "updated")
    return [Announcement(UserNotificationType.ABUSE_STATE_CHANGE, "abuse_state_change",
                         await _local_reporter(session, abuse), {"abuse_id": abuse.id},
                         f"Abuse report #{abuse.id} has been {state}",
                         f"Your report #{abuse.id} of {_abuse_subject(abuse)} has been {state}.\n\n"
                         f"View your reports: {config.url}/my-account/abuses")]


@builds(notifications.ABUSE_NEW_MESSAGE)
async def _abuse_new_message(session: AsyncSession, config: Config, payload: dict) -> list[Announcement]:
    """The reporter, of a moderator's message; the moderators, of any message but their own."""
    abuse = await session.get(Abuse, payload["abuseId"])
    message = await session.get(AbuseMessage, payload["messageId"])
    if abuse is None or message is None:
        return []
    author_user_id = (await session.execute(sa.select(Account.user_id).where(Account.id == message.account_id))
                      ).scalar_one_or_none() if message.account_id is not None else None
    reporter = [] if message.account_id == abuse.reporter_account_id else await _local_reporter(session, abuse)
    told = {author_user_id} | {user.id for user in reporter}
    moderators = [user for user in await _users_with_right(session, UserRight.MANAGE_ABUSES) if user.id not in told]
    subject = f"New message on abuse report #{abuse.id}"
    text = f"A new message was posted on report #{abuse.id}:\n\n{_quoted(message.message)}"
    return [Announcement(UserNotificationType.ABUSE_NEW_MESSAGE, "abuse_new_message", reporter, {"abuse_id": abuse.id},
                         subject, f"{text}\n\nView your reports: {config.url}/my-account/abuses"),
            Announcement(UserNotificationType.ABUSE_NEW_MESSAGE, "abuse_new_message", moderators,
                         {"abuse_id": abuse.id}, subject,
                         f"{text}\n\nView report: {config.url}/admin/moderation/abuses/list?search=%23{abuse.id}")]
