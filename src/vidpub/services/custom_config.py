"""Admin-edited configuration: `CustomConfig` JSON ⇄ PeerTube configuration keys.

PeerTube writes the admin's edits to a local YAML file loaded over the configuration file. Vidpub
keeps the same YAML-shaped overrides in `Application.custom_config` so that every API and worker
process of a deployment sees them: a write bumps `custom_config_version`, this process applies it
at once and the others notice the new version within a poll interval (see `Runtime`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config, ConfigError, parse_duration, parse_size
from vidpub.db.models import Application
from vidpub.errors import ProblemError
from vidpub.runtime import Runtime
from vidpub.schemas.custom_config import CustomConfig
from vidpub.schemas.custom_config_types import Duration, LegacyNameOf, Size
from vidpub.services.mail import smtp_enabled

BUILT_IN_THEMES = ("peertube-core-light-beige", "peertube-core-dark-brown")
THEME_NAMES = frozenset({"default", *BUILT_IN_THEMES})  # no theme plugins in Vidpub


# -- value conversions -----------------------------------------------------------------------------

def duration_ms(value: Any) -> int:
    """A PeerTube duration as the API shows it: milliseconds, -1 kept as "unlimited"."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return int(value)
    return round(parse_duration(value) * 1000)


def size_bytes(value: Any) -> int:
    return parse_size(value)


def _yaml_key(json_key: str) -> str:
    """`shortDescription` → `short_description`; acronyms too: `defaultNSFWPolicy` → `default_nsfw_policy`."""
    key = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", json_key)
    return re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", key).lower()


# -- the field map, derived once from the schema ---------------------------------------------------

@dataclass(frozen=True)
class Leaf:
    json_path: tuple[str, ...]
    yaml_path: tuple[str, ...]
    kind: type | None            # Duration, Size or None (the value as is)
    legacy_of: tuple[str, ...] | None = None  # the JSON path this 7.0 spelling mirrors


def _json_name(name: str, info) -> str:
    return info.alias or name


def _walk(model: type[BaseModel], json_prefix: tuple = (), yaml_prefix: tuple = (),
          legacy_prefix: tuple | None = None) -> Iterator[Leaf]:
    """Every leaf field of `model`; `legacy_prefix` is set inside a 7.0-spelled subtree."""
    for name, info in model.model_fields.items():
        json_key = _json_name(name, info)
        marker = next((m for m in info.metadata if isinstance(m, LegacyNameOf)), None)
        if marker is not None:
            current = _json_name(marker.field, model.model_fields[marker.field])
            yaml_key, legacy_of = _yaml_key(current), json_prefix + (current,)
        else:
            yaml_key = _yaml_key(json_key)
            legacy_of = legacy_prefix + (json_key,) if legacy_prefix else None
        json_path, yaml_path = json_prefix + (json_key,), yaml_prefix + (yaml_key,)
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            yield from _walk(annotation, json_path, yaml_path, legacy_of)
            continue
        kind = next((type(m) for m in info.metadata if isinstance(m, (Duration, Size))), None)
        yield Leaf(json_path, yaml_path, kind, legacy_of)


LEAVES: tuple[Leaf, ...] = tuple(_walk(CustomConfig))


def _get(tree: dict, path: tuple[str, ...]) -> Any:
    node: Any = tree
    for part in path:
        if not isinstance(node, dict) or part not in node:
            raise KeyError(".".join(path))
        node = node[part]
    return node


def _set(tree: dict, path: tuple[str, ...], value: Any) -> None:
    node = tree
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = value


def _has(tree: dict, path: tuple[str, ...]) -> bool:
    try:
        _get(tree, path)
        return True
    except KeyError:
        return False


# -- JSON ⇄ YAML -----------------------------------------------------------------------------------

def custom_config_json(config: Config) -> dict:
    """What `GET /api/v1/config/custom` answers for this effective configuration."""
    out: dict = {}
    for leaf in LEAVES:
        value = config.get_path(".".join(leaf.yaml_path))
        if leaf.kind is Duration:
            value = duration_ms(value)
        elif leaf.kind is Size:
            value = size_bytes(value)
        else:
            value = copy.deepcopy(value)
        _set(out, leaf.json_path, value)
    return out


