"""Remote videos as rows: a `Video` (remote) with its tags, thumbnails, web-video files and HLS
playlist whose URLs point to the origin, captions and storyboard — so the lists, the search and
`/videos/{id}` show them as they show local ones, with files that play from the origin.

`store_remote_video` creates or refreshes one from a checked `RemoteVideoData`: the files,
thumbnails and captions are replaced as a whole (PeerTube does the same on update), in the
caller's transaction. A video id already known locally, or a UUID taken by another video, is refused.
`video_from_object` does the whole path from a received object (its channel fetched when unknown);
`video_from_url` finds a video by its ActivityPub id, fetching an unknown remote one (comments,
playlist elements, likes and search use it).
"""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (
    ActorType,
    Storyboard,
    Thumbnail,
    ThumbnailType,
    Video,
    VideoCaption,
    VideoChannel,
    VideoFile,
    VideoStreamingPlaylist,
)
from vidpub.federation.ap.common import InvalidObject, host_of, same_host
from vidpub.federation.ap.video_links import RemoteFile
from vidpub.federation.ap.video_parse import RemoteImage, RemoteVideoData, video_from_ap
from vidpub.federation.fetch import FetchError, fetch_json
from vidpub.federation.remote_actors import ActorError, actor_from_url, server_actor
from vidpub.services.videos.creation import tags_by_name
from vidpub.storage import layout

log = logging.getLogger("vidpub.federation.videos")

# PeerTube refreshes a remote video read through its URL when its copy is older than this
REFRESH_AFTER = timedelta(days=2)


class RemoteVideoError(Exception):
    """The video cannot be found, fetched or stored (the message says why)."""

# columns copied as they are from the remote object
_FIELDS = ("name", "category", "licence", "language", "privacy", "nsfw", "nsfw_flags", "nsfw_summary",
           "description", "support", "duration", "aspect_ratio", "views", "downloads", "is_live", "state",
           "wait_transcoding", "comments_policy", "download_enabled", "published_at", "originally_published_at")


async def delete_remote_video(session: AsyncSession, config: Config, video: Video) -> None:
    """Drop a remote video's rows; the images fetched from its origin are a cache, removed at once
    (fetched again if the transaction rolls back)."""
    from vidpub.services.videos import files

    cached = await files.snapshot_files(session, config, video)
    await session.execute(sa.delete(Video).where(Video.id == video.id))
    await files.remove_all_files(config, cached)


async def find_by_url(session: AsyncSession, url: str, options=()) -> Video | None:
    return (await session.execute(sa.select(Video).options(*options).where(Video.url == url))).scalar_one_or_none()


async def store_remote_video(session: AsyncSession, config: Config, data: RemoteVideoData,
                             channel: VideoChannel) -> tuple[Video, bool]:
    """(the video, True when it was created). `channel` is the remote channel the object is
    attributed to. Flushed, not committed."""
    if channel.actor.server_id is None:
        raise InvalidObject("a remote video cannot belong to a local channel")
    video = await find_by_url(session, data.url, (selectinload(Video.tags), selectinload(Video.thumbnails)))
    created = video is None
    if video is None:
        taken = (await session.execute(sa.select(Video.id).where(Video.uuid == data.uuid))).scalar_one_or_none()
        if taken is not None:
            raise InvalidObject(f"uuid {data.uuid} is already used by another video")
        video = Video(uuid=data.uuid, url=data.url, remote=True, channel_id=channel.id, tags=[], thumbnails=[],
                      created_at=data.published_at)
        session.add(video)
    elif not video.remote:
        raise InvalidObject("a remote object cannot update a local video")
    elif video.channel_id != channel.id:
        current = await session.get(VideoChannel, video.channel_id)
        if current is None or current.actor.server_id != channel.actor.server_id:
            raise InvalidObject("a video cannot move to a channel of another server")
        video.channel_id = channel.id
    for name in _FIELDS:
        setattr(video, name, getattr(data, name))
    video.updated_at = data.updated_at
    video.input_file_updated_at = data.updated_at
    video.tags = await tags_by_name(session, data.tags)
    _set_thumbnails(config, video, data.miniature, data.preview)
    await session.flush()
    await _replace_files(session, video, data)
    await _replace_captions(session, video, data)
    await _replace_storyboard(session, video, data)
    await session.flush()
    return video, created


