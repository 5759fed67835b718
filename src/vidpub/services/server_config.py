"""The public instance configuration (`GET /api/v1/config`) and the About page.

`/api/v1/config` is fetched by every page load of every client, so its body is built once per
effective configuration (a new `runtime.config` object appears whenever an admin edit lands in this
process or another one) and kept serialised. Only the signup verdicts depend on the request (the
user count and the caller's IP, see `registrations.signup_allowed`): the four variants are cached
as bytes too.
"""

from __future__ import annotations

import json
import logging
import weakref
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub import PEERTUBE_COMPATIBLE_VERSION
from vidpub.config import Config
from vidpub.db.models import ActorImageType
from vidpub.runtime import Runtime
from vidpub.schemas.actors import actor_images
from vidpub.schemas.config import About, ServerConfig
from vidpub.services import images, registrations
from vidpub.services.custom_config import BUILT_IN_THEMES, duration_ms, size_bytes
from vidpub.services.homepage import homepage_enabled
from vidpub.services.installer import server_actor
from vidpub.services.mail import smtp_enabled

log = logging.getLogger("vidpub.server_config")

PASSWORD_MAX_LENGTH = 50
TRANSCODING_PROFILES = ["default"]
RESOLUTION_KEYS = ("0p", "144p", "240p", "360p", "480p", "720p", "1080p", "1440p", "2160p")

VIDEO_IMAGE_EXTENSIONS = [".png", ".jpg", ".jpeg", ".webp"]
VIDEO_IMAGE_MAX_BYTES = 8 * 1024 * 1024
CAPTION_EXTENSIONS = [".vtt", ".srt"]
CAPTION_MAX_BYTES = 20 * 1024 * 1024
_VIDEO_EXTENSIONS = [".mp4", ".ogv", ".webm"]
_ADDITIONAL_VIDEO_EXTENSIONS = [
    ".ogg", ".mkv", ".mov", ".qt", ".mqv", ".m4v", ".flv", ".f4v", ".wmv", ".avi", ".3gp", ".3gpp", ".3g2",
    ".3gpp2", ".nut", ".mts", ".ts", ".m2ts", ".mpv", ".m2v", ".m1v", ".mpg", ".mpe", ".mpeg", ".vob", ".mxf"]
_AUDIO_EXTENSIONS = [".mp3", ".ogg", ".wma", ".wav", ".flac", ".aac", ".m4a", ".ac3"]


def video_file_extensions(config: Config) -> list[str]:
    """The upload allow-list: more containers only when transcoding can turn them into web formats."""
    out = list(_VIDEO_EXTENSIONS)
    if config.transcoding.enabled and config.transcoding.allow_additional_extensions:
        out += _ADDITIONAL_VIDEO_EXTENSIONS
    if config.transcoding.enabled and config.transcoding.allow_audio_files:
        out += _AUDIO_EXTENSIONS
    return list(dict.fromkeys(out))


def enabled_resolutions(config: Config, section: str = "transcoding") -> list[int]:
    transcoding = config.get_path(section)
    if not transcoding.enabled:
        return []
    return [int(key[:-1]) for key in RESOLUTION_KEYS if transcoding.resolutions.get(key)]


# -- builders --------------------------------------------------------------------------------------

def _image_constraints(extensions: list[str], max_bytes: int) -> dict:
    return {"size": {"max": max_bytes}, "extensions": list(extensions)}


def _enabled(value) -> dict:
    return {"enabled": bool(value)}


def _runners(section) -> dict:
    return {"enabled": bool(section.enabled), "remoteRunners": _enabled(section.remote_runners.enabled)}


def _app_link(section) -> dict:
    return {"enabled": bool(section.enabled), "host": section.host, "scheme": section.scheme,
            "fallbackUrl": section.fallback_url}


