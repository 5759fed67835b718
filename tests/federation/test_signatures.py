"""HTTP signatures (draft-cavage) and Linked Data signatures, without a server: what is accepted and
what each check refuses."""

from __future__ import annotations

import base64
import time

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from vidpub.federation import ld_signatures
from vidpub.federation.context import with_context
from vidpub.federation.keys import generate_key_pair, load_private_key
from vidpub.federation.signatures import (SignatureError, check_request, parse_signature_header, sign_request,
                                          signing_string, verify_signature)

PUBLIC, PRIVATE = generate_key_pair(1024)
OTHER_PUBLIC, _ = generate_key_pair(1024)
URL = "https://peer.example/accounts/bob/inbox?x=1"
BODY = b'{"type":"Follow"}'


def _signed(**options) -> dict:
    return sign_request("POST", URL, key_id="https://peer.example/accounts/alice", private_key_pem=PRIVATE,
                        body=BODY, **options)


def test_a_signed_post_verifies_and_names_its_actor():
    headers = _signed()
    parsed = parse_signature_header(headers)
    assert parsed.actor_url == "https://peer.example/accounts/alice"
    assert parsed.headers == ("(request-target)", "host", "date", "digest")
    check_request(parsed, method="POST", headers=headers, body=BODY)
    assert verify_signature(parsed, PUBLIC, method="POST", target="/accounts/bob/inbox?x=1", headers=headers)
    assert not verify_signature(parsed, OTHER_PUBLIC, method="POST", target="/accounts/bob/inbox?x=1",
                                headers=headers)
    assert not verify_signature(parsed, PUBLIC, method="POST", target="/accounts/eve/inbox?x=1", headers=headers)


def test_header_forms_peers_send():
    headers = _signed()
    prefixed = {**headers, "Signature": "Signature " + headers["Signature"]}
    assert parse_signature_header(prefixed).key_id == parse_signature_header(headers).key_id
    as_authorization = {k: v for k, v in headers.items() if k != "Signature"}
    as_authorization["Authorization"] = "Signature " + headers["Signature"]
    assert parse_signature_header(as_authorization).signature == parse_signature_header(headers).signature
    mastodon = {**headers, "Signature": headers["Signature"].replace('keyId="https://peer.example/accounts/alice"',
                                                                     'keyId="https://peer.example/accounts/alice#main-key"')}
    assert parse_signature_header(mastodon).actor_url == "https://peer.example/accounts/alice"


def test_hs2019_with_created_verifies():
    created = str(int(time.time()))
    headers = {"Host": "peer.example", "Digest": _signed()["Digest"]}
    names = ("(request-target)", "(created)", "host", "digest")
    text = signing_string(names, method="POST", target="post /accounts/bob/inbox?x=1", headers=headers,
                          created=created)
    value = load_private_key(PRIVATE).sign(text.encode(), padding.PKCS1v15(), hashes.SHA256())
    headers["Signature"] = (f'keyId="https://peer.example/accounts/alice#main-key",algorithm="hs2019",'
                            f'created={created},headers="{" ".join(names)}",'
                            f'signature="{base64.b64encode(value).decode()}"').replace(
        f"created={created}", f'created="{created}"')
    parsed = parse_signature_header(headers)
    check_request(parsed, method="POST", headers=headers, body=BODY)
    assert verify_signature(parsed, PUBLIC, method="POST", target="/accounts/bob/inbox?x=1", headers=headers)


@pytest.mark.parametrize("case", ["no signature", "stale date", "future date", "digest mismatch", "no digest",
                                  "digest not signed", "unknown algorithm", "not base64"])
def test_refused_requests(case):
    headers, body = _signed(), BODY
    if case == "no signature":
        headers.pop("Signature")
    elif case == "stale date":
        headers = _signed(now=time.time() - 1801)
    elif case == "future date":
        headers = _signed(now=time.time() + 1801)
    elif case == "digest mismatch":
        body = b'{"type":"Undo"}'
    elif case == "no digest":
        headers.pop("Digest")
    elif case == "digest not signed":
        headers["Signature"] = headers["Signature"].replace('headers="(request-target) host date digest"',
                                                            'headers="(request-target) host date"')
    elif case == "unknown algorithm":
        headers["Signature"] = headers["Signature"].replace("rsa-sha256", "ed25519")
    elif case == "not base64":
        headers["Signature"] = headers["Signature"].rsplit('signature="', 1)[0] + 'signature="!!!"'
    with pytest.raises(SignatureError):
        check_request(parse_signature_header(headers), method="POST", headers=headers, body=body)


def test_ld_signature_covers_the_document():
    activity = with_context({"type": "Announce", "id": "https://peer.example/videos/watch/u/announces/1",
                             "actor": "https://peer.example/accounts/alice", "object": "https://x.example/v/1"})
    signed = ld_signatures.sign(activity, creator="https://peer.example/accounts/alice", private_key_pem=PRIVATE)
    assert signed["signature"]["type"] == "RsaSignature2017"
    assert ld_signatures.signature_creator(signed) == "https://peer.example/accounts/alice"
    assert ld_signatures.verify(signed, PUBLIC)
    assert not ld_signatures.verify(signed, OTHER_PUBLIC)
    assert not ld_signatures.verify({**signed, "object": "https://x.example/v/2"}, PUBLIC)
    # a context the bundle does not hold is never fetched: the signature simply does not verify
    assert not ld_signatures.verify({**signed, "@context": "https://evil.example/context"}, PUBLIC)