def overrides_from_body(body: CustomConfig) -> dict:
    """The YAML-shaped overrides a PUT body stands for (fields it leaves out are not overridden)."""
    given = body.model_dump(by_alias=True, exclude_unset=True, mode="json")
    overrides: dict = {}
    for leaf in LEAVES:
        if not _has(given, leaf.json_path):
            continue
        if leaf.legacy_of is not None and _has(given, leaf.legacy_of):
            continue  # the current spelling wins over the 7.0 one
        _set(overrides, leaf.yaml_path, _get(given, leaf.json_path))
    return overrides


# -- consistency (what PeerTube refuses beyond field types) ----------------------------------------

def _refuse(field: str, value: Any, message: str) -> ProblemError:
    return ProblemError(400, message, **{"invalid-params": {field: {
        "location": "body", "msg": message, "param": field, "value": value}}})


def check_consistency(config: Config) -> None:
    if config.signup.requires_email_verification and not smtp_enabled(config):
        raise _refuse("signup.requiresEmailVerification", True,
                      "SMTP is not configured but you require signup email verification.")
    transcoding = config.transcoding
    if transcoding.enabled and not transcoding.web_videos.enabled and not transcoding.hls.enabled:
        raise _refuse("transcoding.hls.enabled", False,
                      "You need to enable at least web_videos transcoding or hls transcoding")
    imports = config["import"]
    if imports.video_channel_synchronization.enabled and not imports.videos.http.enabled:
        raise _refuse("import.videoChannelSynchronization.enabled", True,
                      "You need to enable HTTP video import in order to enable channel synchronization")
    if config.live.enabled and config.live.allow_replay and not transcoding.enabled:
        raise _refuse("live.allowReplay", True, "You cannot allow live replay if transcoding is not enabled")
    if config.video_studio.enabled and not transcoding.enabled:
        raise _refuse("videoStudio.enabled", True,
                      "You cannot enable video studio if transcoding is not enabled")
    algorithms = config.trending.videos.algorithms
    if algorithms.default not in list(algorithms.enabled):
        raise _refuse("trending.videos.algorithms.default", algorithms.default,
                      "Trending default algorithm should be enabled")
    if config.theme.default not in THEME_NAMES:
        raise _refuse("theme.default", config.theme.default, "Should have a valid theme name")
    index_url = config.followings.instance.auto_follow_index.index_url
    if index_url and urlsplit(index_url).scheme not in ("http", "https"):
        raise _refuse("followings.instance.autoFollowIndex.indexUrl", index_url, "Should have a valid URL")


# -- use cases -------------------------------------------------------------------------------------

def ensure_editable(config: Config) -> None:
    if not config.webadmin.configuration.edition.allowed:
        raise ProblemError(405, "Server configuration is static and cannot be edited")


async def _store(session: AsyncSession, overrides: dict | None) -> tuple[dict, int]:
    """Write the overrides (None: keep them) and bump the version; returns what is now stored."""
    values: dict[str, Any] = {"custom_config_version": Application.custom_config_version + 1}
    if overrides is not None:
        values["custom_config"] = overrides
    await session.execute(sa.update(Application).values(**values))
    row = (await session.execute(
        sa.select(Application.custom_config, Application.custom_config_version).limit(1))).one()
    return row.custom_config or {}, row.custom_config_version


def _merged(base: dict, extra: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merged(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


async def update(session: AsyncSession, runtime: Runtime, body: CustomConfig) -> dict:
    """PUT: the fields of the body become overrides; fields it leaves out keep their current value,
    so a client that knows fewer fields than this server (an older one) cannot wipe the others.
    DELETE is the way back to the configuration file."""
    ensure_editable(runtime.config)
    current = (await session.execute(
        sa.select(Application.custom_config).limit(1).with_for_update())).scalar_one() or {}
    overrides = _merged(current, overrides_from_body(body))
    try:
        candidate = runtime.base_config.with_overrides(overrides)
    except ConfigError as exc:
        raise ProblemError(400, f"Invalid configuration: {exc}") from exc
    check_consistency(candidate)
    stored, version = await _store(session, overrides)
    await session.commit()
    runtime.apply_custom_config(stored, version)
    return custom_config_json(runtime.config)


async def reset(session: AsyncSession, runtime: Runtime) -> dict:
    """DELETE: back to the configuration file."""
    ensure_editable(runtime.config)
    stored, version = await _store(session, {})
    await session.commit()
    runtime.apply_custom_config(stored, version)
    return custom_config_json(runtime.config)


async def announce_instance_change(session: AsyncSession) -> tuple[dict, int]:
    """Make every process rebuild what it derives from instance state (e.g. the instance avatar
    shown by /api/v1/config), in the caller's transaction; apply the result after the commit."""
    return await _store(session, None)
