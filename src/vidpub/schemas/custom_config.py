"""`CustomConfig`: what an administrator edits through `GET|PUT /api/v1/config/custom`.

The JSON is the union of PeerTube 8's `CustomConfig` interface and the 7.0 spec's
`ServerConfigCustom` (older spellings such as `transcoding.web_videos` are answered beside the new
ones and accepted on input when the new one is absent).

Every JSON field maps to the PeerTube configuration key of the same name in snake_case
(`instance.shortDescription` → `instance.short_description`): the service walks these classes to
convert both ways, so a field added here is editable with nothing else to write. Markers in the
annotations say how a value is converted: `Duration` (milliseconds in JSON) and `Size` (bytes).

On input every field is optional: what a PUT leaves out keeps its current value.
Types are strict (no "true" for true, no "1" for 1) and null is refused except where PeerTube allows it.
"""
from __future__ import annotations

from typing import Annotated, Literal

from pydantic import EmailStr, Field

from vidpub.schemas.custom_config_types import (
    Bytes,
    Count,
    CustomEnabled,
    CustomEnabledWithRunners,
    CustomModel,
    Int,
    LegacyNameOf,
    Limit,
    Millis,
    NonEmpty,
    Positive,
)

# -- instance ----------------------------------------------------------------------------------------

class CustomSupport(CustomModel):
    text: str = None


class CustomSocial(CustomModel):
    externalLink: str = None
    mastodonLink: str = None
    blueskyLink: str = None
    xLink: str = None


class CustomCustomizations(CustomModel):
    javascript: str = None
    css: str = None


class CustomInstance(CustomModel):
    name: NonEmpty = None
    shortDescription: str = None
    description: str = None
    terms: str = None
    codeOfConduct: str = None
    creationReason: str = None
    moderationInformation: str = None
    administrator: str = None
    maintenanceLifetime: str = None
    businessModel: str = None
    hardwareInformation: str = None
    defaultLanguage: str = None
    languages: list[str] = None
    categories: list[Int] = None
    isNSFW: bool = None
    defaultNSFWPolicy: Literal["do_not_list", "warn", "blur", "display"] = None
    serverCountry: str = None
    support: CustomSupport = None
    social: CustomSocial = None
    defaultClientRoute: str = None
    customizations: CustomCustomizations = None


# -- look and feel -----------------------------------------------------------------------------------

class CustomThemeCustomization(CustomModel):
    primaryColor: str = None
    onPrimaryColor: str = None
    foregroundColor: str = None
    backgroundColor: str = None
    backgroundSecondaryColor: str = None
    menuForegroundColor: str = None
    menuBackgroundColor: str = None
    menuBorderRadius: str = None
    headerForegroundColor: str = None
    headerBackgroundColor: str = None
    inputBorderRadius: str = None


class CustomTheme(CustomModel):
    default: str = None
    customization: CustomThemeCustomization = None


class CustomTwitter(CustomModel):
    username: str = None


class CustomServices(CustomModel):
    twitter: CustomTwitter = None


class CustomClientHeader(CustomModel):
    hideInstanceName: bool = None


class CustomMiniature(CustomModel):
    preferAuthorDisplayName: bool = None


class CustomClientVideos(CustomModel):
    miniature: CustomMiniature = None


class CustomBrowseVideos(CustomModel):
    defaultSort: str = None
    defaultScope: Literal["local", "federated"] = None


class CustomMenuLogin(CustomModel):
    redirectOnSingleExternalAuth: bool = None


class CustomMenu(CustomModel):
    login: CustomMenuLogin = None


class CustomClient(CustomModel):
    header: CustomClientHeader = None
    videos: CustomClientVideos = None
    browseVideos: CustomBrowseVideos = None
    menu: CustomMenu = None


class CustomCacheSize(CustomModel):
    size: Count = None