def _client(client) -> dict:
    max_chunk = client.videos.resumable_upload.max_chunk_size
    miniature = client.videos.miniature
    return {
        "newFeaturesInfo": bool(client.new_features_info),
        "header": {"hideInstanceName": bool(client.header.hide_instance_name)},
        "videos": {
            "miniature": {"preferAuthorDisplayName": bool(miniature.prefer_author_display_name)},
            "resumableUpload": {"maxChunkSize": size_bytes(max_chunk) if max_chunk is not None else None},
        },
        "browseVideos": {"defaultSort": client.browse_videos.default_sort,
                         "defaultScope": client.browse_videos.default_scope},
        "menu": {"login": {
            "redirectOnSingleExternalAuth": bool(client.menu.login.redirect_on_single_external_auth)}},
        "openInApp": {"android": {"intent": _app_link(client.open_in_app.android.intent)},
                      "ios": _app_link(client.open_in_app.ios)},
    }


def _publication_defaults(defaults) -> dict:
    publish = defaults.publish
    return {
        "publish": {"downloadEnabled": bool(publish.download_enabled),
                    "commentsPolicy": int(publish.comments_policy), "privacy": int(publish.privacy),
                    "licence": publish.licence},
        "live": {"saveReplay": bool(defaults.live.save_replay)},
        "p2p": {"webapp": _enabled(defaults.p2p.webapp.enabled),
                "embed": _enabled(defaults.p2p.embed.enabled)},
        "player": {"theme": defaults.player.theme, "autoPlay": bool(defaults.player.auto_play)},
    }


def _instance(instance, avatars: list[dict], banners: list[dict]) -> dict:
    social = instance.social
    return {
        "name": instance.name, "shortDescription": instance.short_description,
        "isNSFW": bool(instance.is_nsfw), "defaultNSFWPolicy": instance.default_nsfw_policy,
        "serverCountry": instance.server_country, "support": {"text": instance.support.text},
        "social": {"externalLink": social.external_link, "mastodonLink": social.mastodon_link,
                   "blueskyLink": social.bluesky_link, "xLink": social.x_link},
        "defaultClientRoute": instance.default_client_route,
        "customizations": {"javascript": instance.customizations.javascript,
                           "css": instance.customizations.css},
        "avatars": avatars, "banners": banners, "defaultLanguage": instance.default_language,
        "logo": [],
    }


def _search(search) -> dict:
    index = search.search_index
    return {
        "remoteUri": {"users": bool(search.remote_uri.users), "anonymous": bool(search.remote_uri.anonymous)},
        "searchIndex": {"enabled": bool(index.enabled), "url": index.url,
                        "disableLocalSearch": bool(index.disable_local_search),
                        "isDefaultSearch": bool(index.is_default_search)},
    }


_THEME_COLOURS = ("primary_color", "on_primary_color", "foreground_color", "background_color",
                  "background_secondary_color", "menu_foreground_color", "menu_background_color",
                  "menu_border_radius", "header_foreground_color", "header_background_color",
                  "input_border_radius")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def _theme(theme) -> dict:
    return {"registered": [], "builtIn": [{"name": name} for name in BUILT_IN_THEMES],
            "default": theme.default,
            "customization": {_camel(key): theme.customization[key] or "" for key in _THEME_COLOURS}}


def _signup(signup) -> dict:
    return {"allowed": False, "allowedForCurrentIP": False,
            "requiresEmailVerification": bool(signup.requires_email_verification),
            "requiresApproval": bool(signup.requires_approval), "minimumAge": int(signup.minimum_age)}


def _transcoding(config: Config) -> dict:
    transcoding = config.transcoding
    return {"hls": _enabled(transcoding.hls.enabled), "web_videos": _enabled(transcoding.web_videos.enabled),
            "enabledResolutions": enabled_resolutions(config), "profile": transcoding.profile,
            "availableProfiles": TRANSCODING_PROFILES,
            "remoteRunners": _enabled(transcoding.remote_runners.enabled)}


def _live(config: Config) -> dict:
    live = config.live
    return {
        "enabled": bool(live.enabled), "allowReplay": bool(live.allow_replay),
        "dvr": {"maxWindow": duration_ms(live.dvr.max_window)},
        "latencySetting": _enabled(live.latency_setting.enabled),
        "maxDuration": duration_ms(live.max_duration), "maxInstanceLives": int(live.max_instance_lives),
        "maxUserLives": int(live.max_user_lives),
        "transcoding": {"enabled": bool(live.transcoding.enabled),
                        "remoteRunners": _enabled(live.transcoding.remote_runners.enabled),
                        "enabledResolutions": enabled_resolutions(config, "live.transcoding"),
                        "profile": live.transcoding.profile, "availableProfiles": TRANSCODING_PROFILES},
        "rtmp": {"port": int(live.rtmp.port)},
    }


