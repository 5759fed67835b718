"""Users' notifications: raising an event (`notify`), and a user's list, read marks and settings.

`notify(session, EVENT, payload)` adds a `notify` job to the caller's transaction: the event is
announced only if what caused it is committed, and the work of finding the recipients, honouring
their settings (bit 1: a notification in the list, bit 2: an email) and their mutes happens in the
job (`services/notification_events.py`), off the request.

Events and their payloads:
    NEW_VIDEO            {"videoUUID"}        a video was published (subscribers of its channel)
    VIDEO_PUBLISHED      {"videoUUID"}        ... and its owner, who waited for the transcoding
    STUDIO_EDITION_DONE  {"videoUUID"}        the owner's studio edition finished
    IMPORT_FINISHED      {"videoImportId", "success"}
    NEW_FOLLOW           {"actorFollowId"}    someone follows a local account or channel
    NEW_COMMENT          {"commentId"}        the video's owner and the users mentioned
    COMMENT_APPROVED     {"commentId"}        a held comment was approved: the users mentioned
    DIRECT_REGISTRATION  {"userId"}           a user signed up (moderators)
    REGISTRATION_REQUEST {"registrationId"}   a user asked to sign up (moderators)
    NEW_ABUSE            {"abuseId"}          a report was made here or received (moderators)
    ABUSE_STATE_CHANGE   {"abuseId"}          a moderator accepted or rejected a report (its reporter)
    ABUSE_NEW_MESSAGE    {"abuseId", "messageId"}  a message on a report (the reporter or the moderators)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from vidpub.db.models import (Abuse, Account, ActorFollow, User, UserNotification, UserNotificationSetting,
                              UserRegistration, Video, VideoCaption, VideoChannel, VideoComment, VideoImport,
                              VideoPrivacy, VideoState)
from vidpub.jobs.queue import enqueue
from vidpub.schemas.notifications import NotificationObjects

NOTIFY_JOB = "notify"

NEW_VIDEO = "new-video"
VIDEO_PUBLISHED = "my-video-published"
STUDIO_EDITION_DONE = "studio-edition-finished"
IMPORT_FINISHED = "import-finished"
NEW_FOLLOW = "new-follow"
NEW_COMMENT = "new-comment"
COMMENT_APPROVED = "comment-approved"
DIRECT_REGISTRATION = "direct-registration"
REGISTRATION_REQUEST = "registration-request"
NEW_ABUSE = "new-abuse"
ABUSE_STATE_CHANGE = "abuse-state-change"
ABUSE_NEW_MESSAGE = "abuse-new-message"

EVENTS = frozenset({NEW_VIDEO, VIDEO_PUBLISHED, STUDIO_EDITION_DONE, IMPORT_FINISHED, NEW_FOLLOW, NEW_COMMENT,
                    COMMENT_APPROVED, DIRECT_REGISTRATION, REGISTRATION_REQUEST, NEW_ABUSE, ABUSE_STATE_CHANGE,
                    ABUSE_NEW_MESSAGE})

SORT_COLUMNS = frozenset({"createdAt", "read"})

# the API's camelCase setting names and their columns
SETTING_COLUMNS = {
    "newVideoFromSubscription": "new_video_from_subscription",
    "newCommentOnMyVideo": "new_comment_on_my_video",
    "abuseAsModerator": "abuse_as_moderator",
    "videoAutoBlacklistAsModerator": "video_auto_blacklist_as_moderator",
    "blacklistOnMyVideo": "blacklist_on_my_video",
    "myVideoPublished": "my_video_published",
    "myVideoImportFinished": "my_video_import_finished",
    "newFollow": "new_follow",
    "newUserRegistration": "new_user_registration",
    "commentMention": "comment_mention",
    "newInstanceFollower": "new_instance_follower",
    "autoInstanceFollowing": "auto_instance_following",
    "abuseStateChange": "abuse_state_change",
    "abuseNewMessage": "abuse_new_message",
    "newPeerTubeVersion": "new_peertube_version",
    "newPluginVersion": "new_plugin_version",
    "myVideoStudioEditionFinished": "my_video_studio_edition_finished",
    "myVideoTranscriptionGenerated": "my_video_transcription_generated",
}


def notify(session: AsyncSession, event: str, payload: dict) -> None:
    """Announce `event` once the caller's transaction commits (see the module's docstring)."""
    if event not in EVENTS:
        raise ValueError(f"unknown notification event: {event}")
    enqueue(session, NOTIFY_JOB, {"action": event, **payload})


# PeerTube's "confidential" videos: made visible, they are announced as new
CONFIDENTIAL_PRIVACIES = frozenset({VideoPrivacy.PRIVATE, VideoPrivacy.UNLISTED, VideoPrivacy.INTERNAL,
                                    VideoPrivacy.PASSWORD_PROTECTED})


def video_published(session: AsyncSession, video: Video, *, previous_state: int | None,
                    is_new_video: bool, after_edition: bool = False) -> None:
    """A video entered PUBLISHED (`videos/state.publish`). After a studio edition, its owner hears
    the edition is done. A new video is announced to its channel's subscribers (the job checks it is
    public), and to its owner when it had been transcoding (the job checks they asked to wait for
    it); a re-published video (a replaced file) is not announced."""
    if after_edition:
        notify(session, STUDIO_EDITION_DONE, {"videoUUID": video.uuid})
        return
    if not is_new_video:
        return
    notify(session, NEW_VIDEO, {"videoUUID": video.uuid})
    if previous_state == VideoState.TO_TRANSCODE:
        notify(session, VIDEO_PUBLISHED, {"videoUUID": video.uuid})


def privacy_changed(session: AsyncSession, video: Video, old_privacy: int, *,
                    scheduled: bool = False) -> None:
    """A confidential video got another privacy (an edit, or its scheduled update): if it is now
    public or internal, subscribers hear of it as a new video; a scheduled publication is also
    announced to the owner."""
    if old_privacy not in CONFIDENTIAL_PRIVACIES or video.privacy == old_privacy:
        return
    notify(session, NEW_VIDEO, {"videoUUID": video.uuid})
    if scheduled:
        notify(session, VIDEO_PUBLISHED, {"videoUUID": video.uuid, "afterScheduledUpdate": True})


# -- a user's list ------------------------------------------------------------------------------------

def _of_user(user: User, unread: bool | None, types: Sequence[int] | None) -> list:
    conditions = [UserNotification.user_id == user.id]
    if unread is not None:
        conditions.append(UserNotification.read.is_(not unread))
    if types:
        conditions.append(UserNotification.type.in_(list(types)))
    return conditions


def _order(sort: str) -> list:
    column = {"createdAt": UserNotification.created_at, "read": UserNotification.read}[sort.lstrip("-")]
    direction = column.desc() if sort.startswith("-") else column.asc()
    # ties (same second, same read mark) newest first, as the list reads
    return [direction, UserNotification.id.desc()]


async def list_notifications(session: AsyncSession, user: User, *, start: int, count: int, sort: str,
                             unread: bool | None = None, types: Sequence[int] | None = None,
                             ) -> tuple[int, list[UserNotification]]:
    conditions = _of_user(user, unread, types)
    total = (await session.execute(
        sa.select(sa.func.count()).select_from(UserNotification).where(*conditions))).scalar_one()
    rows: list[UserNotification] = []
    if count and total > start:
        rows = list((await session.execute(
            sa.select(UserNotification).where(*conditions).order_by(*_order(sort))
            .offset(start).limit(count))).scalars())
    return total, rows


async def _by_id(session: AsyncSession, model, ids: set[int], *options) -> dict[int, object]:
    ids.discard(None)
    if not ids:
        return {}
    rows = await session.execute(sa.select(model).options(*options).where(model.id.in_(ids)))
    return {row.id: row for row in rows.unique().scalars()}


async def load_objects(session: AsyncSession, rows: Sequence[UserNotification]) -> NotificationObjects:
    """What a page of notifications is about, with the actors their JSON names: one query per kind
    of object, whatever the page size."""
    objects = NotificationObjects()
    objects.videos = await _by_id(session, Video, {r.video_id for r in rows}, joinedload(Video.channel))
    imports = await _by_id(session, VideoImport, {r.video_import_id for r in rows})
    captions = await _by_id(session, VideoCaption, {r.video_caption_id for r in rows})
    plain_videos = await _by_id(session, Video, {i.video_id for i in imports.values()}
                                | {c.video_id for c in captions.values()})
    objects.imports = {i.id: (i, plain_videos.get(i.video_id)) for i in imports.values()}
    objects.captions = {c.id: (c, plain_videos[c.video_id]) for c in captions.values()
                        if c.video_id in plain_videos}
    comments = await _by_id(session, VideoComment, {r.comment_id for r in rows},
                            joinedload(VideoComment.account), joinedload(VideoComment.video))
    # a deleted comment (a tombstone without author) is no longer shown
    objects.comments = {c.id: c for c in comments.values() if c.account is not None}
    objects.accounts = await _by_id(session, Account, {r.account_id for r in rows})
    objects.follows = await _by_id(session, ActorFollow, {r.actor_follow_id for r in rows})
    actor_ids = {actor_id for f in objects.follows.values() for actor_id in (f.actor_id, f.target_actor_id)}
    if actor_ids:
        accounts = await session.execute(sa.select(Account).where(Account.actor_id.in_(actor_ids)))
        for account in accounts.scalars():
            objects.follow_owners[account.actor_id] = account
        for channel in (await session.execute(
                sa.select(VideoChannel).where(VideoChannel.actor_id.in_(actor_ids)))).scalars():
            objects.follow_owners[channel.actor_id] = channel  # a followed channel is named as such
    objects.registrations = await _by_id(session, UserRegistration, {r.user_registration_id for r in rows})
    await _load_abuses(session, objects, {r.abuse_id for r in rows})
    return objects


async def _load_abuses(session: AsyncSession, objects: NotificationObjects, ids: set[int]) -> None:
    """The reports, with what their JSON names: the video (and its channel), the comment (and its
    video) or the flagged account."""
    objects.abuses = await _by_id(session, Abuse, ids)
    abuses = objects.abuses.values()
    objects.abuse_videos = await _by_id(session, Video, {a.video_id for a in abuses}, joinedload(Video.channel))
    comments = await _by_id(session, VideoComment, {a.comment_id for a in abuses}, joinedload(VideoComment.video))
    objects.abuse_comments = {c.id: c for c in comments.values() if not c.is_deleted}
    objects.abuse_accounts = await _by_id(session, Account, {a.flagged_account_id for a in abuses})


async def mark_read(session: AsyncSession, user: User, ids: Sequence[int]) -> None:
    """Mark the user's notifications among `ids` as read (others' ids are ignored)."""
    await session.execute(sa.update(UserNotification).where(
        UserNotification.user_id == user.id, UserNotification.id.in_(list(ids)),
        UserNotification.read.is_(False)).values(read=True))
    await session.commit()


async def mark_all_read(session: AsyncSession, user: User) -> None:
    await session.execute(sa.update(UserNotification).where(
        UserNotification.user_id == user.id, UserNotification.read.is_(False)).values(read=True))
    await session.commit()


async def update_settings(session: AsyncSession, user: User, values: dict[str, int]) -> None:
    """Set the given settings (API names, values already checked: 0 none, 1 web, 2 email, 3 both)."""
    columns = {SETTING_COLUMNS[name]: value for name, value in values.items()}
    if columns:
        await session.execute(sa.update(UserNotificationSetting)
                              .where(UserNotificationSetting.user_id == user.id).values(**columns))
    await session.commit()
