"""My Notifications tag: a notification as PeerTube shows it, and the settings body.

The shape is the union of the 7.0 spec's `Notification` and PeerTube 8's `UserNotification`: every
object field is present, null when the notification is not about such an object (the 8.x types
omit them; the spec documents them all). Objects Vidpub does not have yet (blacklists, plugins,
collaborators, ownership changes) are always null.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import Field, StrictInt

from vidpub.db.models import ActorImageType, ActorType
from vidpub.schemas.actors import ActorImage, actor_images
from vidpub.schemas.common import ApiModel, RequestBody, Timestamp
from vidpub.schemas.videos import IntLabel, StrLabel, language_label, state_label
from vidpub.services.videos.lookup import short_uuid


class VideoInfo(ApiModel):
    id: int
    uuid: str
    shortUUID: str  # 8.x
    name: str
    state: IntLabel  # 8.x


class ActorInfo(ApiModel):
    id: int
    displayName: str
    name: str
    host: str
    avatars: list[ActorImage]
    avatar: ActorImage | None  # 8.x: the largest avatar


class VideoWithChannel(VideoInfo):
    channel: ActorInfo


class VideoImportInfo(ApiModel):
    id: int
    video: VideoInfo | None
    torrentName: str | None
    magnetUri: str | None
    targetUri: str | None  # the 7.0 spec's name
    targetUrl: str | None  # PeerTube 8's name


class CommentInfo(ApiModel):
    id: int
    threadId: int
    account: ActorInfo
    video: VideoInfo
    heldForReview: bool


class FollowFollowing(ApiModel):
    type: str  # account | channel | instance
    name: str
    displayName: str
    host: str


class ActorFollowInfo(ApiModel):
    id: int
    follower: ActorInfo
    state: str
    following: FollowFollowing


class RegistrationInfo(ApiModel):
    id: int
    username: str


class VideoCaptionInfo(ApiModel):
    id: int
    language: StrLabel
    video: VideoInfo


class AbuseCommentInfo(ApiModel):
    threadId: int
    video: VideoInfo


class AbuseInfo(ApiModel):
    """PeerTube 8's `abuse` of a notification: the video, or else the comment, or else the account."""
    id: int
    state: int
    video: VideoInfo | None = None
    comment: AbuseCommentInfo | None = None
    account: ActorInfo | None = None


class NotificationJson(ApiModel):
    id: int
    type: int
    read: bool
    data: dict[str, Any] | None
    video: VideoWithChannel | None
    videoImport: VideoImportInfo | None
    comment: CommentInfo | None
    abuse: AbuseInfo | None = None
    videoAbuse: dict[str, Any] | None = None  # 7.0 spec
    videoBlacklist: dict[str, Any] | None = None
    account: ActorInfo | None
    actorFollow: ActorFollowInfo | None
    plugin: dict[str, Any] | None = None
    peertube: dict[str, Any] | None = None
    registration: RegistrationInfo | None
    videoCaption: VideoCaptionInfo | None
    videoChannelCollaborator: dict[str, Any] | None = None
    changeOwnership: dict[str, Any] | None = None
    createdAt: Timestamp
    updatedAt: Timestamp


class NotificationList(ApiModel):
    total: int
    data: list[NotificationJson]


SettingValue = Annotated[StrictInt, Field(ge=0, le=3)]  # 0 none, 1 web, 2 email, 3 both


class NotificationSettingsUpdate(RequestBody):
    """PeerTube requires the twelve settings the 7.0 spec lists; the newer ones are optional."""
    newVideoFromSubscription: SettingValue
    newCommentOnMyVideo: SettingValue
    abuseAsModerator: SettingValue
    videoAutoBlacklistAsModerator: SettingValue
    blacklistOnMyVideo: SettingValue
    myVideoPublished: SettingValue
    myVideoImportFinished: SettingValue
    newFollow: SettingValue
    newUserRegistration: SettingValue
    commentMention: SettingValue
    newInstanceFollower: SettingValue
    autoInstanceFollowing: SettingValue
    abuseStateChange: SettingValue | None = None
    abuseNewMessage: SettingValue | None = None
    newPeerTubeVersion: SettingValue | None = None
    newPluginVersion: SettingValue | None = None
    myVideoStudioEditionFinished: SettingValue | None = None
    myVideoTranscriptionGenerated: SettingValue | None = None


MAX_READ_IDS = 1000


class MarkRead(RequestBody):
    ids: Annotated[list[Annotated[StrictInt, Field(ge=-(2**31), le=2**31 - 1)]],
                   Field(min_length=1, max_length=MAX_READ_IDS)]


# -- builders from ORM rows -------------------------------------------------------------------------