class CustomCache(CustomModel):
    """7.0 only (PeerTube 8 dropped these from the admin form); still editable."""
    previews: CustomCacheSize = None
    captions: CustomCacheSize = None
    torrents: CustomCacheSize = None
    storyboards: CustomCacheSize = None


# -- accounts ----------------------------------------------------------------------------------------

class CustomSignup(CustomModel):
    enabled: bool = None
    limit: Limit = None
    requiresApproval: bool = None
    requiresEmailVerification: bool = None
    minimumAge: Positive = None


class CustomAdmin(CustomModel):
    email: EmailStr = None


class CustomEmailBody(CustomModel):
    signature: str = None


class CustomEmailSubject(CustomModel):
    prefix: str = None


class CustomEmail(CustomModel):
    body: CustomEmailBody = None
    subject: CustomEmailSubject = None


class CustomHistoryVideos(CustomModel):
    videos: CustomEnabled = None


class CustomUser(CustomModel):
    history: CustomHistoryVideos = None
    videoQuota: Bytes = None
    videoQuotaDaily: Bytes = None
    defaultChannelName: NonEmpty = None


class CustomVideoChannels(CustomModel):
    maxPerUser: Positive = None


# -- media -------------------------------------------------------------------------------------------

class CustomResolutions(CustomModel):
    p0: bool = Field(default=None, alias="0p")
    p144: bool = Field(default=None, alias="144p")
    p240: bool = Field(default=None, alias="240p")
    p360: bool = Field(default=None, alias="360p")
    p480: bool = Field(default=None, alias="480p")
    p720: bool = Field(default=None, alias="720p")
    p1080: bool = Field(default=None, alias="1080p")
    p1440: bool = Field(default=None, alias="1440p")
    p2160: bool = Field(default=None, alias="2160p")


class CustomOriginalFile(CustomModel):
    keep: bool = None


class CustomFps(CustomModel):
    max: Positive = None


class CustomHls(CustomModel):
    enabled: bool = None
    splitAudioAndVideo: bool = None


class CustomTranscoding(CustomModel):
    enabled: bool = None
    originalFile: CustomOriginalFile = None
    allowAdditionalExtensions: bool = None
    allowAudioFiles: bool = None
    remoteRunners: CustomEnabled = None
    threads: Count = None
    concurrency: Positive = None
    profile: Literal["default"] = None
    resolutions: CustomResolutions = None
    alwaysTranscodeOriginalResolution: bool = None
    alwaysTranscodePodcastOptimizedAudio: bool = None
    fps: CustomFps = None
    webVideos: CustomEnabled = None
    web_videos: Annotated[CustomEnabled, LegacyNameOf("webVideos")] = None
    hls: CustomHls = None


class CustomLiveTranscoding(CustomModel):
    enabled: bool = None
    remoteRunners: CustomEnabled = None
    threads: Count = None
    profile: Literal["default"] = None
    resolutions: CustomResolutions = None
    alwaysTranscodeOriginalResolution: bool = None
    fps: CustomFps = None


class CustomDvr(CustomModel):
    maxWindow: Millis = None


class CustomLive(CustomModel):
    enabled: bool = None
    allowReplay: bool = None
    latencySetting: CustomEnabled = None
    maxDuration: Millis = None
    maxInstanceLives: Limit = None
    maxUserLives: Limit = None
    transcoding: CustomLiveTranscoding = None
    dvr: CustomDvr = None


class CustomVideoFile(CustomModel):
    update: CustomEnabled = None


class CustomVideoImports(CustomModel):
    concurrency: Count = None
    http: CustomEnabled = None
    torrent: CustomEnabled = None


class CustomChannelSync(CustomModel):
    enabled: bool = None
    maxPerUser: Count = None


class CustomImport(CustomModel):
    videos: CustomVideoImports = None
    videoChannelSynchronization: CustomChannelSync = None
    video_channel_synchronization: Annotated[
        CustomChannelSync, LegacyNameOf("videoChannelSynchronization")] = None
    users: CustomEnabled = None