def _set_thumbnails(config: Config, video: Video, miniature: RemoteImage | None, preview: RemoteImage | None) -> None:
    """Remote thumbnails keep their origin URL and are fetched on their first request (`remote_images`).
    A new URL gets a new file name, so that no one is served the former image; the former file, or the
    file of a thumbnail the origin dropped, goes at once: a row still naming it (a transaction that does
    not commit) fetches it again when asked."""
    wanted = {ThumbnailType.MINIATURE: miniature, ThumbnailType.PREVIEW: preview}
    kept = []
    for row in video.thumbnails:
        image = wanted.pop(row.type, None)
        if image is None or row.file_url != image.url:
            _forget_thumbnail_file(config, row)
        if image is None:
            continue
        if row.file_url != image.url:
            row.filename, row.file_url, row.on_disk = layout.image_filename(), image.url, False
        row.width, row.height = image.width, image.height
        kept.append(row)
    for kind, image in wanted.items():
        if image is not None:
            kept.append(Thumbnail(type=kind, filename=layout.image_filename(), file_url=image.url, on_disk=False,
                                  width=image.width, height=image.height, automatically_generated=False))
    video.thumbnails = kept


def _forget_thumbnail_file(config: Config, row: Thumbnail) -> None:
    place = layout.preview_path if row.type == ThumbnailType.PREVIEW else layout.thumbnail_path
    with contextlib.suppress(OSError):
        place(config, row.filename).unlink()


_FILE_FIELDS = ("resolution", "width", "height", "fps", "size", "extname", "torrent_url", "info_hash", "metadata_url",
                "format_flags", "stream_flags")


def _file_row(file: RemoteFile, **owner) -> VideoFile:
    return VideoFile(filename=layout.random_name() + file.extname, file_url=file.file_url,
                     **{name: getattr(file, name) for name in _FILE_FIELDS}, **owner)


def _match_rows(rows: list[VideoFile], files: list[RemoteFile]) -> tuple[list[RemoteFile], list[VideoFile]]:
    """(the files with no row yet, the rows of files no longer listed). A row whose file is still listed
    (same URL) is updated in place, keeping its id and local name, as PeerTube does: a refresh or an
    Update must not pull rows from under whatever uses them (a copy being made, a player's request)."""
    by_url: dict[str, VideoFile] = {}
    stale = []
    for row in rows:
        if row.file_url in by_url:
            stale.append(row)  # a second row of the same file
        else:
            by_url[row.file_url] = row
    new = []
    for file in files:
        row = by_url.pop(file.file_url, None)
        if row is None:
            new.append(file)
            continue
        for name in _FILE_FIELDS:
            setattr(row, name, getattr(file, name))
    return new, stale + list(by_url.values())


async def _replace_files(session: AsyncSession, video: Video, data: RemoteVideoData) -> None:
    """The video's file rows follow the object's files (`_match_rows`); the HLS playlist row is updated
    in place too (its id stays, and with it the redundancies of the playlist), and removed only when
    the video has no HLS files any more."""
    playlist = (await session.execute(sa.select(VideoStreamingPlaylist).where(
        VideoStreamingPlaylist.video_id == video.id))).scalar_one_or_none()
    owned = [VideoFile.video_id == video.id]
    if playlist is not None:
        owned.append(VideoFile.video_streaming_playlist_id == playlist.id)
    rows = list((await session.execute(sa.select(VideoFile).where(sa.or_(*owned)))).scalars())
    hls_files = data.hls.files if data.hls is not None else []
    new_web, stale_web = _match_rows([row for row in rows if row.video_streaming_playlist_id is None], data.web_files)
    new_hls, stale_hls = _match_rows([row for row in rows if row.video_streaming_playlist_id is not None], hls_files)
    for row in stale_web + stale_hls:
        await session.delete(row)
    await session.flush()  # the names of the rows gone are free for the new ones
    session.add_all(_file_row(file, video_id=video.id) for file in new_web)
    if not hls_files:
        if playlist is not None:
            await session.delete(playlist)
        return
    master = data.hls.playlist_url
    sha = data.hls.segments_sha256_url or master.rsplit("/", 1)[0] + "/segments-sha256.json"
    if playlist is None:
        playlist = VideoStreamingPlaylist(video_id=video.id)
        session.add(playlist)
    playlist.playlist_filename = master.rsplit("/", 1)[1][:255] or "master.m3u8"
    playlist.segments_sha256_filename = sha.rsplit("/", 1)[1][:255] or "segments-sha256.json"
    playlist.playlist_url, playlist.segments_sha256_url = master, sha
    playlist.p2p_media_loader_infohashes = data.hls.infohashes
    await session.flush()
    for file in new_hls:
        row = _file_row(file, video_streaming_playlist_id=playlist.id)
        # the API derives each rendition's playlist from the file name beside the master
        row.filename = file.filename if not await _filename_taken(session, file.filename) else row.filename
        session.add(row)


async def _filename_taken(session: AsyncSession, filename: str) -> bool:
    return (await session.execute(sa.select(VideoFile.id).where(VideoFile.filename == filename))).first() is not None


