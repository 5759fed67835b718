"""Two-factor authentication: TOTP (SHA-1, 6 digits, 30 s, ±1 step) with the secret encrypted at rest.

The stored form is PeerTube's: AES-256-CBC, key = scrypt(instance secret, salt "peertube", 32 bytes),
`hex(iv):hex(ciphertext)`, so a secret moves between the two implementations unchanged.
"""

from __future__ import annotations

import functools
import logging
import os

import pyotp
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

log = logging.getLogger("vidpub.auth.otp")

OTP_HEADER = "x-peertube-otp"
OTP_REQUIRED_VALUE = "required; app"  # the answer header: a code from an authenticator app is needed
CODE_DIGITS = 6


@functools.lru_cache(maxsize=4)
def _key(instance_secret: str) -> bytes:
    return Scrypt(salt=b"peertube", length=32, n=16384, r=8, p=1).derive(instance_secret.encode("utf-8"))


def encrypt_secret(instance_secret: str, plain: str) -> str:
    iv = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    data = padder.update(plain.encode("utf-8")) + padder.finalize()
    encryptor = Cipher(algorithms.AES(_key(instance_secret)), modes.CBC(iv)).encryptor()
    return f"{iv.hex()}:{(encryptor.update(data) + encryptor.finalize()).hex()}"


def decrypt_secret(instance_secret: str, stored: str) -> str:
    iv_hex, _, data_hex = stored.partition(":")
    decryptor = Cipher(algorithms.AES(_key(instance_secret)), modes.CBC(bytes.fromhex(iv_hex))).decryptor()
    data = decryptor.update(bytes.fromhex(data_hex)) + decryptor.finalize()
    unpadder = padding.PKCS7(128).unpadder()
    return (unpadder.update(data) + unpadder.finalize()).decode("utf-8")


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, issuer: str, label: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=label, issuer_name=issuer)


def verify_code(secret: str, code: str | None, at: float | None = None) -> bool:
    """A code of the current 30 s step, or of the step just before or after (clock drift)."""
    code = (code or "").strip()
    if len(code) != CODE_DIGITS or not code.isascii() or not code.isdigit():
        return False
    return pyotp.TOTP(secret).verify(code, for_time=at, valid_window=1)


def verify_stored_code(instance_secret: str, stored: str, code: str | None) -> bool:
    """Check a code against a secret as stored in the database (encrypted)."""
    try:
        return verify_code(decrypt_secret(instance_secret, stored), code)
    except ValueError:
        # encrypted under another instance secret (or damaged): no code can match it
        log.error("a stored two-factor secret cannot be read with this instance's secret")
        return False