class CustomUserExport(CustomModel):
    enabled: bool = None
    maxUserVideoQuota: Bytes = None
    exportExpiration: Millis = None


class CustomExport(CustomModel):
    users: CustomUserExport = None


class CustomTrendingAlgorithms(CustomModel):
    enabled: list[Literal["hot", "most-viewed", "most-liked"]] = None
    default: Literal["hot", "most-viewed", "most-liked"] = None


class CustomTrendingVideos(CustomModel):
    algorithms: CustomTrendingAlgorithms = None


class CustomTrending(CustomModel):
    videos: CustomTrendingVideos = None


class CustomOfUsers(CustomModel):
    ofUsers: CustomEnabled = None


class CustomAutoBlacklistVideos(CustomModel):
    videos: CustomOfUsers = None


# -- federation, search, defaults --------------------------------------------------------------------

class CustomInstanceFollowers(CustomModel):
    enabled: bool = None
    manualApproval: bool = None


class CustomFollowers(CustomModel):
    instance: CustomInstanceFollowers = None
    channels: CustomEnabled = None


class CustomAutoFollowIndex(CustomModel):
    enabled: bool = None
    indexUrl: str = None


class CustomInstanceFollowings(CustomModel):
    autoFollowBack: CustomEnabled = None
    autoFollowIndex: CustomAutoFollowIndex = None


class CustomFollowings(CustomModel):
    instance: CustomInstanceFollowings = None


class CustomBroadcastMessage(CustomModel):
    enabled: bool = None
    message: str = None
    level: Literal["info", "warning", "error"] = None
    dismissable: bool = None


class CustomRemoteUri(CustomModel):
    users: bool = None
    anonymous: bool = None


class CustomSearchIndex(CustomModel):
    enabled: bool = None
    url: str = None
    disableLocalSearch: bool = None
    isDefaultSearch: bool = None


class CustomSearch(CustomModel):
    remoteUri: CustomRemoteUri = None
    searchIndex: CustomSearchIndex = None


class CustomPublishDefaults(CustomModel):
    downloadEnabled: bool = None
    commentsPolicy: Literal[1, 2, 3] = None
    privacy: Literal[1, 2, 3, 4] = None
    licence: Int | None = None


class CustomLiveDefaults(CustomModel):
    saveReplay: bool = None


class CustomP2PDefaults(CustomModel):
    webapp: CustomEnabled = None
    embed: CustomEnabled = None


class CustomPlayerDefaults(CustomModel):
    theme: Literal["galaxy", "lucide"] = None
    autoPlay: bool = None


class CustomDefaults(CustomModel):
    publish: CustomPublishDefaults = None
    live: CustomLiveDefaults = None
    p2p: CustomP2PDefaults = None
    player: CustomPlayerDefaults = None


class CustomVideoComments(CustomModel):
    acceptRemoteComments: bool = None


class CustomConfig(CustomModel):
    instance: CustomInstance = None
    theme: CustomTheme = None
    services: CustomServices = None
    client: CustomClient = None
    cache: CustomCache = None
    signup: CustomSignup = None
    admin: CustomAdmin = None
    email: CustomEmail = None
    contactForm: CustomEnabled = None
    user: CustomUser = None
    videoChannels: CustomVideoChannels = None
    transcoding: CustomTranscoding = None
    live: CustomLive = None
    videoStudio: CustomEnabledWithRunners = None
    videoTranscription: CustomEnabledWithRunners = None
    videoFile: CustomVideoFile = None
    import_: CustomImport = Field(default=None, alias="import")
    export: CustomExport = None
    trending: CustomTrending = None
    autoBlacklist: CustomAutoBlacklistVideos = None
    followers: CustomFollowers = None
    followings: CustomFollowings = None
    broadcastMessage: CustomBroadcastMessage = None
    search: CustomSearch = None
    storyboards: CustomEnabledWithRunners = None
    defaults: CustomDefaults = None
    videoComments: CustomVideoComments = None
