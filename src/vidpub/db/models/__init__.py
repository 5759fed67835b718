"""All ORM models; importing this package registers every table on `Base.metadata`."""

from vidpub.db.models.abuses import Abuse, AbuseFlaggedType, AbuseMessage, AbuseState
from vidpub.db.models.accounts import Account, VideoChannel
from vidpub.db.models.actors import Actor, ActorImage, ActorImageType, ActorType, Server
from vidpub.db.models.application import Application
from vidpub.db.models.channel_syncs import VideoChannelSync, VideoChannelSyncState
from vidpub.db.models.blocklists import AccountBlocklist, ServerBlocklist
from vidpub.db.models.comments import VideoComment, VideoCommentMention
from vidpub.db.models.follows import ActorFollow, FollowState
from vidpub.db.models.jobs import Job, JobState
from vidpub.db.models.notifications import UserNotification, UserNotificationType
from vidpub.db.models.oauth import OAuthClient, OAuthToken
from vidpub.db.models.pages import ActorCustomPage, CustomPageType
from vidpub.db.models.playlists import VideoPlaylist, VideoPlaylistElement, VideoPlaylistPrivacy, VideoPlaylistType
from vidpub.db.models.redundancy import VideoRedundancy
from vidpub.db.models.registrations import RegistrationState, UserRegistration
from vidpub.db.models.imports import VideoImport, VideoImportState
from vidpub.db.models.interactions import AccountVideoRate, UserVideoHistory, VideoRemoteViewer, VideoView, VideoViewer
from vidpub.db.models.uploads import UploadSession
from vidpub.db.models.users import NotificationSettingValue, User, UserNotificationSetting
from vidpub.db.models.video_extras import ScheduleVideoUpdate, Storyboard, VideoCaption, VideoChapter, VideoPassword
from vidpub.db.models.video_files import (FileFormat, FileStorage, FileStream, StreamingPlaylistType, VideoFile,
                                          VideoSource, VideoStreamingPlaylist)
from vidpub.db.models.video_shares import VideoShare
from vidpub.db.models.server_stats import ActivityPubInboxStat
from vidpub.db.models.video_stats import LocalVideoViewer, LocalVideoViewerWatchSection, VideoDownloadStat
from vidpub.db.models.videos import (CommentsPolicy, Tag, Thumbnail, ThumbnailType, Video, VideoPrivacy, VideoState,
                                     video_tag)

__all__ = [
    "Abuse", "AbuseFlaggedType", "ActivityPubInboxStat", "AbuseMessage", "AbuseState", "Account", "AccountBlocklist", "AccountVideoRate", "Actor", "ActorCustomPage", "ActorFollow",
    "ActorImage", "ActorImageType", "ActorType", "Application", "CommentsPolicy", "CustomPageType",
    "FileFormat", "FileStorage", "FileStream", "FollowState", "Job", "JobState", "LocalVideoViewer",
    "LocalVideoViewerWatchSection", "NotificationSettingValue", "OAuthClient", "OAuthToken",
    "RegistrationState", "ScheduleVideoUpdate", "Server", "ServerBlocklist", "Storyboard",
    "StreamingPlaylistType", "Tag", "Thumbnail", "ThumbnailType", "UploadSession", "User",
    "UserNotification", "UserNotificationSetting", "UserNotificationType", "UserRegistration",
    "UserVideoHistory", "Video", "video_tag", "VideoCaption", "VideoChannel", "VideoChannelSync",
    "VideoChannelSyncState", "VideoChapter", "VideoComment", "VideoCommentMention", "VideoDownloadStat",
    "VideoFile", "VideoImport", "VideoImportState", "VideoPassword", "VideoPlaylist", "VideoPlaylistElement",
    "VideoPlaylistPrivacy", "VideoPlaylistType", "VideoPrivacy", "VideoRedundancy", "VideoShare", "VideoSource", "VideoState",
    "VideoRemoteViewer", "VideoStreamingPlaylist", "VideoView", "VideoViewer",
]
