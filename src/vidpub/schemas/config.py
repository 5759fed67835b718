"""Config tag: the public instance configuration (`ServerConfig`) and the About page.

Shapes are the union of the 7.0 REST spec and PeerTube 8's `ServerConfig`/`About` interfaces:
clients of either generation find every field they read.
"""

from __future__ import annotations

from vidpub.schemas.actors import ActorImage
from vidpub.schemas.common import ApiModel
from vidpub.schemas.config_media import (
    AutoBlacklistVideos,
    AvatarConstraints,
    CaptionConstraints,
    ChannelLimits,
    Enabled,
    EnabledWithRunners,
    ExportSettings,
    ImageConstraints,
    ImportSettings,
    LiveSettings,
    TranscodingSettings,
    TrendingSettings,
    UserQuotas,
    VideoConstraints,
    VideoFileUpdate,
    ViewsSettings,
)

# -- client ------------------------------------------------------------------------------------------

class AppLink(ApiModel):
    enabled: bool
    host: str
    scheme: str
    fallbackUrl: str


class AndroidAppLink(ApiModel):
    intent: AppLink


class OpenInApp(ApiModel):
    android: AndroidAppLink
    ios: AppLink


class ClientHeader(ApiModel):
    hideInstanceName: bool


class Miniature(ApiModel):
    preferAuthorDisplayName: bool


class ResumableUpload(ApiModel):
    maxChunkSize: int | None


class ClientVideos(ApiModel):
    miniature: Miniature
    resumableUpload: ResumableUpload


class BrowseVideos(ApiModel):
    defaultSort: str
    defaultScope: str


class MenuLogin(ApiModel):
    redirectOnSingleExternalAuth: bool


class ClientMenu(ApiModel):
    login: MenuLogin


class ClientSettings(ApiModel):
    newFeaturesInfo: bool
    header: ClientHeader
    videos: ClientVideos
    browseVideos: BrowseVideos
    menu: ClientMenu
    openInApp: OpenInApp


# -- defaults ----------------------------------------------------------------------------------------

class PublishDefaults(ApiModel):
    downloadEnabled: bool
    commentsPolicy: int
    privacy: int
    licence: int | None


class LiveDefaults(ApiModel):
    saveReplay: bool


class P2PDefaults(ApiModel):
    webapp: Enabled
    embed: Enabled


class PlayerDefaults(ApiModel):
    theme: str
    autoPlay: bool


class PublicationDefaults(ApiModel):
    publish: PublishDefaults
    live: LiveDefaults
    p2p: P2PDefaults
    player: PlayerDefaults


class WebadminEdition(ApiModel):
    allowed: bool


class WebadminConfiguration(ApiModel):
    edition: WebadminEdition


class Webadmin(ApiModel):
    configuration: WebadminConfiguration


# -- instance ----------------------------------------------------------------------------------------

class Customizations(ApiModel):
    javascript: str
    css: str


class SupportText(ApiModel):
    text: str


class SocialLinks(ApiModel):
    externalLink: str
    mastodonLink: str
    blueskyLink: str
    xLink: str


class InstanceLogo(ApiModel):
    type: str
    width: int
    height: int
    fileUrl: str
    isFallback: bool


class PublicInstance(ApiModel):
    name: str
    shortDescription: str
    isNSFW: bool
    defaultNSFWPolicy: str
    serverCountry: str
    support: SupportText
    social: SocialLinks
    defaultClientRoute: str
    customizations: Customizations
    avatars: list[ActorImage]
    banners: list[ActorImage]
    defaultLanguage: str
    logo: list[InstanceLogo]


# -- search, plugins, themes -------------------------------------------------------------------------

class RemoteUriSearch(ApiModel):
    users: bool
    anonymous: bool


class SearchIndex(ApiModel):
    enabled: bool
    url: str
    disableLocalSearch: bool
    isDefaultSearch: bool


class SearchSettings(ApiModel):
    remoteUri: RemoteUriSearch
    searchIndex: SearchIndex


