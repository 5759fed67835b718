"""Reading a video's metadata and media from a URL with yt-dlp, used as a library in a worker thread.

yt-dlp fetches pages, manifests, media and thumbnails itself, following redirects. Every connection
it opens goes through `_PublicOnlyHTTPHandler`, which resolves the host name, refuses the whole host
if any of its addresses is not a public unicast one (loopback, private, link-local, shared, multicast,
reserved), and connects to the address it checked: neither a redirect to an internal service nor a
DNS answer changed between a check and the connection can point the server at its own network.
`federation.prevent_ssrf: false` (test and private-network instances) lifts the restriction.

Only yt-dlp's own HTTP(S) client is used — no ffmpeg or external downloader ever receives a URL
(they would bypass the check) — and only http/https URLs are accepted.
"""

from __future__ import annotations

import functools
import http.client
import ipaddress
import logging
import socket
import threading
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yt_dlp
# yt-dlp's own urllib request handler, extended below (an internal module: if its shape changes,
# tests/services/videos/test_remote_media.py says so)
from yt_dlp.networking import _urllib as ytdlp_urllib
from yt_dlp.utils import DownloadCancelled, YoutubeDLError, unsmuggle_url

log = logging.getLogger("vidpub.imports")

SOCKET_TIMEOUT_S = 30
THUMBNAIL_MAX_BYTES = 10 * 1024 * 1024


class RemoteMediaError(Exception):
    """Fetching failed; the message is meant for the user (it ends up in the import's `error`)."""


class PrivateAddressRefused(RemoteMediaError):
    def __init__(self, host: str):
        super().__init__(f"Cannot use non unicast IP as targetUrl ({host} resolves to a non-public address)")


class _AddressRefused(OSError):
    """Raised inside a connection attempt: an OSError, so that yt-dlp reports it as a network error."""
    MARK = "non-public address refused"

    def __init__(self, host: str):
        super().__init__(f"{host}: {self.MARK}")


class TooLarge(DownloadCancelled):
    """Raised from yt-dlp's progress hook: the download went past its byte budget."""

    def __init__(self, limit: int):
        super().__init__(f"The file is larger than the {limit} bytes this import may use "
                         "(user video quota or maximum file size)")


class Cancelled(DownloadCancelled):
    def __init__(self):
        super().__init__("The import was interrupted")


# -- addresses --------------------------------------------------------------------------------------