@dataclass
class NotificationObjects:
    """The objects a page of notifications is about, by id, loaded with their actors."""
    videos: dict[int, Any] = field(default_factory=dict)         # Video with channel and its actor
    imports: dict[int, tuple[Any, Any]] = field(default_factory=dict)   # (VideoImport, Video | None)
    comments: dict[int, Any] = field(default_factory=dict)       # VideoComment with account and video
    accounts: dict[int, Any] = field(default_factory=dict)
    follows: dict[int, Any] = field(default_factory=dict)        # ActorFollow with follower/following
    follow_owners: dict[int, Any] = field(default_factory=dict)  # actor id -> its account or channel
    registrations: dict[int, Any] = field(default_factory=dict)
    captions: dict[int, tuple[Any, Any]] = field(default_factory=dict)  # (VideoCaption, Video)
    abuses: dict[int, Any] = field(default_factory=dict)
    abuse_videos: dict[int, Any] = field(default_factory=dict)
    abuse_comments: dict[int, Any] = field(default_factory=dict)  # VideoComment with its video
    abuse_accounts: dict[int, Any] = field(default_factory=dict)


def _host(actor, local_host: str) -> str:
    return local_host if actor.server is None else actor.server.host


def actor_info(owner, base_url: str, local_host: str) -> ActorInfo:
    """An account or a channel (`owner.name` is its display name, `owner.actor` its actor)."""
    actor = owner.actor
    avatars = actor_images(actor, ActorImageType.AVATAR, base_url)
    return ActorInfo(id=owner.id, displayName=owner.name, name=actor.preferred_username,
                     host=_host(actor, local_host), avatars=avatars,
                     avatar=max(avatars, key=lambda image: image.width) if avatars else None)


def video_info(video) -> VideoInfo:
    return VideoInfo(id=video.id, uuid=video.uuid, shortUUID=short_uuid(video.uuid), name=video.name,
                     state=state_label(video.state))


_FOLLOWING_TYPES = {ActorType.APPLICATION: "instance", ActorType.GROUP: "channel",
                    ActorType.PERSON: "account"}


def _actor_follow(follow, objects: NotificationObjects, base_url: str,
                  local_host: str) -> ActorFollowInfo | None:
    follower = objects.follow_owners.get(follow.actor_id)
    following = objects.follow_owners.get(follow.target_actor_id)
    if follower is None or following is None:
        return None
    target_actor = following.actor
    return ActorFollowInfo(
        id=follow.id, state=follow.state, follower=actor_info(follower, base_url, local_host),
        following=FollowFollowing(type=_FOLLOWING_TYPES.get(target_actor.type, "account"),
                                  name=target_actor.preferred_username, displayName=following.name,
                                  host=_host(target_actor, local_host)))


def _abuse_info(abuse, objects: NotificationObjects, base_url: str, local_host: str) -> AbuseInfo:
    video = objects.abuse_videos.get(abuse.video_id)
    comment = objects.abuse_comments.get(abuse.comment_id)
    account = objects.abuse_accounts.get(abuse.flagged_account_id)
    info = AbuseInfo(id=abuse.id, state=abuse.state)
    if video is not None:
        info.video = video_info(video)
    elif comment is not None:
        info.comment = AbuseCommentInfo(threadId=comment.thread_id, video=video_info(comment.video))
    elif account is not None and abuse.flagged_type == "account":
        info.account = actor_info(account, base_url, local_host)
    return info


def notification_json(row, objects: NotificationObjects, base_url: str, local_host: str) -> NotificationJson:
    video = objects.videos.get(row.video_id)
    video_import, imported = objects.imports.get(row.video_import_id, (None, None))
    comment = objects.comments.get(row.comment_id)
    account = objects.accounts.get(row.account_id)
    follow = objects.follows.get(row.actor_follow_id)
    registration = objects.registrations.get(row.user_registration_id)
    caption, captioned = objects.captions.get(row.video_caption_id, (None, None))
    abuse = objects.abuses.get(row.abuse_id)
    return NotificationJson(
        id=row.id, type=row.type, read=row.read, data=row.data,
        video=VideoWithChannel(**video_info(video).model_dump(),
                               channel=actor_info(video.channel, base_url, local_host)) if video else None,
        videoImport=VideoImportInfo(
            id=video_import.id, video=video_info(imported) if imported else None,
            torrentName=video_import.torrent_name, magnetUri=video_import.magnet_uri,
            targetUri=video_import.target_url, targetUrl=video_import.target_url) if video_import else None,
        comment=CommentInfo(
            id=comment.id, threadId=comment.thread_id,
            account=actor_info(comment.account, base_url, local_host), video=video_info(comment.video),
            heldForReview=comment.held_for_review) if comment else None,
        account=actor_info(account, base_url, local_host) if account else None,
        actorFollow=_actor_follow(follow, objects, base_url, local_host) if follow else None,
        registration=(RegistrationInfo(id=registration.id, username=registration.username)
                      if registration else None),
        videoCaption=VideoCaptionInfo(id=caption.id, language=language_label(caption.language),
                                      video=video_info(captioned)) if caption else None,
        abuse=_abuse_info(abuse, objects, base_url, local_host) if abuse else None,
        createdAt=row.created_at, updatedAt=row.updated_at)
