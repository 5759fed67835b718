"""CustomConfig JSON ⇄ PeerTube configuration keys, without a server."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidpub.config import Config, builtin_defaults
from vidpub.errors import ProblemError
from vidpub.schemas.custom_config import CustomConfig
from vidpub.schemas.custom_config_types import Duration, Size
from vidpub.services.custom_config import (LEAVES, _yaml_key, check_consistency, custom_config_json,
                                           duration_ms, overrides_from_body)


def config(overrides: dict | None = None) -> Config:
    return Config(builtin_defaults(), Path("/tmp")).with_overrides(overrides or {})


@pytest.mark.parametrize("json_key,yaml_key", [
    ("shortDescription", "short_description"), ("isNSFW", "is_nsfw"),
    ("defaultNSFWPolicy", "default_nsfw_policy"), ("web_videos", "web_videos"), ("1080p", "1080p"),
    ("xLink", "x_link"), ("maxPerUser", "max_per_user"),
])
def test_json_names_map_to_peertube_keys(json_key, yaml_key):
    assert _yaml_key(json_key) == yaml_key


def test_every_field_has_a_configuration_key():
    defaults = config()
    for leaf in LEAVES:
        defaults.get_path(".".join(leaf.yaml_path))  # KeyError names the missing key


def test_durations_and_sizes_are_milliseconds_and_bytes():
    kinds = {".".join(leaf.json_path): leaf.kind for leaf in LEAVES}
    assert kinds["live.maxDuration"] is Duration and kinds["export.users.exportExpiration"] is Duration
    assert kinds["user.videoQuota"] is Size and kinds["export.users.maxUserVideoQuota"] is Size
    body = custom_config_json(config({"live": {"max_duration": "5 hours"}, "user": {"video_quota": "1GB"}}))
    assert body["live"]["maxDuration"] == 5 * 3600 * 1000
    assert body["export"]["users"]["exportExpiration"] == 2 * 86400 * 1000
    assert body["user"]["videoQuota"] == 1024**3
    assert duration_ms(-1) == -1


def test_the_answer_round_trips_through_a_put():
    answer = custom_config_json(config())
    overrides = overrides_from_body(CustomConfig.model_validate(answer))
    assert custom_config_json(config(overrides)) == answer


def test_only_given_fields_become_overrides_and_the_new_spelling_wins():
    body = CustomConfig.model_validate({
        "instance": {"name": "Mine"},
        "transcoding": {"webVideos": {"enabled": True}, "web_videos": {"enabled": False}},
        "import": {"video_channel_synchronization": {"enabled": True}},
    })
    assert overrides_from_body(body) == {
        "instance": {"name": "Mine"},
        "transcoding": {"web_videos": {"enabled": True}},
        "import": {"video_channel_synchronization": {"enabled": True}},
    }


def test_consistency_checks_pass_on_the_defaults():
    check_consistency(config())
    with pytest.raises(ProblemError) as refused:
        check_consistency(config({"transcoding": {"hls": {"enabled": False}}}))
    assert "transcoding.hls.enabled" in refused.value.extra["invalid-params"]
