"""Building the public configuration from a configuration, without a server."""

from __future__ import annotations

from pathlib import Path

from vidpub.config import Config, builtin_defaults
from vidpub.schemas.config import ServerConfig
from vidpub.services.server_config import build_about, build_server_config, enabled_resolutions


def config(overrides: dict | None = None) -> Config:
    return Config(builtin_defaults(), Path("/tmp")).with_overrides(overrides or {})


def test_the_defaults_fit_the_schema():
    body = build_server_config(config(), [], [])
    assert ServerConfig.model_validate(body).model_dump(mode="json", by_alias=True) == body
    assert "import" in body and "import_" not in body


def test_resolutions_are_listed_only_when_transcoding_runs():
    resolutions = {"transcoding": {"resolutions": {"480p": True, "1080p": True}}}
    assert enabled_resolutions(config(resolutions)) == [480, 1080]
    resolutions["transcoding"]["enabled"] = False
    assert enabled_resolutions(config(resolutions)) == []


def test_a_surprising_value_in_the_configuration_file_is_served_rather_than_failing():
    odd = config({"instance": {"name": 2024, "languages": None}})
    assert build_server_config(odd, [], [])["instance"]["name"] == 2024
    assert build_about(odd, [], [])["instance"]["languages"] == []
