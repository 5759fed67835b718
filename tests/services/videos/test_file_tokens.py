"""Video file tokens: signed, bound to one video, expiring after 8 hours."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest

from vidpub.config import deep_merge, load_config
from vidpub.services.videos.file_tokens import FILE_TOKEN_LIFETIME_S, check_file_token, create_file_token

VIDEO = SimpleNamespace(uuid="0b6a1c3e-1111-4222-8333-444455556666")
OTHER_VIDEO = SimpleNamespace(uuid="9f6a1c3e-1111-4222-8333-444455556666")
USER = SimpleNamespace(id=42)


def config_with_secret(tmp_path, secret: str):
    base = load_config(data_dir=tmp_path, environ={})
    return type(base)(deep_merge(base.to_dict(), {"secrets": {"peertube": secret}}), tmp_path)


@pytest.fixture
def config(tmp_path):
    return config_with_secret(tmp_path, "a-secret-for-tests")


def test_a_token_opens_its_video_for_8_hours(config):
    now = time.time()
    token = create_file_token(config, VIDEO, USER, now=now)
    assert abs(token.expires.timestamp() - (now + FILE_TOKEN_LIFETIME_S)) < 1
    grant = check_file_token(config, token.token, VIDEO.uuid, now=now + FILE_TOKEN_LIFETIME_S - 5)
    assert grant is not None and grant.user_id == USER.id
    assert check_file_token(config, token.token, VIDEO.uuid.upper(), now=now) is not None


def test_an_expired_token_is_refused(config):
    token = create_file_token(config, VIDEO, USER, now=time.time() - FILE_TOKEN_LIFETIME_S - 1)
    assert check_file_token(config, token.token, VIDEO.uuid) is None


def test_a_token_opens_no_other_video(config):
    token = create_file_token(config, VIDEO, USER)
    assert check_file_token(config, token.token, OTHER_VIDEO.uuid) is None


def test_anonymous_password_holders_get_tokens_without_a_user(config):
    token = create_file_token(config, VIDEO, None)
    grant = check_file_token(config, token.token, VIDEO.uuid)
    assert grant is not None and grant.user_id is None


def test_altered_or_foreign_tokens_are_refused(config, tmp_path):
    token = create_file_token(config, VIDEO, USER).token
    expires, user_id, signature = token.split(".")
    later = f"{int(expires) + 3600}.{user_id}.{signature}"
    someone_else = f"{expires}.1.{signature}"
    other_instance = create_file_token(config_with_secret(tmp_path, "another-secret"), VIDEO, USER).token
    for forged in (later, someone_else, other_instance):
        assert check_file_token(config, forged, VIDEO.uuid) is None


@pytest.mark.parametrize("garbage", ["", "x", "1.2", "1.2.3.4", "٣.1." + "A" * 32, "1.1." + "é" * 32,
                                     "9" * 40 + ".1." + "A" * 32, "\x00", None])
def test_malformed_tokens_are_refused(config, garbage):
    assert check_file_token(config, garbage, VIDEO.uuid) is None
