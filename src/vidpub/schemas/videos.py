"""PeerTube's `Video` (lists) and `VideoDetails` (one video) JSON.

Shapes are the union of the v7.0 REST spec and PeerTube 8's TypeScript interfaces: every field either
documents is present, null where unset; as in PeerTube, a list item's `description` is the truncated one
(details have it whole). Where they disagree the 8.x interfaces win: `description`, `viewers`,
`downloads`, `comments`, `nsfwFlags`, `nsfwSummary`, `thumbnails`, `url` and the `*Url` companions of
the paths are on every list item (the 7.0 spec has some only on details), and states above 9 (moves,
import failures) are reported although the spec's enum stops at 9.

The builders take ORM rows: the video with its channel, the channel's account and their actors
(`lookup.with_owner()`) and its thumbnails loaded, plus a `VideoRelated` with what the JSON needs from
other tables, batch-loaded for a whole page by `services/videos/loading.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from pydantic import model_serializer

from vidpub.config import Config
from vidpub.db.models import (
    ActorImageType,
    CommentsPolicy,
    ScheduleVideoUpdate,
    Thumbnail,
    ThumbnailType,
    Video,
    VideoFile,
    VideoSource,
    VideoStreamingPlaylist,
)
from vidpub.schemas.actors import (
    Account,
    AccountSummary,
    VideoChannel,
    VideoChannelSummary,
    account_json,
    account_summary_json,
    actor_images,
    channel_json,
)
from vidpub.schemas.common import ApiModel, Timestamp
from vidpub.schemas.video_files import (
    StreamingPlaylistJson,
    VideoFileJson,
    streaming_playlists_json,
    web_video_files_json,
)
from vidpub.schemas.video_source import VideoSourceDetails, video_source_details
from vidpub.services import constants, torrents
from vidpub.services.videos.lookup import short_uuid
from vidpub.storage import layout

VIDEO_STATE_LABELS = {
    1: "Published", 2: "To transcode", 3: "To import", 4: "Waiting for livestream", 5: "Livestream ended",
    6: "To move to an external storage", 7: "Transcoding failed", 8: "External storage move failed",
    9: "To edit", 10: "To move to file system", 11: "Move to file system failed", 12: "Import failed",
}
COMMENTS_POLICY_LABELS = {1: "Enabled", 2: "Disabled", 3: "Requires approval"}
EMBED_PRIVACY_ALL_ALLOWED = {"id": 1, "label": "All allowed"}
UNKNOWN_LABEL = "Unknown"
TRUNCATED_DESCRIPTION_LENGTH = 250
# PeerTube 8 names each thumbnail's shape among these ratios
THUMBNAIL_ASPECT_RATIOS = {"16:9": 16 / 9, "16:10": 16 / 10, "4:3": 4 / 3, "5:4": 5 / 4, "1:1": 1.0}


class IntLabel(ApiModel):
    id: int | None
    label: str


class StrLabel(ApiModel):
    id: str | None
    label: str


class ThumbnailJson(ApiModel):
    height: int
    width: int
    aspectRatio: str
    fileUrl: str


class ScheduledUpdate(ApiModel):
    updateAt: Timestamp
    privacy: int | None


class UserHistory(ApiModel):
    currentTime: int


# present only when asked for (`include` flags of the lists), as PeerTube does
_OPTIONAL_ATTRIBUTES = ("files", "streamingPlaylists", "tags", "videoSource", "automaticTags")


class VideoJson(ApiModel):
    id: int
    uuid: str
    shortUUID: str
    url: str
    name: str
    category: IntLabel
    licence: IntLabel
    language: StrLabel
    privacy: IntLabel
    nsfw: bool
    nsfwFlags: int
    nsfwSummary: str | None
    description: str | None
    truncatedDescription: str | None
    isLocal: bool
    isLive: bool
    duration: int
    aspectRatio: float | None
    views: int
    viewers: int
    downloads: int
    likes: int
    dislikes: int
    comments: int
    thumbnailPath: str | None
    thumbnailUrl: str | None
    previewPath: str | None
    previewUrl: str | None
    thumbnails: list[ThumbnailJson]
    embedPath: str
    embedUrl: str
    createdAt: Timestamp
    updatedAt: Timestamp
    publishedAt: Timestamp
    originallyPublishedAt: Timestamp | None
    account: AccountSummary
    channel: VideoChannelSummary
    userHistory: UserHistory | None
    waitTranscoding: bool | None
    state: IntLabel
    scheduledUpdate: ScheduledUpdate | None
    blacklisted: bool | None
    blacklistedReason: str | None
    blockedOwner: bool
    blockedServer: bool
    files: list[VideoFileJson] | None = None
    streamingPlaylists: list[StreamingPlaylistJson] | None = None
    tags: list[str] | None = None
    videoSource: VideoSourceDetails | None = None
    automaticTags: list[str] | None = None

    @model_serializer(mode="wrap")
    def _omit_attributes_not_asked_for(self, handler):
        data = handler(self)
        for key in _OPTIONAL_ATTRIBUTES:
            if data.get(key, 0) is None:
                del data[key]
        return data


class VideoDetailsJson(VideoJson):
    support: str | None
    channel: VideoChannel
    account: Account
    tags: list[str]
    commentsEnabled: bool
    commentsPolicy: IntLabel
    downloadEnabled: bool
    trackerUrls: list[str]
    files: list[VideoFileJson]
    streamingPlaylists: list[StreamingPlaylistJson]
    inputFileUpdatedAt: Timestamp | None
    embedPrivacyPolicy: IntLabel


@dataclass
class VideoRelated:
    """What a video's JSON shows from other tables than its own row (None: not loaded, not shown)."""
    tags: list[str] | None = None
    web_files: list[VideoFile] | None = None
    playlists: list[VideoStreamingPlaylist] | None = None  # with their `files` loaded
    schedule: ScheduleVideoUpdate | None = None
    history_time: int | None = None
    source: VideoSource | None = None
    viewers: int = 0
    redundancy_urls: dict[int, list[str]] = field(default_factory=dict)  # playlist id → copies' base URLs