def _imports_and_exports(config: Config) -> dict:
    imports, users_export = config["import"], config.export.users
    return {
        "import": {"videos": {"http": _enabled(imports.videos.http.enabled),
                              "torrent": _enabled(imports.videos.torrent.enabled)},
                   "videoChannelSynchronization": _enabled(imports.video_channel_synchronization.enabled),
                   "users": _enabled(imports.users.enabled)},
        "export": {"users": {"enabled": bool(users_export.enabled),
                             "exportExpiration": duration_ms(users_export.export_expiration),
                             "maxUserVideoQuota": size_bytes(users_export.max_user_video_quota)}},
    }


def _file_constraints(config: Config) -> dict:
    actor_image = _image_constraints(images.ACTOR_IMAGE_EXTENSIONS, images.ACTOR_IMAGE_MAX_BYTES)
    return {
        "avatar": {"file": actor_image, "extensions": list(images.ACTOR_IMAGE_EXTENSIONS)},
        "banner": {"file": actor_image},
        "logo": {"file": actor_image},
        "video": {"image": _image_constraints(VIDEO_IMAGE_EXTENSIONS, VIDEO_IMAGE_MAX_BYTES),
                  "file": {"extensions": video_file_extensions(config)}},
        "videoCaption": {"file": _image_constraints(CAPTION_EXTENSIONS, CAPTION_MAX_BYTES)},
    }


def _views(views) -> dict:
    watching = {"anonymous": duration_ms(views.watching_interval.anonymous),
                "users": duration_ms(views.watching_interval.users)}
    return {"videos": {"remote": {"maxAge": duration_ms(views.remote.max_age)},
                       "local": {"maxAge": duration_ms(views.local.max_age)},
                       "watchingInterval": watching},
            "views": {"watchingInterval": dict(watching)}}


def build_server_config(config: Config, avatars: list[dict], banners: list[dict], homepage: bool = False) -> dict:
    """The JSON of `GET /api/v1/config`; `signup.allowed*` are placeholders the caller fills in."""
    cfg = config
    broadcast, metrics = cfg.broadcast_message, cfg.open_telemetry.metrics
    body = {
        "serverVersion": PEERTUBE_COMPATIBLE_VERSION,
        "serverCommit": None,
        "client": _client(cfg.client),
        "defaults": _publication_defaults(cfg.defaults),
        "webadmin": {"configuration": {"edition": {
            "allowed": bool(cfg.webadmin.configuration.edition.allowed)}}},
        "instance": _instance(cfg.instance, avatars, banners),
        "search": _search(cfg.search),
        "plugin": {"registered": [], "registeredExternalAuths": [], "registeredIdAndPassAuths": []},
        "theme": _theme(cfg.theme),
        "email": _enabled(smtp_enabled(cfg)),
        "contactForm": _enabled(cfg.contact_form.enabled),
        "signup": _signup(cfg.signup),
        "transcoding": _transcoding(cfg),
        "live": _live(cfg),
        "videoStudio": _runners(cfg.video_studio),
        "videoFile": {"update": _enabled(cfg.video_file.update.enabled)},
        **_imports_and_exports(cfg),
        "autoBlacklist": {"videos": {"ofUsers": _enabled(cfg.auto_blacklist.videos.of_users.enabled)}},
        **_file_constraints(cfg),
        "user": {"videoQuota": size_bytes(cfg.user.video_quota),
                 "videoQuotaDaily": size_bytes(cfg.user.video_quota_daily)},
        "videoChannels": {"maxPerUser": int(cfg.video_channels.max_per_user)},
        "trending": {"videos": {"intervalDays": int(cfg.trending.videos.interval_days),
                                "algorithms": {"enabled": list(cfg.trending.videos.algorithms.enabled),
                                               "default": cfg.trending.videos.algorithms.default}}},
        "tracker": _enabled(cfg.tracker.enabled),
        "followings": {"instance": {"autoFollowIndex": {
            "indexUrl": cfg.followings.instance.auto_follow_index.index_url}}},
        "federation": _enabled(cfg.federation.enabled),
        "broadcastMessage": {"enabled": bool(broadcast.enabled), "message": broadcast.message,
                             "level": broadcast.level, "dismissable": bool(broadcast.dismissable)},
        "homepage": _enabled(homepage),  # a custom homepage with content is set (services/homepage.py)
        "openTelemetry": {"metrics": {"enabled": bool(metrics.enabled),
                                      "playbackStatsInterval": duration_ms(metrics.playback_stats_interval)}},
        "views": _views(cfg.views.videos),
        "storyboards": _runners(cfg.storyboards),
        "videoTranscription": _runners(cfg.video_transcription),
        "webrtc": {"stunServers": list(cfg.webrtc.stun_servers)},
        "nsfwFlagsSettings": _enabled(cfg.nsfw_flags_settings.enabled),
        "fieldsConstraints": {"users": {"password": {
            "minLength": int(cfg.user.password_constraints.min_length), "maxLength": PASSWORD_MAX_LENGTH}}},
    }
    return _conforming(ServerConfig, body)


