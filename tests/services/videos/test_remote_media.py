"""yt-dlp as the import's fetcher: it only ever connects to public addresses (unless allowed), only
speaks http(s), and stops at its byte budget or when cancelled."""

from __future__ import annotations

import threading

import pytest

from tests.support.media import ffmpeg
from vidpub.services.videos import remote_media


@pytest.mark.parametrize("address,public", [
    ("93.184.215.14", True), ("2606:4700::6810:85e5", True),
    ("127.0.0.1", False), ("10.0.0.1", False), ("172.16.3.4", False), ("192.168.1.1", False),
    ("169.254.169.254", False), ("100.64.0.1", False), ("0.0.0.0", False), ("224.0.0.1", False),
    ("::1", False), ("fe80::1%1", False), ("fc00::1", False), ("::ffff:127.0.0.1", False), ("ff02::1", False),
])
def test_public_addresses(address, public):
    assert remote_media.is_public_address(address) is public


def test_every_connection_is_checked_not_only_the_first_url(media_host):
    """The check sits where sockets are opened, so redirects and later requests go through it too:
    here the URL check is bypassed by asking yt-dlp's client directly."""
    url = media_host.base_url + "/clip.mp4"
    with remote_media.ImportYoutubeDL(remote_media._base_params(), allow_private=False) as ydl:
        with pytest.raises(Exception) as refused:
            ydl.urlopen(url)
    assert remote_media._AddressRefused.MARK in str(refused.value)
    with remote_media.ImportYoutubeDL(remote_media._base_params(), allow_private=True) as ydl:
        response = ydl.urlopen(url)
        assert response.read(4) == media_host.routes["/clip.mp4"].body[:4]
        response.close()


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/v.mp4", "data:video/mp4;base64,AAAA",
                                 "http:///nohost"])
def test_only_http_urls(url):
    with pytest.raises(remote_media.RemoteMediaError):
        remote_media.fetch_info(url, allow_private=True, selector=remote_media.format_selector(None))


def test_private_targets_are_refused_before_any_request(media_host):
    before = media_host.routes["/clip.mp4"].served
    with pytest.raises(remote_media.PrivateAddressRefused):
        remote_media.fetch_info(media_host.base_url + "/clip.mp4", allow_private=False,
                                selector=remote_media.format_selector(None))
    assert media_host.routes["/clip.mp4"].served == before


def test_download_within_budget(media_host, tmp_path):
    path, info = remote_media.download(media_host.base_url + "/clip.mp4", tmp_path, allow_private=True,
                                       selector=remote_media.format_selector(720), max_bytes=10**9,
                                       ffmpeg=ffmpeg(), cancelled=threading.Event())
    assert path.read_bytes() == media_host.routes["/clip.mp4"].body
    assert info.title == "clip"


def test_download_stops_past_its_budget(media_host, tmp_path):
    with pytest.raises(remote_media.RemoteMediaError, match="larger than the 1000 bytes"):
        remote_media.download(media_host.base_url + "/clip.mp4", tmp_path, allow_private=True,
                              selector=remote_media.format_selector(None), max_bytes=1000, ffmpeg=ffmpeg(),
                              cancelled=threading.Event())


def test_download_stops_when_cancelled(media_host, tmp_path):
    cancelled = threading.Event()
    cancelled.set()
    with pytest.raises(remote_media.RemoteMediaError, match="interrupted"):
        remote_media.download(media_host.base_url + "/clip.mp4", tmp_path, allow_private=True,
                              selector=remote_media.format_selector(None), max_bytes=10**9, ffmpeg=ffmpeg(),
                              cancelled=cancelled)