# -- small pieces -----------------------------------------------------------------------------------

def category_label(category: int | None) -> IntLabel:
    return IntLabel(id=category, label=constants.VIDEO_CATEGORIES.get(category, UNKNOWN_LABEL))


def licence_label(licence: int | None) -> IntLabel:
    return IntLabel(id=licence, label=constants.VIDEO_LICENCES.get(licence, UNKNOWN_LABEL))


def language_label(language: str | None) -> StrLabel:
    return StrLabel(id=language, label=constants.video_languages().get(language, UNKNOWN_LABEL))


def privacy_label(privacy: int) -> IntLabel:
    return IntLabel(id=privacy, label=constants.VIDEO_PRIVACIES.get(privacy, UNKNOWN_LABEL))


def state_label(state: int) -> IntLabel:
    return IntLabel(id=state, label=VIDEO_STATE_LABELS.get(state, UNKNOWN_LABEL))


def comments_policy_label(policy: int) -> IntLabel:
    return IntLabel(id=policy, label=COMMENTS_POLICY_LABELS.get(policy, UNKNOWN_LABEL))


_TRUNCATE_SEPARATOR = re.compile(r",? +")


def truncate_description(description: str | None, length: int = TRUNCATED_DESCRIPTION_LENGTH) -> str | None:
    """At most `length` characters, cut at a word boundary and ended with '...' (PeerTube's rule)."""
    if not description:
        return None
    if len(description) <= length:
        return description
    cut = description[: length - 3]
    separators = list(_TRUNCATE_SEPARATOR.finditer(cut))
    if separators and separators[-1].start() > 0:
        cut = cut[: separators[-1].start()]
    return cut + "..."


def aspect_ratio_name(width: int, height: int) -> str:
    ratio = width / height if height else 1.0
    return min(THUMBNAIL_ASPECT_RATIOS, key=lambda name: abs(THUMBNAIL_ASPECT_RATIOS[name] - ratio))


def thumbnail_path(thumbnail: Thumbnail) -> str:
    if thumbnail.type == ThumbnailType.PREVIEW:
        return layout.preview_url_path(thumbnail.filename)
    return layout.thumbnail_url_path(thumbnail.filename)


def _image_of(video: Video, kind: int) -> Thumbnail | None:
    return next((thumb for thumb in video.thumbnails if thumb.type == kind), None)


def embed_path(video: Video) -> str:
    return f"/videos/embed/{video.uuid}"


# -- the builders -----------------------------------------------------------------------------------

