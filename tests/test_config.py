"""Configuration: defaults < YAML file < environment < runtime overrides."""

from __future__ import annotations

import pytest

from vidpub.config import ConfigError, load_config, parse_duration, parse_size


def test_defaults_are_embedded_mode(tmp_path):
    config = load_config(data_dir=tmp_path, environ={})
    assert config.database_url == f"sqlite+aiosqlite:///{tmp_path / 'vidpub.sqlite3'}"
    assert config.url == "http://127.0.0.1:9000"
    assert config.storage_path("avatars") == tmp_path / "storage" / "avatars"
    assert config.duration("oauth2.token_lifetime.access_token") == 86400
    assert config.signup.enabled is False


def test_yaml_file_uses_peertube_keys(tmp_path):
    path = tmp_path / "production.yaml"
    path.write_text(
        "webserver: {https: true, hostname: videos.example.org, port: 443}\n"
        "database: {hostname: db.internal, username: pt, password: s3cret, suffix: _prod}\n"
        "signup: {enabled: true}\n"
        "unknown_section: {kept: true}\n")
    config = load_config(path, tmp_path, environ={})
    assert config.url == "https://videos.example.org"
    assert config.host == "videos.example.org"
    assert config.database_url == "postgresql+asyncpg://pt:s3cret@db.internal:5432/peertube_prod"
    assert config.signup.enabled is True
    assert config.signup.requires_approval is True  # untouched keys keep their defaults


def test_environment_overrides_file(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("webserver: {hostname: from-file.example}\n")
    config = load_config(path, tmp_path, environ={"VIDPUB_WEBSERVER__HOSTNAME": "from-env.example",
                                                  "VIDPUB_WEBSERVER__PORT": "8080",
                                                  "VIDPUB_SIGNUP__ENABLED": "true"})
    assert config.url == "http://from-env.example:8080"
    assert config.signup.enabled is True


@pytest.mark.parametrize("text, message", [
    ("signup: {enabled: 'yes please'}\n", "signup.enabled"),
    ("signup: true\n", "signup"),
    ("rates_limit: {api: {window: 'soon', max: 3}}\n", "duration"),
    ("- a\n- b\n", "mapping"),
])
def test_bad_values_are_named(tmp_path, text, message):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(path, tmp_path, environ={})


def test_missing_file_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml", tmp_path, environ={})


def test_runtime_overrides_start_from_file_settings(tmp_path):
    config = load_config(data_dir=tmp_path, environ={"VIDPUB_INSTANCE__NAME": "Env name"})
    custom = config.with_overrides({"instance": {"short_description": "Custom"}})
    assert custom.instance.name == "Env name"
    assert custom.instance.short_description == "Custom"
    assert custom.with_overrides({}).instance.short_description == config.instance.short_description


@pytest.mark.parametrize("value, seconds", [
    ("10 seconds", 10), ("5 minutes", 300), ("1 hour", 3600), ("2 weeks", 1209600), (1500, 1.5), ("200ms", 0.2),
])
def test_durations(value, seconds):
    assert parse_duration(value) == pytest.approx(seconds)


@pytest.mark.parametrize("value, size", [("10GB", 10 * 1024**3), ("100MB", 100 * 1024**2), (-1, -1), ("512", 512)])
def test_sizes(value, size):
    assert parse_size(value) == size
