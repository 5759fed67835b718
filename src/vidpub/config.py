"""Settings: built-in defaults < YAML file < environment < runtime custom config (admin API).

Keys mirror PeerTube's configuration file (`listen`, `webserver`, `database`, `signup`, ...), so
an admin reads PeerTube's documentation for their meaning. Environment overrides use
`VIDPUB_<SECTION>__<KEY>=<yaml value>`, e.g. `VIDPUB_WEBSERVER__HOSTNAME=videos.example.org`.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

ENV_PREFIX = "VIDPUB_"

_DURATION_UNITS = {
    "ms": 0.001, "millisecond": 0.001, "milliseconds": 0.001,
    "s": 1, "sec": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "week": 604800, "weeks": 604800,
    "y": 31557600, "year": 31557600, "years": 31557600,
}
_SIZE_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4}


class ConfigError(ValueError):
    """The configuration cannot be used; the message names the key."""


def parse_duration(value: Any) -> float:
    """PeerTube durations: '10 seconds', '2 weeks', '1 hour' or a number of milliseconds."""
    if isinstance(value, bool):
        raise ConfigError(f"not a duration: {value!r}")
    if isinstance(value, (int, float)):
        return value / 1000
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
    if not match or match.group(2).lower() not in _DURATION_UNITS | {"": 0.001}:
        raise ConfigError(f"not a duration: {value!r}")
    unit = match.group(2).lower()
    return float(match.group(1)) * (_DURATION_UNITS[unit] if unit else 0.001)


def parse_size(value: Any) -> int:
    """PeerTube sizes: '10GB', '100MB', '-1' or a number of bytes."""
    if isinstance(value, bool):
        raise ConfigError(f"not a size: {value!r}")
    if isinstance(value, (int, float)):
        return int(value)
    match = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(value))
    if not match or match.group(2).lower() not in _SIZE_UNITS | {"": 1}:
        raise ConfigError(f"not a size: {value!r}")
    unit = match.group(2).lower()
    return int(float(match.group(1)) * (_SIZE_UNITS[unit] if unit else 1))


def deep_merge(base: dict, override: Mapping, path: str = "") -> dict:
    """Merge `override` into a copy of `base`; a value must keep the kind of its default."""
    merged = copy.deepcopy(base)
    for key, value in override.items():
        key = str(key)
        where = f"{path}.{key}" if path else key
        current = merged.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            merged[key] = deep_merge(current, value, where)
            continue
        if value is not None and current is not None:
            if isinstance(current, dict) or isinstance(value, Mapping):
                raise ConfigError(f"{where}: expected {'a section' if isinstance(current, dict) else 'a value'}")
            if isinstance(current, bool) != isinstance(value, bool):
                raise ConfigError(f"{where}: expected {type(current).__name__}, got {value!r}")
            if isinstance(current, list) != isinstance(value, list):
                raise ConfigError(f"{where}: expected a list, got {value!r}")
        merged[key] = copy.deepcopy(value)
    return merged


class Section(Mapping):
    """Read-only nested view of a config dict with attribute access (`cfg.signup.enabled`)."""

    __slots__ = ("_data", "_path")

    def __init__(self, data: dict, path: str = ""):
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_path", path)

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        return Section(value, f"{self._path}{key}.") if isinstance(value, dict) else value

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError:
            raise AttributeError(f"config has no key {self._path}{key}") from None

    def __setattr__(self, key, value):
        raise TypeError("configuration is read-only")

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def to_dict(self) -> dict:
        return copy.deepcopy(self._data)


class Config(Section):
    """The effective configuration of one process."""

    __slots__ = ("data_dir", "file_settings")

    def __init__(self, data: dict, data_dir: Path, file_settings: dict | None = None):
        super().__init__(data)
        object.__setattr__(self, "data_dir", data_dir)
        # what defaults + file + environment said, before runtime (database) overrides
        object.__setattr__(self, "file_settings", file_settings if file_settings is not None else data)

    # -- derived values -------------------------------------------------------------------------

    @property
    def host(self) -> str:
        """`hostname[:port]` as it appears in URLs and handles."""
        web = self.webserver
        default_port = 443 if web.https else 80
        return web.hostname if int(web.port) == default_port else f"{web.hostname}:{web.port}"

    @property
    def url(self) -> str:
        return f"{'https' if self.webserver.https else 'http'}://{self.host}"

    def storage_path(self, name: str) -> Path:
        path = Path(self.storage[name])
        return path if path.is_absolute() else self.data_dir / path

    @property
    def database_url(self) -> str:
        db = self.database
        if db.url:
            return db.url
        if db.hostname:
            name = db.name or f"peertube{db.suffix or ''}"
            user = db.username or ""
            auth = f"{user}:{db.password}@" if db.password else (f"{user}@" if user else "")
            return f"postgresql+asyncpg://{auth}{db.hostname}:{db.port}/{name}"
        return f"sqlite+aiosqlite:///{self.data_dir / 'vidpub.sqlite3'}"

    def duration(self, dotted: str) -> float:
        return parse_duration(self.get_path(dotted))

    def get_path(self, dotted: str) -> Any:
        node: Any = self
        for part in dotted.split("."):
            node = node[part]
        return node

    def with_overrides(self, overrides: Mapping) -> Config:
        return Config(deep_merge(self.file_settings, overrides), self.data_dir, self.file_settings)


def builtin_defaults() -> dict:
    text = resources.files("vidpub").joinpath("defaults.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def env_overrides(environ: Mapping[str, str]) -> dict:
    out: dict = {}
    for name, raw in environ.items():
        if not name.startswith(ENV_PREFIX) or "__" not in name:
            continue
        path = name[len(ENV_PREFIX):].lower().split("__")
        node = out
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = yaml.safe_load(raw) if raw != "" else ""
    return out


def load_config(config_file: str | Path | None = None, data_dir: str | Path | None = None,
                environ: Mapping[str, str] | None = None) -> Config:
    environ = os.environ if environ is None else environ
    data = builtin_defaults()
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {path}")
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(loaded, dict):
            raise ConfigError(f"{path}: the top level must be a mapping")
        data = deep_merge(data, loaded)
    data = deep_merge(data, env_overrides(environ))
    directory = Path(data_dir or environ.get("VIDPUB_DATA_DIR") or "data").resolve()
    config = Config(data, directory)
    _check(config)
    return config


def _check(config: Config) -> None:
    for section, key in (("oauth2.token_lifetime", "access_token"), ("oauth2.token_lifetime", "refresh_token")):
        config.duration(f"{section}.{key}")
    for name, rule in config.rates_limit.items():
        parse_duration(rule["window"])
        if not isinstance(rule["max"], int):
            raise ConfigError(f"rates_limit.{name}.max: expected an integer")
    if not config.webserver.hostname:
        raise ConfigError("webserver.hostname must be set")