class PluginSettings(ApiModel):
    # PeerTube 8 lists plugin objects; the 7.0 spec says names. Vidpub has no plugins: always empty.
    registered: list[dict]
    registeredExternalAuths: list[dict]
    registeredIdAndPassAuths: list[dict]


class BuiltInTheme(ApiModel):
    name: str


class ThemeCustomization(ApiModel):
    primaryColor: str
    onPrimaryColor: str
    foregroundColor: str
    backgroundColor: str
    backgroundSecondaryColor: str
    menuForegroundColor: str
    menuBackgroundColor: str
    menuBorderRadius: str
    headerForegroundColor: str
    headerBackgroundColor: str
    inputBorderRadius: str


class ThemeSettings(ApiModel):
    registered: list[dict]
    builtIn: list[BuiltInTheme]
    default: str
    customization: ThemeCustomization


class SignupSettings(ApiModel):
    allowed: bool
    allowedForCurrentIP: bool
    requiresEmailVerification: bool
    requiresApproval: bool
    minimumAge: int


class AutoFollowIndexUrl(ApiModel):
    indexUrl: str


class InstanceFollowings(ApiModel):
    autoFollowIndex: AutoFollowIndexUrl


class FollowingsSettings(ApiModel):
    instance: InstanceFollowings


class BroadcastMessage(ApiModel):
    enabled: bool
    message: str
    level: str
    dismissable: bool


class Metrics(ApiModel):
    enabled: bool
    playbackStatsInterval: int


class OpenTelemetry(ApiModel):
    metrics: Metrics


class Webrtc(ApiModel):
    stunServers: list[str]


class PasswordConstraints(ApiModel):
    minLength: int
    maxLength: int


class UserFieldConstraints(ApiModel):
    password: PasswordConstraints


class FieldsConstraints(ApiModel):
    users: UserFieldConstraints


class ServerConfig(ApiModel):
    serverVersion: str
    serverCommit: str | None
    client: ClientSettings
    defaults: PublicationDefaults
    webadmin: Webadmin
    instance: PublicInstance
    search: SearchSettings
    plugin: PluginSettings
    theme: ThemeSettings
    email: Enabled
    contactForm: Enabled
    signup: SignupSettings
    transcoding: TranscodingSettings
    live: LiveSettings
    videoStudio: EnabledWithRunners
    videoFile: VideoFileUpdate
    import_: ImportSettings
    export: ExportSettings
    autoBlacklist: AutoBlacklistVideos
    avatar: AvatarConstraints
    banner: ImageConstraints
    logo: ImageConstraints
    video: VideoConstraints
    videoCaption: CaptionConstraints
    user: UserQuotas
    videoChannels: ChannelLimits
    trending: TrendingSettings
    tracker: Enabled
    followings: FollowingsSettings
    federation: Enabled
    broadcastMessage: BroadcastMessage
    homepage: Enabled
    openTelemetry: OpenTelemetry
    views: ViewsSettings
    storyboards: EnabledWithRunners
    videoTranscription: EnabledWithRunners
    webrtc: Webrtc
    nsfwFlagsSettings: Enabled
    fieldsConstraints: FieldsConstraints

    model_config = ApiModel.model_config | {"alias_generator": lambda name: name.rstrip("_")}


# -- about -------------------------------------------------------------------------------------------

class AboutInstance(ApiModel):
    name: str
    shortDescription: str
    description: str
    terms: str
    codeOfConduct: str
    hardwareInformation: str
    creationReason: str
    moderationInformation: str
    administrator: str
    maintenanceLifetime: str
    businessModel: str
    languages: list[str]
    categories: list[int]
    avatars: list[ActorImage]
    banners: list[ActorImage]


class About(ApiModel):
    instance: AboutInstance


class ActorImages(ApiModel):
    """What `POST /users/me/avatar/pick` (and the channel equivalents) answer."""
    avatars: list[ActorImage]
