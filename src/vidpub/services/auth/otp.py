"""Two-factor authentication: TOTP (SHA-1, 6 digits, 30 s, ±1 step) with the secret encrypted at rest.

The stored form is PeerTube's: AES-256-CBC, key = scrypt(instance secret, salt "peertube", 32 bytes),
`hex(iv):hex(ciphertext)`, so a secret moves between the two implementations unchanged.
"""

from __future__ import annotations

import functools
import os

import pyotp
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

OTP_HEADER = "x-peertube-otp"


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


def verify_code(secret: str, code: str | None) -> bool:
    if not code or not code.strip().isdigit():
        return False
    return pyotp.TOTP(secret).verify(code.strip(), valid_window=1)
