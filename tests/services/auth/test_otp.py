"""TOTP codes and the storage format of their secrets (shared with PeerTube)."""

from __future__ import annotations

import base64

import pyotp
import pytest

from vidpub.services.auth import otp

INSTANCE_SECRET = "a-peertube-instance-secret"

# Made by Node's crypto the way PeerTube stores a secret: aes-256-cbc, key = scrypt(instance secret,
# "peertube", 32), this IV, `hex(iv):hex(ciphertext)`.
PEERTUBE_STORED = ("000102030405060708090a0b0c0d0e0f:c4631c0480e349b547753762b203ca5a85e581d58ed21d5e1eb70cfc"
                   "ae33989d1098a1597a149675e9e7e3dcff8b5ce2")
PEERTUBE_PLAIN = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_reads_a_secret_stored_by_peertube():
    assert otp.decrypt_secret(INSTANCE_SECRET, PEERTUBE_STORED) == PEERTUBE_PLAIN


def test_encryption_round_trip_with_a_fresh_iv():
    secret = otp.new_secret()
    first, second = otp.encrypt_secret(INSTANCE_SECRET, secret), otp.encrypt_secret(INSTANCE_SECRET, secret)
    assert first != second  # random IV
    for stored in (first, second):
        iv, _, data = stored.partition(":")
        assert len(bytes.fromhex(iv)) == 16 and len(bytes.fromhex(data)) % 16 == 0
        assert secret not in stored
        assert otp.decrypt_secret(INSTANCE_SECRET, stored) == secret


def test_new_secret_is_160_bits_of_base32():
    secret = otp.new_secret()
    assert len(secret) == 32
    assert len(base64.b32decode(secret)) == 20


def test_codes_of_the_adjacent_steps_are_accepted():
    secret = otp.new_secret()
    totp = pyotp.TOTP(secret)
    now = 1_700_000_015.0  # mid-step: the neighbours are exactly one step away
    assert otp.verify_code(secret, totp.at(now), at=now)
    assert otp.verify_code(secret, totp.at(now - 30), at=now)
    assert otp.verify_code(secret, totp.at(now + 30), at=now)
    far = {totp.at(now + offset) for offset in (-90, -60, 60, 90)} - {totp.at(now + o) for o in (-30, 0, 30)}
    for code in far:
        assert not otp.verify_code(secret, code, at=now)


def test_rfc6238_vector():
    # RFC 6238, SHA-1 seed "12345678901234567890", T = 59 s → 94287082 (8 digits) → 287082 (6 digits)
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert otp.verify_code(secret, "287082", at=59)
    assert otp.verify_code(secret, " 287082 ", at=59)


@pytest.mark.parametrize("code", [None, "", "28708", "2870821", "abcdef", "２８７０８２", "287 082"])
def test_malformed_codes_are_refused(code):
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert not otp.verify_code(secret, code, at=59)


def test_stored_code_check():
    stored = otp.encrypt_secret(INSTANCE_SECRET, PEERTUBE_PLAIN)
    code = pyotp.TOTP(PEERTUBE_PLAIN).now()
    assert otp.verify_stored_code(INSTANCE_SECRET, stored, code)
    assert otp.verify_stored_code(INSTANCE_SECRET, PEERTUBE_STORED, pyotp.TOTP(PEERTUBE_PLAIN).now())


@pytest.mark.parametrize("stored", ["", "zz:zz", "00:00", "000102030405060708090a0b0c0d0e0f:00"])
def test_unreadable_stored_secret_matches_no_code(stored):
    assert not otp.verify_stored_code(INSTANCE_SECRET, stored, "123456")


def test_secret_of_another_instance_matches_no_code():
    stored = otp.encrypt_secret("another-instance", PEERTUBE_PLAIN)
    assert not otp.verify_stored_code(INSTANCE_SECRET, stored, pyotp.TOTP(PEERTUBE_PLAIN).now())


def test_provisioning_uri_names_issuer_and_account():
    uri = otp.provisioning_uri(PEERTUBE_PLAIN, issuer="videos.example.org", label="alice@example.org")
    parsed = pyotp.parse_uri(uri)
    assert parsed.secret == PEERTUBE_PLAIN
    assert parsed.issuer == "videos.example.org" and parsed.name == "alice@example.org"
