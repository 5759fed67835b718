"""BitTorrent metadata of video files: a `.torrent` per file with the file's URL as web seed, and
its magnet link (PeerTube's WebTorrent / P2P compatibility)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote

import torf

from vidpub.config import Config
from vidpub.storage import layout


def tracker_urls(config: Config) -> list[str]:
    if not config.tracker.enabled:
        return []
    ws = "wss" if config.webserver.https else "ws"
    return [f"{ws}://{config.host}/tracker/socket", f"{config.url}/tracker/announce"]


def _build(file_path: Path, name: str, web_seed: str, trackers: list[str], destination: Path) -> str:
    torrent = torf.Torrent(path=file_path, name=name, webseeds=[web_seed], trackers=[[t] for t in trackers],
                           created_by="PeerTube", private=False)
    torrent.generate(threads=1)
    destination.parent.mkdir(parents=True, exist_ok=True)
    temporary = destination.with_suffix(".part")
    torrent.write(temporary, overwrite=True)
    temporary.replace(destination)
    return torrent.infohash


async def create_torrent(config: Config, file_path: Path, display_name: str, file_url: str,
                         resolution: int) -> tuple[str, str]:
    """Write the torrent of `file_path`; returns (torrent filename, info hash)."""
    filename = layout.torrent_filename(resolution)
    name = f"{display_name[:200]} {resolution}p{file_path.suffix}"
    info_hash = await asyncio.to_thread(_build, file_path, name, file_url, tracker_urls(config),
                                        layout.torrent_path(config, filename))
    return filename, info_hash


def remove_torrent(config: Config, filename: str | None) -> None:
    if filename:
        layout.torrent_path(config, filename).unlink(missing_ok=True)


def magnet_uri(config: Config, info_hash: str, name: str, torrent_url: str, file_url: str) -> str:
    parts = [f"xs={quote(torrent_url, safe='')}", f"xt=urn:btih:{info_hash}", f"dn={quote(name, safe='')}"]
    parts += [f"tr={quote(tracker, safe='')}" for tracker in tracker_urls(config)]
    parts.append(f"ws={quote(file_url, safe='')}")
    return "magnet:?" + "&".join(parts)
