"""Sections of `ServerConfig` about media: transcoding, live, imports and exports, the file
constraints of uploads, trending and views; plus the small shapes every section reuses."""

from __future__ import annotations

from vidpub.schemas.common import ApiModel


class Enabled(ApiModel):
    enabled: bool


class EnabledWithRunners(ApiModel):
    enabled: bool
    remoteRunners: Enabled


class SizeMax(ApiModel):
    max: int


class FileConstraints(ApiModel):
    size: SizeMax
    extensions: list[str]


class Extensions(ApiModel):
    extensions: list[str]


# -- media -------------------------------------------------------------------------------------------

class TranscodingSettings(ApiModel):
    hls: Enabled
    web_videos: Enabled
    enabledResolutions: list[int]
    profile: str
    availableProfiles: list[str]
    remoteRunners: Enabled


class MaxWindow(ApiModel):
    maxWindow: int


class RtmpSettings(ApiModel):
    port: int


class LiveTranscodingSettings(ApiModel):
    enabled: bool
    remoteRunners: Enabled
    enabledResolutions: list[int]
    profile: str
    availableProfiles: list[str]


class LiveSettings(ApiModel):
    enabled: bool
    allowReplay: bool
    dvr: MaxWindow
    latencySetting: Enabled
    maxDuration: int
    maxInstanceLives: int
    maxUserLives: int
    transcoding: LiveTranscodingSettings
    rtmp: RtmpSettings


class VideoFileUpdate(ApiModel):
    update: Enabled


class HttpAndTorrentImports(ApiModel):
    http: Enabled
    torrent: Enabled


class ImportSettings(ApiModel):
    videos: HttpAndTorrentImports
    videoChannelSynchronization: Enabled
    users: Enabled


class UserExportSettings(ApiModel):
    enabled: bool
    exportExpiration: int
    maxUserVideoQuota: int


class ExportSettings(ApiModel):
    users: UserExportSettings


class OfUsers(ApiModel):
    ofUsers: Enabled


class AutoBlacklistVideos(ApiModel):
    videos: OfUsers


class AvatarConstraints(ApiModel):
    file: FileConstraints
    # the 7.0 spec documents `extensions` beside `file`; PeerTube 8 has them inside: both are sent
    extensions: list[str]


class ImageConstraints(ApiModel):
    file: FileConstraints


class VideoConstraints(ApiModel):
    image: FileConstraints
    file: Extensions


class CaptionConstraints(ApiModel):
    file: FileConstraints


class UserQuotas(ApiModel):
    videoQuota: int
    videoQuotaDaily: int


class ChannelLimits(ApiModel):
    maxPerUser: int


class TrendingAlgorithms(ApiModel):
    enabled: list[str]
    default: str


class TrendingVideos(ApiModel):
    intervalDays: int
    algorithms: TrendingAlgorithms


class TrendingSettings(ApiModel):
    videos: TrendingVideos


# -- views -------------------------------------------------------------------------------------------

class MaxAge(ApiModel):
    maxAge: int


class WatchingInterval(ApiModel):
    anonymous: int
    users: int


class VideoViews(ApiModel):
    remote: MaxAge
    local: MaxAge
    watchingInterval: WatchingInterval


class LegacyViews(ApiModel):
    watchingInterval: WatchingInterval


class ViewsSettings(ApiModel):
    videos: VideoViews
    # the 7.0 spec nests the interval under `views.views` (a documentation slip that its
    # conformance check still asks for); PeerTube itself answers `views.videos`
    views: LegacyViews