def _conforming(schema: type[BaseModel], body: dict) -> dict:
    """`body` as the schema serialises it. A value of an unexpected type in the admin's configuration
    file is logged and served as it is, rather than failing every page load of every client."""
    try:
        return schema.model_validate(body).model_dump(mode="json", by_alias=True)
    except ValidationError as exc:
        log.error("the configuration does not fit %s: %s", schema.__name__, exc)
        return body


def build_about(config: Config, avatars: list[dict], banners: list[dict]) -> dict:
    instance = config.instance
    body = {"instance": {
        "name": instance.name, "shortDescription": instance.short_description,
        "description": instance.description, "terms": instance.terms,
        "codeOfConduct": instance.code_of_conduct,
        "hardwareInformation": instance.hardware_information, "creationReason": instance.creation_reason,
        "moderationInformation": instance.moderation_information, "administrator": instance.administrator,
        "maintenanceLifetime": instance.maintenance_lifetime, "businessModel": instance.business_model,
        "languages": list(instance.languages or []), "categories": list(instance.categories or []),
        "avatars": avatars, "banners": banners}}
    return _conforming(About, body)


async def instance_images(session: AsyncSession, config: Config) -> tuple[list[dict], list[dict]]:
    actor = await server_actor(session)
    return tuple(
        [image.model_dump(mode="json") for image in actor_images(actor, image_type, config.url)]
        for image_type in (ActorImageType.AVATAR, ActorImageType.BANNER))


# -- per-configuration cache -----------------------------------------------------------------------

def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@dataclass
class _Snapshot:
    config: Config
    server_config: dict
    about: bytes
    bodies: dict[tuple[bool, bool], bytes] = field(default_factory=dict)


_snapshots: weakref.WeakKeyDictionary[Runtime, _Snapshot] = weakref.WeakKeyDictionary()


async def _snapshot(runtime: Runtime) -> _Snapshot:
    config = runtime.config
    snapshot = _snapshots.get(runtime)
    if snapshot is not None and snapshot.config is config:
        return snapshot
    async with runtime.db.session(write=False) as session:
        avatars, banners = await instance_images(session, config)
        homepage = await homepage_enabled(session)
    snapshot = _Snapshot(config, build_server_config(config, avatars, banners, homepage),
                         _dumps(build_about(config, avatars, banners)))
    _snapshots[runtime] = snapshot
    return snapshot


async def server_config_body(runtime: Runtime, session: AsyncSession, ip: str | None) -> bytes:
    """The serialised `ServerConfig` as the caller at `ip` sees it."""
    snapshot = await _snapshot(runtime)
    key = await registrations.signup_allowed(session, snapshot.config, ip)
    body = snapshot.bodies.get(key)
    if body is None:
        data = dict(snapshot.server_config)
        data["signup"] = {**data["signup"], "allowed": key[0], "allowedForCurrentIP": key[1]}
        body = snapshot.bodies[key] = _dumps(data)
    return body


async def about_body(runtime: Runtime) -> bytes:
    return (await _snapshot(runtime)).about


async def public_config(runtime: Runtime) -> dict:
    """The cached `ServerConfig` JSON without the per-request signup verdicts (read-only)."""
    return (await _snapshot(runtime)).server_config
