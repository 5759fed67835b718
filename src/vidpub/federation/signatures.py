"""HTTP signatures (draft-cavage, `rsa-sha256`) as PeerTube signs and checks them (§5.4).

Outgoing: `Digest: SHA-256=<b64>` over the body, signed headers `(request-target) host date digest`
(GETs: without digest), `keyId` = the actor URL without a fragment (what PeerTube sends).
Incoming: the `Signature` header (or `Authorization: Signature ...`); POSTs must sign
`(request-target)`, `host` and `digest`, GETs `(request-target)` and `host`, and every request `date`
or `(created)`; dates more than 30 minutes away are refused; the Digest must match the raw body.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from vidpub.federation.keys import load_private_key, load_public_key

CLOCK_SKEW_S = 1800
SIGNED_POST_HEADERS = ("(request-target)", "host", "date", "digest")
SIGNED_GET_HEADERS = ("(request-target)", "host", "date")
_PARAM = re.compile(r'\s*([a-zA-Z]+)\s*=\s*"([^"]*)"\s*,?')


class SignatureError(Exception):
    """The request's signature is missing, malformed, stale or wrong; the message says which."""


@dataclass(frozen=True)
class ParsedSignature:
    key_id: str
    algorithm: str
    headers: tuple[str, ...]
    signature: bytes
    created: str | None = None
    expires: str | None = None

    @property
    def actor_url(self) -> str:
        """PeerTube's keyId is the actor URL, Mastodon's `<actor>#main-key`: both name the actor."""
        return self.key_id.split("#", 1)[0]


def digest_header(body: bytes) -> str:
    return "SHA-256=" + base64.b64encode(hashlib.sha256(body).digest()).decode()


def _request_target(method: str, url: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{method.lower()} {path}?{parts.query}" if parts.query else f"{method.lower()} {path}"


def signing_string(names: tuple[str, ...], *, method: str, target: str, headers: Mapping[str, str],
                   created: str | None = None, expires: str | None = None) -> str:
    lines = []
    lower = {k.lower(): v for k, v in headers.items()}
    for name in names:
        if name == "(request-target)":
            lines.append(f"(request-target): {target}")
        elif name == "(created)":
            lines.append(f"(created): {created}")
        elif name == "(expires)":
            lines.append(f"(expires): {expires}")
        else:
            if name not in lower:
                raise SignatureError(f"signed header {name} is missing from the request")
            lines.append(f"{name}: {lower[name]}")
    return "\n".join(lines)


def sign_request(method: str, url: str, *, key_id: str, private_key_pem: str, body: bytes | None = None,
                 headers: Mapping[str, str] | None = None, now: float | None = None) -> dict[str, str]:
    """The headers to send with the request: `Host`, `Date`, `Digest` (with a body) and `Signature`."""
    out = dict(headers or {})
    out["Host"] = urlsplit(url).netloc
    out["Date"] = formatdate(now if now is not None else time.time(), usegmt=True)
    names = SIGNED_GET_HEADERS
    if body is not None:
        out["Digest"] = digest_header(body)
        names = SIGNED_POST_HEADERS
    text = signing_string(names, method=method, target=_request_target(method, url), headers=out)
    signature = load_private_key(private_key_pem).sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    out["Signature"] = (f'keyId="{key_id}",algorithm="rsa-sha256",headers="{" ".join(names)}",'
                        f'signature="{base64.b64encode(signature).decode()}"')
    return out


def parse_signature_header(headers: Mapping[str, str]) -> ParsedSignature:
    lower = {k.lower(): v for k, v in headers.items()}
    raw = lower.get("signature")
    if raw is None and lower.get("authorization", "").lower().startswith("signature "):
        raw = lower["authorization"]
    if not raw:
        raise SignatureError("the request is not signed")
    raw = raw.strip()
    if raw.lower().startswith("signature "):  # tolerated, as PeerTube does
        raw = raw[len("signature "):]
    params = dict(_PARAM.findall(raw))
    if "keyId" not in params or "signature" not in params:
        raise SignatureError("the Signature header lacks keyId or signature")
    algorithm = params.get("algorithm", "rsa-sha256").lower()
    if algorithm not in ("rsa-sha256", "hs2019"):
        raise SignatureError(f"unsupported signature algorithm {algorithm}")
    try:
        signature = base64.b64decode(params["signature"], validate=True)
    except ValueError:
        raise SignatureError("the signature is not base64") from None
    names = tuple(params.get("headers", "date").lower().split())
    return ParsedSignature(params["keyId"], algorithm, names, signature, params.get("created"),
                           params.get("expires"))


def check_request(parsed: ParsedSignature, *, method: str, headers: Mapping[str, str], body: bytes | None,
                  now: float | None = None) -> None:
    """What can be checked before knowing the key: required components, date window, Digest."""
    now = time.time() if now is None else now
    required = ("(request-target)", "host", "digest") if method.upper() == "POST" else ("(request-target)", "host")
    missing = [name for name in required if name not in parsed.headers]
    if missing:
        raise SignatureError(f"the signature must cover {', '.join(missing)}")
    if "date" not in parsed.headers and "(created)" not in parsed.headers:
        raise SignatureError("the signature must cover date or (created)")
    lower = {k.lower(): v for k, v in headers.items()}
    if "date" in parsed.headers:
        try:
            moment = parsedate_to_datetime(lower.get("date", "")).timestamp()
        except (TypeError, ValueError):
            raise SignatureError("the Date header is not a date") from None
    else:
        try:
            moment = float(parsed.created or "")
        except ValueError:
            raise SignatureError("(created) is not a timestamp") from None
    if abs(now - moment) > CLOCK_SKEW_S:
        raise SignatureError("the request's date is outside the accepted clock skew")
    if parsed.expires is not None:
        try:
            if float(parsed.expires) < now:
                raise SignatureError("the signature has expired")
        except ValueError:
            raise SignatureError("(expires) is not a timestamp") from None
    if body is not None and "digest" in lower:
        expected = digest_header(body)
        given = {part.split("=", 1)[0].upper(): part for part in lower["digest"].split(",") if "=" in part}
        if given.get("SHA-256", "").strip() != expected:
            raise SignatureError("the Digest header does not match the body")
    elif method.upper() == "POST":
        raise SignatureError("a signed POST needs a Digest header")


def verify_signature(parsed: ParsedSignature, public_key_pem: str, *, method: str, target: str,
                     headers: Mapping[str, str]) -> bool:
    """Whether the signature is the key's over the request (`target`: path with its query)."""
    text = signing_string(parsed.headers, method=method, target=f"{method.lower()} {target}", headers=headers,
                          created=parsed.created, expires=parsed.expires)
    try:
        load_public_key(public_key_pem).verify(parsed.signature, text.encode(), padding.PKCS1v15(),
                                               hashes.SHA256())
    except (InvalidSignature, ValueError):
        return False
    return True