async def _replace_captions(session: AsyncSession, video: Video, data: RemoteVideoData) -> None:
    await session.execute(sa.delete(VideoCaption).where(VideoCaption.video_id == video.id))
    session.add_all(VideoCaption(video_id=video.id, language=caption.language,
                                 filename=layout.caption_filename(caption.language), file_url=caption.url,
                                 automatically_generated=caption.automatically_generated)
                    for caption in data.captions)


async def _replace_storyboard(session: AsyncSession, video: Video, data: RemoteVideoData) -> None:
    await session.execute(sa.delete(Storyboard).where(Storyboard.video_id == video.id))
    board = data.storyboard
    if board is not None:
        session.add(Storyboard(video_id=video.id, filename=layout.image_filename(), file_url=board.url,
                               total_width=board.total_width, total_height=board.total_height,
                               sprite_width=board.sprite_width, sprite_height=board.sprite_height,
                               sprite_duration=board.sprite_duration))


# -- from a received object or a URL ------------------------------------------------------------------

async def channel_of(session: AsyncSession, config: Config, data: RemoteVideoData) -> VideoChannel:
    """The remote channel the video is attributed to, fetched and stored when unknown."""
    try:
        actor = await actor_from_url(session, config, data.channel_url)
    except ActorError as error:
        raise RemoteVideoError(f"the video's channel cannot be used: {error}") from None
    if actor.type != ActorType.GROUP or actor.is_local:
        raise RemoteVideoError("the video is not attributed to a remote channel")
    channel = (await session.execute(sa.select(VideoChannel).where(VideoChannel.actor_id == actor.id))
               ).scalar_one_or_none()
    if channel is None:
        raise RemoteVideoError("the video's channel is not stored")
    return channel


async def video_from_object(session: AsyncSession, config: Config, obj: dict) -> tuple[Video, bool]:
    """Check and store a received `Video` object: (the video, True when new)."""
    try:
        data = video_from_ap(obj)
    except InvalidObject as error:
        raise RemoteVideoError(f"invalid Video object: {error}") from None
    if host_of(data.url) == config.host.lower():
        raise RemoteVideoError("a remote object cannot describe a local video")
    channel = await channel_of(session, config, data)
    try:
        return await store_remote_video(session, config, data, channel)
    except InvalidObject as error:
        raise RemoteVideoError(str(error)) from None


class RemoteVideoGone(RemoteVideoError):
    """The origin says the video does not exist (404, 410 or a Tombstone)."""


async def fetch_video_object(session: AsyncSession, config: Config, url: str) -> dict:
    instance = await server_actor(session)
    try:
        obj = await fetch_json(config, url, signer=instance)
    except FetchError as error:
        if error.status in (404, 410):
            raise RemoteVideoGone(f"{url[:200]} is gone") from None
        raise RemoteVideoError(f"cannot fetch {url[:200]}: {error}") from None
    if obj.get("type") == "Tombstone":
        raise RemoteVideoGone(f"{url[:200]} was deleted")
    if not isinstance(obj.get("id"), str) or not same_host(obj["id"], url):
        raise RemoteVideoError("the fetched video's id is not on the host it came from")
    return obj


async def video_from_url(session: AsyncSession, config: Config, url: str, *, refresh: bool = False) -> Video:
    """The video whose ActivityPub id is `url`: a local one, a stored remote one (refreshed from its
    origin when older than two days, or when `refresh`, the stored copy kept if that fails), or a
    remote one fetched and stored now. Raises `RemoteVideoError`."""
    video = await find_by_url(session, url)
    if video is not None and (video.is_local or (not refresh and utcnow() - video.updated_at < REFRESH_AFTER)):
        return video
    if video is None and host_of(url) == config.host.lower():
        raise RemoteVideoError("no such local video")
    try:
        obj = await fetch_video_object(session, config, url)
        if obj.get("id") != url and video is None:
            known = await find_by_url(session, obj["id"])
            if known is not None:
                return known
        video = (await video_from_object(session, config, obj))[0]
    except RemoteVideoGone:
        if video is not None and video.remote:  # deleted at its origin: our copy goes too (PeerTube)
            await delete_remote_video(session, config, video)
            log.info("remote video %s is gone at its origin: deleted", url)
        raise
    except RemoteVideoError:
        if video is not None and not refresh:
            log.info("refresh of %s failed: keeping the stored copy", url)
            return video
        raise
    video.updated_at = utcnow()  # fresh: read again in two days (PeerTube touches it the same way)
    await session.flush()
    return video


async def resolve_searched_video(runtime, user, text: str | None) -> bool:
    """`GET /search/videos?search=<URL>`: fetch and store the remote video the URL names (see
    `search_resolution.resolve_remote_object`)."""
    from vidpub.federation.search_resolution import resolve_remote_object

    return await resolve_remote_object(runtime, user, text, video_from_url, RemoteVideoError, "video")
