"""Reading remote ActivityPub documents, and the address check every outgoing federation request
passes (fetches and deliveries alike).

A URL is refused when it is not http(s), or when its host resolves to any address that is not a
public unicast one (loopback, private, link-local...), unless `federation.prevent_ssrf` is false
(tests, private networks). Redirects are followed by hand, each hop checked again. Responses are
read up to `MAX_RESPONSE_BYTES` within `TIMEOUT_S` (PeerTube's default request timeout).

The check resolves the name before httpx connects (which resolves it again): an attacker-run DNS
server answering differently within that instant could still win; the window is small.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import os
import socket
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import httpx

from vidpub.config import Config
from vidpub.federation.fetch_first import prefetched
from vidpub.federation.signatures import sign_request
from vidpub.services.videos.remote_media import is_public_address

if TYPE_CHECKING:
    from vidpub.db.models import Actor

AP_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
AP_CONTENT_TYPES = ("application/activity+json", "application/ld+json", "application/json", "application/jrd+json")
TIMEOUT_S = 7.0
MAX_RESPONSE_BYTES = 5 * 1024 * 1024
MAX_REDIRECTS = 3
USER_AGENT = "Vidpub (PeerTube compatible; +https://joinpeertube.org)"


class FetchError(Exception):
    """The document could not be read; `status` is the remote's HTTP status when there was one."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class PrivateAddressError(FetchError):
    pass


_clients: dict[int, httpx.AsyncClient] = {}


def http_client() -> httpx.AsyncClient:
    """One pooled client per event loop (keeps connections to busy peers open)."""
    loop = asyncio.get_running_loop()
    client = _clients.get(id(loop))
    if client is None or client.is_closed:
        _clients.clear()  # a previous loop's client cannot be used from this one
        client = _clients[id(loop)] = httpx.AsyncClient(
            timeout=TIMEOUT_S, follow_redirects=False, headers={"User-Agent": USER_AGENT},
            limits=httpx.Limits(max_connections=200, max_keepalive_connections=50))
    return client


async def check_url_allowed(config: Config, url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"not an http(s) URL: {url[:200]}")
    if not config.federation.prevent_ssrf:
        return
    host = parts.hostname
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError as error:
            raise FetchError(f"cannot resolve {host}: {error}") from None
        addresses = [info[4][0] for info in infos]
    if not addresses or not all(is_public_address(address) for address in addresses):
        raise PrivateAddressError(f"{host} resolves to a non-public address: refused")


async def _read_limited(response: httpx.Response) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_RESPONSE_BYTES:
            raise FetchError(f"response larger than {MAX_RESPONSE_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


async def download_file(config: Config, url: str, destination: Path, *, max_bytes: int,
                        accept: str = "*/*", timeout: float = TIMEOUT_S) -> int:
    """GET `url` into `destination` (written whole or not at all); returns its size. Refused past
    `max_bytes` or `timeout` seconds; redirects are not followed (files are fetched at the URLs their
    origin published)."""
    await check_url_allowed(config, url)
    temporary = destination.with_name(destination.name + ".part")
    destination.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    try:
        async with asyncio.timeout(timeout):
            async with http_client().stream("GET", url, headers={"Accept": accept}) as response:
                if response.status_code != 200:
                    raise FetchError(f"GET {url[:200]}: HTTP {response.status_code}", response.status_code)
                with temporary.open("wb") as out:
                    async for chunk in response.aiter_bytes():
                        size += len(chunk)
                        if size > max_bytes:
                            raise FetchError(f"GET {url[:200]}: larger than {max_bytes} bytes")
                        out.write(chunk)
        os.replace(temporary, destination)
    except httpx.HTTPError as error:
        raise FetchError(f"GET {url[:200]}: {type(error).__name__}") from None
    except TimeoutError:
        raise FetchError(f"GET {url[:200]}: not read within {timeout} s") from None
    finally:
        temporary.unlink(missing_ok=True)
    return size


async def fetch_json(config: Config, url: str, *, signer: Actor | None = None, accept: str = AP_ACCEPT) -> dict:
    """GET a JSON document, signed by `signer` when it is a local actor with keys (unsigned otherwise:
    callers pass the instance's actor as it is, keys or not). Within
    `fetch_first.transaction_fetching_first`, answered from the documents its rounds read."""
    signing_key = (signer.url, signer.private_key) if signer is not None and signer.private_key else None
    known = prefetched(url, accept, signing_key)
    if known is not None:
        return known
    return await read_json(config, url, signing_key=signing_key, accept=accept)


async def read_json(config: Config, url: str, *, signing_key: tuple[str, str] | None = None,
                    accept: str = AP_ACCEPT) -> dict:
    """GET a JSON document from the network, signed with `signing_key` (key id, private key PEM)."""
    for _ in range(MAX_REDIRECTS + 1):
        await check_url_allowed(config, url)
        headers = {"Accept": accept}
        if signing_key is not None:
            headers = sign_request("GET", url, key_id=signing_key[0], private_key_pem=signing_key[1],
                                   headers=headers)
        try:
            async with http_client().stream("GET", url, headers=headers) as response:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code >= 400:
                    raise FetchError(f"GET {url[:200]}: HTTP {response.status_code}", response.status_code)
                body = await _read_limited(response)
        except httpx.HTTPError as error:
            raise FetchError(f"GET {url[:200]}: {type(error).__name__} {error}") from None
        try:
            document = json.loads(body)
        except ValueError:
            raise FetchError(f"GET {url[:200]}: not JSON") from None
        if not isinstance(document, dict):
            raise FetchError(f"GET {url[:200]}: not a JSON object")
        return document
    raise FetchError(f"GET {url[:200]}: too many redirects")


async def post_activity(config: Config, inbox: str, body: bytes, *, signer_url: str, private_key_pem: str) -> int:
    """Deliver one signed activity; returns the HTTP status (raises FetchError on network errors)."""
    await check_url_allowed(config, inbox)
    headers = sign_request("POST", inbox, key_id=signer_url, private_key_pem=private_key_pem, body=body,
                           headers={"Content-Type": "application/activity+json",
                                    "Accept": "application/activity+json, application/ld+json"})
    try:
        # the answer's body is never read: a peer cannot make us download anything
        async with http_client().stream("POST", inbox, content=body, headers=headers) as response:
            return response.status_code
    except httpx.HTTPError as error:
        raise FetchError(f"POST {inbox[:200]}: {type(error).__name__} {error}") from None