def is_public_address(address: str) -> bool:
    """A global unicast address (PeerTube accepts only "unicast" targets)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_addresses(host: str, port: int | None = None) -> list[tuple]:
    """`getaddrinfo(host)`, refused (`_AddressRefused`) if one of the addresses is not public."""
    infos = socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)
    if not infos or any(not is_public_address(info[4][0]) for info in infos):
        raise _AddressRefused(host)
    return infos


def refuse_private_host(host: str) -> None:
    """PrivateAddressRefused unless every address of `host` is public; an unknown host passes (the
    fetch fails on it later with a clearer message)."""
    try:
        public_addresses(host)
    except _AddressRefused:
        raise PrivateAddressRefused(host) from None
    except OSError:
        pass


def _connect_checked(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, *,
                     allow_private: bool) -> socket.socket:
    """`http.client`'s connection factory, connecting only to the addresses it vetted."""
    host, port = address
    if allow_private:
        return socket.create_connection(address, timeout, source_address)
    error: OSError | None = None
    for family, type_, proto, _, sockaddr in public_addresses(host, port):
        sock = socket.socket(family, type_, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError(f"cannot connect to {host}")


class _PublicOnlyHTTPHandler(ytdlp_urllib.HTTPHandler):
    """yt-dlp's urllib handler (decompression, cookies, headers) with vetted connections."""

    def __init__(self, *args, allow_private: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.allow_private = allow_private

    def _connection(self, http_class, allow_private: bool, *args, **kwargs):
        connection = http_class(*args, **kwargs)
        connection._create_connection = functools.partial(_connect_checked, allow_private=allow_private)
        if self._source_address is not None:
            connection.source_address = (self._source_address, 0)
        return connection

    def _allowed(self, req) -> bool:
        # through a proxy the admin configured (HTTP(S)_PROXY), the socket goes to the proxy, which
        # then decides where the request may go
        return self.allow_private or req.has_proxy() or bool(getattr(req, "_tunnel_host", None))

    def http_open(self, req):
        connect = functools.partial(self._connection, http.client.HTTPConnection, self._allowed(req))
        return self.do_open(connect, req)

    def https_open(self, req):
        connect = functools.partial(self._connection, http.client.HTTPSConnection, self._allowed(req))
        return self.do_open(connect, req, context=self._context)


class _PublicOnlyRH(ytdlp_urllib.UrllibRH):
    """The only request handler an import's yt-dlp gets: http(s) only, vetted connections."""
    _SUPPORTED_URL_SCHEMES = ("http", "https")

    def __init__(self, *, allow_private: bool = False, **kwargs):
        kwargs.pop("enable_file_urls", None)
        super().__init__(**kwargs)
        self.allow_private = allow_private

    def _create_instance(self, proxies, cookiejar, legacy_ssl_support=None):
        opener = urllib.request.OpenerDirector()
        for handler in (
                ytdlp_urllib.ProxyHandler(proxies),
                _PublicOnlyHTTPHandler(debuglevel=int(bool(self.verbose)),
                                       context=self._make_sslcontext(legacy_ssl_support=legacy_ssl_support),
                                       source_address=self.source_address, allow_private=self.allow_private),
                urllib.request.HTTPCookieProcessor(cookiejar),
                urllib.request.UnknownHandler(),
                urllib.request.HTTPDefaultErrorHandler(),
                urllib.request.HTTPErrorProcessor(),
                ytdlp_urllib.RedirectHandler()):
            opener.add_handler(handler)
        opener.addheaders = []
        return opener


class ImportYoutubeDL(yt_dlp.YoutubeDL):
    def __init__(self, params: dict, *, allow_private: bool):
        self._allow_private = allow_private
        super().__init__(params)

    def build_request_director(self, handlers, preferences=None):
        return super().build_request_director(
            [functools.partial(_PublicOnlyRH, allow_private=self._allow_private)], preferences)


class _QuietLogger:
    """yt-dlp's chatter goes to our debug log; its errors become exceptions anyway."""

    def debug(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)

    def info(self, message: str) -> None:
        log.debug("yt-dlp: %s", message)

    def warning(self, message: str) -> None:
        log.debug("yt-dlp warning: %s", message)

    def error(self, message: str) -> None:
        log.info("yt-dlp error: %s", message)


def _base_params(workdir: Path | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {
        "logger": _QuietLogger(), "quiet": True, "no_warnings": True, "noprogress": True,
        "noplaylist": True, "socket_timeout": SOCKET_TIMEOUT_S, "retries": 3, "fragment_retries": 3,
        "cachedir": False, "check_formats": False, "updatetime": False, "color": {"stderr": "no_color"},
        # yt-dlp's own (vetted) client only: ffmpeg handed a URL would connect wherever it likes
        "external_downloader": {"default": "native"}, "hls_prefer_native": True,
        "writesubtitles": False, "writethumbnail": False,
    }
    if workdir is not None:
        params.update(paths={"home": str(workdir), "temp": str(workdir)},
                      outtmpl={"default": "media.%(ext)s"}, overwrites=True, restrictfilenames=True)
    return params


# -- metadata ---------------------------------------------------------------------------------------

@dataclass
class RemoteInfo:
    title: str | None = None
    description: str | None = None
    tags: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    licence: str | None = None
    language: str | None = None
    age_limit: int | None = None
    thumbnail_url: str | None = None
    originally_published_at: datetime | None = None
    filesize: int | None = None      # announced size of what would be downloaded, if known
    extension: str | None = None
    remote_id: str | None = None
    media_urls: list[str] = field(default_factory=list)

    @classmethod
    def from_ytdlp(cls, info: dict[str, Any]) -> RemoteInfo:
        formats = info.get("requested_formats") or [info]
        sizes = [f.get("filesize") or f.get("filesize_approx") for f in formats]
        return cls(
            title=_text(info.get("title")), description=_text(info.get("description")),
            tags=[t for t in info.get("tags") or [] if isinstance(t, str)],
            categories=[c for c in info.get("categories") or [] if isinstance(c, str)],
            licence=_text(info.get("license")), language=_text(info.get("language")),
            age_limit=info.get("age_limit") if isinstance(info.get("age_limit"), int) else None,
            thumbnail_url=_text(info.get("thumbnail")),
            originally_published_at=_published_at(info),
            filesize=sum(sizes) if sizes and all(isinstance(s, (int, float)) for s in sizes) else None,
            extension=_text(info.get("ext")), remote_id=_text(info.get("id")),
            media_urls=[f["url"] for f in formats if isinstance(f.get("url"), str)])


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _published_at(info: dict[str, Any]) -> datetime | None:
    timestamp = info.get("timestamp")
    if isinstance(timestamp, (int, float)):
        try:
            return datetime.fromtimestamp(timestamp, UTC)
        except (OverflowError, OSError, ValueError):
            return None
    upload_date = info.get("upload_date")
    if isinstance(upload_date, str):
        try:
            return datetime.strptime(upload_date, "%Y%m%d").replace(tzinfo=UTC)
        except ValueError:
            return None
    return None


def format_selector(max_height: int | None) -> str:
    """Formats in order of preference: H.264 up to the highest resolution the ladder produces (the
    transcoder may then just copy it), else anything but AV1 / VP9 profile 2 (slow to decode), else
    the best there is. `max_height` None: no resolution cap."""
    cap = f"[height<=?{max_height}]" if max_height else ""
    choices = [f"bv*[vcodec^=avc1]{cap}+ba[ext=m4a]", f"bv*[vcodec!*=av01][vcodec!*=vp9.2]{cap}+ba",
               f"b[vcodec!*=av01][vcodec!*=vp9.2]{cap}", f"bv*{cap}+ba", f"b{cap}", "bv*+ba", "b"]
    return "/".join(dict.fromkeys(choices))


def _check_target(url: str, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteMediaError("Only http and https URLs can be imported")
    if not allow_private:
        refuse_private_host(parts.hostname)


def _single_video(info: dict[str, Any] | None) -> dict[str, Any]:
    if not info:
        raise RemoteMediaError("No video found at this URL")
    if info.get("_type") in ("playlist", "multi_video"):
        raise RemoteMediaError("This URL is a playlist: import its videos one by one")
    if info.get("is_live") or info.get("live_status") in ("is_live", "is_upcoming", "post_live"):
        raise RemoteMediaError("Cannot import a live video")
    return info


def _translated(exc: YoutubeDLError, url: str) -> RemoteMediaError:
    """yt-dlp's error as the user should read it; a refused address keeps its own kind."""
    message = str(exc.msg if getattr(exc, "msg", None) else exc)
    if _AddressRefused.MARK in message:
        return PrivateAddressRefused(urlsplit(url).hostname or url)
    return RemoteMediaError(message.removeprefix("ERROR: ").strip()[:1000] or "Cannot fetch the remote video")


def _check_media_urls(remote: RemoteInfo, allow_private: bool) -> None:
    """The media yt-dlp found may sit on other hosts than the page (PeerTube checks them too)."""
    if not allow_private:
        for media_url in remote.media_urls:
            _check_target(media_url, allow_private)


def fetch_info(url: str, *, allow_private: bool, selector: str) -> RemoteInfo:
    """What the video at `url` is (title, tags, ...), without downloading it. Blocking."""
    _check_target(url, allow_private)
    try:
        with ImportYoutubeDL({**_base_params(), "format": selector, "skip_download": True},
                              allow_private=allow_private) as ydl:
            info = _single_video(ydl.extract_info(url, download=False))
    except YoutubeDLError as exc:
        raise _translated(exc, url) from exc
    remote = RemoteInfo.from_ytdlp(info)
    _check_media_urls(remote, allow_private)
    return remote


def list_video_urls(url: str, *, allow_private: bool, limit: int) -> list[str]:
    """The page URLs of the videos of a channel or playlist at `url` (a single video: its own), at
    most `limit`, in the site's order (newest first for channels), without visiting each video
    (a channel import then imports them one by one). Blocking."""
    _check_target(url, allow_private)
    params = {**_base_params(), "noplaylist": False, "extract_flat": "in_playlist", "playlistend": max(1, limit),
              "skip_download": True}
    try:
        with ImportYoutubeDL(params, allow_private=allow_private) as ydl:
            info = ydl.extract_info(url, download=False)
    except YoutubeDLError as exc:
        raise _translated(exc, url) from exc
    if not info:
        raise RemoteMediaError("No video found at this URL")
    entries = info.get("entries") if info.get("_type") in ("playlist", "multi_video") else [info]
    urls: list[str] = []
    for entry in entries or []:
        if not isinstance(entry, dict):
            continue
        # flat entries carry the page URL in `url`, possibly with yt-dlp's private hints appended
        found, _ = unsmuggle_url(entry.get("webpage_url") or entry.get("url") or "")
        if urlsplit(found).scheme in ("http", "https") and found not in urls:
            urls.append(found)
    return urls[:limit]


def download(url: str, workdir: Path, *, allow_private: bool, selector: str, max_bytes: int, ffmpeg: str,
             cancelled: threading.Event) -> tuple[Path, RemoteInfo]:
    """Download the video at `url` into `workdir`; stops past `max_bytes` or when `cancelled` is
    set (checked as data arrives). Blocking."""
    _check_target(url, allow_private)
    received: dict[str, int] = {}
    finished: list[str] = []  # the final file, once yt-dlp merged/fixed it

    def watch(progress: dict[str, Any]) -> None:
        if cancelled.is_set():
            raise Cancelled()
        announced = progress.get("total_bytes") or progress.get("total_bytes_estimate")
        received[progress.get("filename") or ""] = int(progress.get("downloaded_bytes") or 0)
        if sum(received.values()) > max_bytes or (announced and announced > max_bytes):
            raise TooLarge(max_bytes)

    params = {**_base_params(workdir), "format": selector, "progress_hooks": [watch],
              "post_hooks": [finished.append],
              "merge_output_format": "mp4/mkv", "ffmpeg_location": ffmpeg}
    try:
        with ImportYoutubeDL(params, allow_private=allow_private) as ydl:
            info = _single_video(ydl.extract_info(url, download=False))
            remote = RemoteInfo.from_ytdlp(info)
            if remote.filesize is not None and remote.filesize > max_bytes:
                raise TooLarge(max_bytes)
            _check_media_urls(remote, allow_private)
            ydl.process_info(info)
    except DownloadCancelled as exc:
        raise RemoteMediaError(exc.msg) from exc
    except YoutubeDLError as exc:
        raise _translated(exc, url) from exc
    path = Path(finished[-1]) if finished else None
    if path is None or not path.is_file():
        raise RemoteMediaError("The remote video could not be downloaded")
    if path.stat().st_size > max_bytes:
        raise RemoteMediaError(TooLarge(max_bytes).msg)
    return path, remote


def download_image(url: str, destination: Path, *, allow_private: bool,
                   max_bytes: int = THUMBNAIL_MAX_BYTES) -> bool:
    """Fetch a thumbnail with the same vetted client; False if it cannot be had. Blocking."""
    try:
        _check_target(url, allow_private)
        with ImportYoutubeDL(_base_params(), allow_private=allow_private) as ydl:
            response = ydl.urlopen(url)
            data = response.read(max_bytes + 1)
            response.close()
    except (RemoteMediaError, YoutubeDLError, OSError) as exc:
        log.info("cannot fetch the thumbnail %s: %s", url, exc)
        return False
    if not data or len(data) > max_bytes:
        return False
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(data)
    return True