def _base_fields(config: Config, video: Video, related: VideoRelated) -> dict:
    base_url, host = config.url, config.host
    miniature = _image_of(video, ThumbnailType.MINIATURE)
    preview = _image_of(video, ThumbnailType.PREVIEW)
    miniature_path = thumbnail_path(miniature) if miniature else None
    preview_path = thumbnail_path(preview) if preview else None
    thumbnails = sorted(video.thumbnails, key=lambda thumb: thumb.width)
    channel = video.channel
    schedule = related.schedule
    truncated = truncate_description(video.description)
    return dict(
        id=video.id, uuid=video.uuid, shortUUID=short_uuid(video.uuid), url=video.url, name=video.name,
        category=category_label(video.category), licence=licence_label(video.licence),
        language=language_label(video.language), privacy=privacy_label(video.privacy),
        nsfw=video.nsfw, nsfwFlags=video.nsfw_flags, nsfwSummary=video.nsfw_summary,
        # PeerTube gives the complete description to details only (`completeDescription`)
        description=truncated, truncatedDescription=truncated,
        isLocal=not video.remote, isLive=video.is_live, duration=video.duration, aspectRatio=video.aspect_ratio,
        views=video.views, viewers=related.viewers, downloads=video.downloads, likes=video.likes,
        dislikes=video.dislikes, comments=video.comments,
        thumbnailPath=miniature_path, thumbnailUrl=base_url + miniature_path if miniature_path else None,
        previewPath=preview_path, previewUrl=base_url + preview_path if preview_path else None,
        thumbnails=[ThumbnailJson(height=thumb.height, width=thumb.width,
                                  aspectRatio=aspect_ratio_name(thumb.width, thumb.height),
                                  fileUrl=base_url + thumbnail_path(thumb)) for thumb in thumbnails],
        embedPath=embed_path(video), embedUrl=base_url + embed_path(video),
        createdAt=video.created_at, updatedAt=video.updated_at, publishedAt=video.published_at,
        originallyPublishedAt=video.originally_published_at,
        account=account_summary_json(channel.account, base_url, host),
        channel=channel_summary_json(channel, base_url, host),
        userHistory=UserHistory(currentTime=related.history_time) if related.history_time is not None else None,
        waitTranscoding=video.wait_transcoding, state=state_label(video.state),
        scheduledUpdate=ScheduledUpdate(updateAt=schedule.update_at, privacy=schedule.privacy) if schedule else None,
        # no blocklists yet: nothing is blacklisted or blocked
        blacklisted=False, blacklistedReason=None, blockedOwner=False, blockedServer=False,
    )


def channel_summary_json(channel, base_url: str, local_host: str) -> VideoChannelSummary:
    actor = channel.actor
    return VideoChannelSummary(id=channel.id, name=actor.preferred_username, displayName=channel.name,
                               url=actor.url, host=actor.server.host if actor.server else local_host,
                               avatars=actor_images(actor, ActorImageType.AVATAR, base_url))


def video_json(config: Config, video: Video, related: VideoRelated | None = None) -> VideoJson:
    """A list item. Files, playlists, tags and source appear when `related` carries them."""
    related = related or VideoRelated()
    fields = _base_fields(config, video, related)
    if related.web_files is not None or related.playlists is not None:
        fields["files"] = web_video_files_json(config, video, related.web_files or [])
        fields["streamingPlaylists"] = streaming_playlists_json(config, video, related.playlists or [], related.redundancy_urls)
    if related.tags is not None:
        fields["tags"] = related.tags
    if related.source is not None:
        fields["videoSource"] = video_source_details(config, related.source)
    return VideoJson(**fields)


def video_details_json(config: Config, video: Video, related: VideoRelated) -> VideoDetailsJson:
    """One video, with tags, files and playlists (`related` must carry them)."""
    fields = _base_fields(config, video, related)
    channel = video.channel
    fields.update(
        description=video.description, support=video.support,
        channel=channel_json(channel, config.url, config.host, owner=channel.account),
        account=account_json(channel.account, config.url, config.host),
        tags=related.tags or [],
        commentsEnabled=video.comments_policy != CommentsPolicy.DISABLED, commentsPolicy=comments_policy_label(video.comments_policy),
        downloadEnabled=video.download_enabled, trackerUrls=torrents.tracker_urls(config),
        files=web_video_files_json(config, video, related.web_files or []),
        streamingPlaylists=streaming_playlists_json(config, video, related.playlists or [], related.redundancy_urls),
        inputFileUpdatedAt=video.input_file_updated_at,
        embedPrivacyPolicy=IntLabel(**EMBED_PRIVACY_ALL_ALLOWED),
    )
    if related.source is not None:
        fields["videoSource"] = video_source_details(config, related.source)
    return VideoDetailsJson(**fields)


class VideoList(ApiModel):
    """`{total, data}`; `total` is left out when the client asked to skip counting (`skipCount`)."""
    total: int | None = None
    data: list[VideoJson]

    @model_serializer(mode="wrap")
    def _omit_skipped_total(self, handler):
        data = handler(self)
        if data.get("total", 0) is None:
            del data["total"]
        return data


class VideoDescription(ApiModel):
    # The 7.0 spec documents a bare string; PeerTube answers `{description}` and its clients read that.
    description: str | None


class StoryboardJson(ApiModel):
    storyboardPath: str
    fileUrl: str
    totalHeight: int
    totalWidth: int
    spriteHeight: int
    spriteWidth: int
    spriteDuration: int


class Storyboards(ApiModel):
    storyboards: list[StoryboardJson]


def storyboard_json(config: Config, storyboard) -> StoryboardJson:
    path = layout.storyboard_url_path(storyboard.filename)
    return StoryboardJson(
        # a remote video's storyboard plays from its origin
        storyboardPath=path, fileUrl=storyboard.file_url or config.url + path, totalHeight=storyboard.total_height,
        totalWidth=storyboard.total_width, spriteHeight=storyboard.sprite_height,
        spriteWidth=storyboard.sprite_width, spriteDuration=storyboard.sprite_duration)
