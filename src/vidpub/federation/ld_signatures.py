"""Linked Data signatures (`RsaSignature2017`) on activities that may be forwarded (§5.5).

The document (without `signature`) and the signature options are each normalised with URDNA2015 to
N-Quads and hashed (SHA-256, hex); the RSA-SHA256 signature covers `options hash + document hash`.
Contexts are served from copies bundled with pyld: verifying never fetches anything, and a document
naming any other remote context is refused.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from pyld import jsonld
from pyld.documentloader.frozen import FrozenDocumentLoader

from vidpub.federation.keys import load_private_key, load_public_key

SIGNATURE_CONTEXT = ["https://w3id.org/security/v1", {"RsaSignature2017": "https://w3id.org/security#RsaSignature2017"}]
_LOADER = FrozenDocumentLoader()


class LdSignatureError(Exception):
    pass


def _hash(document: dict) -> str:
    try:
        nquads = jsonld.normalize(document, {"algorithm": "URDNA2015", "format": "application/n-quads",
                                             "documentLoader": _LOADER, "safe": False})
    except jsonld.JsonLdError as error:
        raise LdSignatureError(f"the document cannot be normalised: {error}") from None
    return hashlib.sha256(nquads.encode()).hexdigest()


def _options_hash(creator: str, created: str) -> str:
    return _hash({"@context": SIGNATURE_CONTEXT, "creator": creator, "created": created})


def _unsigned(document: dict) -> dict:
    if "@include" in str(document.get("@context", "")):
        raise LdSignatureError("@include is refused")
    return {key: value for key, value in document.items() if key != "signature"}


def sign(document: dict, *, creator: str, private_key_pem: str, created: datetime | None = None) -> dict:
    """A copy of `document` carrying an RsaSignature2017 by `creator` (an actor URL)."""
    created_text = (created or datetime.now(UTC)).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    to_sign = (_options_hash(creator, created_text) + _hash(_unsigned(document))).encode()
    value = load_private_key(private_key_pem).sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
    return {**_unsigned(document), "signature": {
        "type": "RsaSignature2017", "creator": creator, "created": created_text,
        "signatureValue": base64.b64encode(value).decode()}}


def signature_creator(document: dict) -> str | None:
    """The actor URL that claims to have signed the document (fragment removed), if any."""
    signature = document.get("signature")
    if not isinstance(signature, dict) or signature.get("type") != "RsaSignature2017":
        return None
    creator = signature.get("creator")
    return creator.split("#", 1)[0] if isinstance(creator, str) else None


def verify(document: dict, public_key_pem: str) -> bool:
    signature = document.get("signature")
    if not isinstance(signature, dict):
        return False
    creator, created, value = signature.get("creator"), signature.get("created"), signature.get("signatureValue")
    if not (isinstance(creator, str) and isinstance(created, str) and isinstance(value, str)):
        return False
    try:
        signed = (_options_hash(creator, created) + _hash(_unsigned(document))).encode()
        load_public_key(public_key_pem).verify(base64.b64decode(value), signed, padding.PKCS1v15(),
                                               hashes.SHA256())
    except (InvalidSignature, ValueError, LdSignatureError):
        return False
    return True
