"""Video imports from a URL: the request (checks, remote metadata, the video row in TO_IMPORT and the
`video-import` job), the user's list of imports, cancelling and deleting them.

As in PeerTube, the URL is read once while the request is answered — an unreachable URL is refused
with 400 at once — and the media is downloaded by the job (`import_job.py`). Torrent and magnet
imports are refused: Vidpub has no BitTorrent client.
"""

from __future__ import annotations

import asyncio
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import User, Video, VideoImport, VideoImportState, VideoState
from vidpub.errors import ProblemError, bad_request, conflict, forbidden, not_found
from vidpub.jobs.queue import enqueue
from vidpub.schemas.video_create import NAME_LENGTH, TAG_LENGTH, TAGS_MAX, DESCRIPTION_MAX
from vidpub.schemas.video_imports import VideoImportCreate, VideoImportJson, import_state
from vidpub.services import constants, quota
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.videos import creation, loading, remote_media

IMPORT_JOB = "video-import"
UNKNOWN_NAME = "Unknown name"
DEFAULT_MAX_RESOLUTION = 720  # the format asked for when no resolution of the ladder is enabled
IMAGE_FIELDS = ("thumbnailfile", "previewfile")


@dataclass
class ImportImages:
    """Images sent with the request (already checked), as temporary files to take over."""
    thumbnail: Path | None = None
    preview: Path | None = None


# -- settings ---------------------------------------------------------------------------------------

def allow_private_addresses(config: Config) -> bool:
    """`federation.prevent_ssrf: false` lets imports reach loopback and private networks (tests,
    instances inside a private network); the default refuses them."""
    return not bool(config.federation.prevent_ssrf)


def format_selector(config: Config) -> str:
    """The best format, or when the original resolution is not kept, no more than the highest
    resolution the ladder produces (PeerTube's choice)."""
    if config.transcoding.get("always_transcode_original_resolution", True):
        return remote_media.format_selector(None)
    enabled = [int(key[:-1]) for key, on in (config.transcoding.resolutions or {}).items()
               if on and key.endswith("p") and key[:-1].isdigit() and int(key[:-1]) > 0]
    return remote_media.format_selector(max(enabled) if enabled else DEFAULT_MAX_RESOLUTION)


def pending_images_dir(config: Config) -> Path:
    """Images given with an import wait here (shared by API and worker processes) for the job."""
    return config.storage_path("tmp_persistent") / "video-imports"


def pending_image_path(config: Config, import_id: int, field: str) -> Path:
    return pending_images_dir(config) / f"{import_id}-{field}"


# -- creating an import -----------------------------------------------------------------------------

def ensure_import_kind_allowed(config: Config, body: VideoImportCreate, has_torrent_file: bool) -> None:
    """PeerTube's order: disabled kinds are a 409, then a request naming no source is a 400."""
    videos = config["import"].videos  # `import` is a Python keyword: no attribute access
    if body.targetUrl and not videos.http.enabled:
        raise conflict("HTTP import is not enabled on this instance.")
    if (body.magnetUri or has_torrent_file) and not videos.torrent.enabled:
        raise conflict("Torrent/magnet URI import is not enabled on this instance.")


def ensure_has_source(body: VideoImportCreate, has_torrent_file: bool) -> None:
    if not body.targetUrl and not body.magnetUri and not has_torrent_file:
        raise bad_request("Should have a magnetUri or a targetUrl or a torrent file.")


def refuse_torrent_import() -> ProblemError:
    return conflict("Torrent/magnet URI import is not supported by this instance: it has no BitTorrent "
                    "client. Import from an HTTP(S) URL instead.")


async def fetch_remote_info(config: Config, url: str) -> remote_media.RemoteInfo:
    """The remote video's metadata: 403 for a non-public address, 400 when it cannot be read."""
    try:
        return await asyncio.to_thread(remote_media.fetch_info, url, selector=format_selector(config),
                                       allow_private=allow_private_addresses(config))
    except remote_media.PrivateAddressRefused:
        raise forbidden("Cannot use non unicast IP as targetUrl.") from None
    except remote_media.RemoteMediaError as exc:
        raise bad_request("Cannot fetch remote information of this URL.", targetUrl=url,
                          reason=str(exc)) from None


def _remote_name(title: str | None) -> str:
    name = (title or "").strip()[:NAME_LENGTH[1]].strip()
    return name if len(name) >= NAME_LENGTH[0] else UNKNOWN_NAME


def _remote_category(categories: list[str]) -> int | None:
    if not categories:
        return None
    if categories[0] == "News & Politics":
        return 11
    return next((key for key, label in constants.VIDEO_CATEGORIES.items() if label == categories[0]), None)


def _remote_licence(licence: str | None) -> int | None:
    if not licence:
        return None
    if "Creative Commons Attribution" in licence:
        return 1
    return next((key for key, label in constants.VIDEO_LICENCES.items() if label == licence), None)


def _remote_tags(tags: list[str]) -> list[str]:
    valid = [tag.strip() for tag in tags if TAG_LENGTH[0] <= len(tag.strip()) <= TAG_LENGTH[1]]
    return list(dict.fromkeys(valid))[:TAGS_MAX]


def _date_only(value: datetime | None) -> datetime | None:
    return value.replace(hour=0, minute=0, second=0, microsecond=0) if value else None


def merge_remote_metadata(body: VideoImportCreate, remote: remote_media.RemoteInfo) -> VideoImportCreate:
    """What the user gave wins; the rest comes from the remote video, as PeerTube fills it (an
    import waits for transcoding unless told otherwise)."""
    language = remote.language if remote.language in constants.video_languages() else None
    updates = {
        "name": body.name or _remote_name(remote.title),
        "description": body.description or ((remote.description or "")[:DESCRIPTION_MAX] or None),
        "tags": body.tags if body.tags is not None else _remote_tags(remote.tags),
        "category": body.category if body.category is not None else _remote_category(remote.categories),
        "licence": body.licence if body.licence is not None else _remote_licence(remote.licence),
        "language": body.language or language,
        "nsfw": body.nsfw or bool(remote.age_limit and remote.age_limit >= 16),
        "waitTranscoding": True if body.waitTranscoding is None else body.waitTranscoding,
        "originallyPublishedAt": body.originallyPublishedAt or _date_only(remote.originally_published_at),
    }
    return body.model_copy(update=updates)


async def create_import(session: AsyncSession, config: Config, user: User, body: VideoImportCreate, *,
                        has_torrent_file: bool, images: ImportImages) -> VideoImport:
    """PeerTube's checks in its order (disabled kind 409, channel, missing source 400, non-public
    address 403, unreadable URL 400), then the video (TO_IMPORT), the import row and its job in one
    transaction. The images given are moved aside for the job."""
    ensure_import_kind_allowed(config, body, has_torrent_file)
    await creation.find_channel_for_upload(session, user, body.channelId)
    ensure_has_source(body, has_torrent_file)
    if not body.targetUrl:
        raise refuse_torrent_import()
    # the network read below must not hold the database (SQLite: the write lock) meanwhile
    await session.commit()
    remote = await fetch_remote_info(config, body.targetUrl)
    if remote.filesize is not None:
        await quota.ensure_quota(session, user, remote.filesize)
    attrs = merge_remote_metadata(body, remote)
    video = await creation.create_video_record(session, config, user, attrs, state=VideoState.TO_IMPORT)
    record = VideoImport(target_url=body.targetUrl, state=VideoImportState.PENDING, user_id=user.id,
                         video_id=video.id, attempts=0,
                         attributes={"request": body.model_dump(mode="json", exclude_unset=True,
                                                                 exclude={"videoPasswords"}),
                                     "thumbnailUrl": remote.thumbnail_url, "fileExt": remote.extension,
                                     "remoteId": remote.remote_id})
    session.add(record)
    await session.flush()
    placed: list[Path] = []
    try:
        for field, source in (("thumbnailfile", images.thumbnail), ("previewfile", images.preview)):
            if source is not None:
                destination = pending_image_path(config, record.id, field)
                await asyncio.to_thread(_move, source, destination)
                placed.append(destination)
        enqueue(session, IMPORT_JOB, {"type": "youtube-dl", "videoImportId": record.id,
                                      "preventException": False, "fileExt": remote.extension,
                                      "generateTranscription": bool(body.generateTranscription)})
        await session.commit()
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise
    return record


def _move(source: Path, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(source, destination)


# -- listing and managing -----------------------------------------------------------------------------

SORTABLE = frozenset({"createdAt"})


async def list_user_imports(session: AsyncSession, user_id: int, *, start: int, count: int, sort: str,
                            target_url: str | None = None, search: str | None = None,
                            import_id: int | None = None,
                            video_id: int | None = None) -> tuple[int, list[VideoImport]]:
    """The user's imports, newest first by default; `search` matches the video's name."""
    query = sa.select(VideoImport).where(VideoImport.user_id == user_id)
    if target_url:
        query = query.where(VideoImport.target_url == target_url)
    if import_id is not None:
        query = query.where(VideoImport.id == import_id)
    if video_id is not None:
        query = query.where(VideoImport.video_id == video_id)
    if search:
        pattern = "%" + search.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.join(Video, Video.id == VideoImport.video_id).where(
            sa.func.lower(Video.name).like(pattern, escape="\\"))
    total = (await session.execute(sa.select(sa.func.count()).select_from(query.subquery()))).scalar_one()
    columns = (VideoImport.created_at, VideoImport.id)  # the only sort PeerTube offers: createdAt
    order = [column.desc() if sort.startswith("-") else column.asc() for column in columns]
    rows = (await session.execute(query.order_by(*order).offset(start).limit(count))).scalars().all()
    return int(total), list(rows)


async def get_manageable_import(session: AsyncSession, user: User, import_id: int) -> VideoImport:
    """404 unknown, 403 another user's (unless the user holds MANAGE_VIDEO_IMPORTS)."""
    record = await session.get(VideoImport, import_id, with_for_update=True)
    if record is None:
        raise not_found("Video import not found")
    if record.user_id != user.id and not has_right(user.role, UserRight.MANAGE_VIDEO_IMPORTS):
        raise forbidden("Cannot manage video import of another user")
    return record


async def delete_import(session: AsyncSession, config: Config, user: User, import_id: int) -> None:
    """Forget an import that is no longer pending; its video stays."""
    record = await get_manageable_import(session, user, import_id)
    if record.state == VideoImportState.PENDING:
        raise conflict("Cannot delete a pending video import. "
                       "Cancel it or wait for the end of the import first.")
    await session.delete(record)
    await session.commit()
    await asyncio.to_thread(remove_pending_images, config, import_id)


async def cancel_import(session: AsyncSession, config: Config, user: User, import_id: int) -> None:
    """Stop a pending import before its job starts (the job then does nothing)."""
    record = await get_manageable_import(session, user, import_id)
    if record.state != VideoImportState.PENDING:
        raise conflict("Cannot cancel a non pending video import.")
    record.state = VideoImportState.CANCELLED
    await session.commit()
    await asyncio.to_thread(remove_pending_images, config, import_id)


def remove_pending_images(config: Config, import_id: int) -> None:
    for field in IMAGE_FIELDS:
        pending_image_path(config, import_id, field).unlink(missing_ok=True)


# -- JSON -------------------------------------------------------------------------------------------------

async def imports_json(session: AsyncSession, config: Config,
                       records: list[VideoImport]) -> list[VideoImportJson]:
    """PeerTube's `VideoImport` of each record, its video (with tags) loaded for the whole page at once."""
    videos = await loading.load_videos(session, [r.video_id for r in records if r.video_id is not None])
    items = await loading.videos_json(session, config, videos, tags=True)
    by_id = {item.id: item for item in items}
    out = []
    for record in records:
        video = by_id.get(record.video_id) if record.video_id is not None else None
        out.append(VideoImportJson(
            id=record.id, targetUrl=record.target_url, magnetUri=record.magnet_uri,
            torrentName=record.torrent_name, attempts=record.attempts, state=import_state(record.state),
            error=record.error, createdAt=record.created_at, updatedAt=record.updated_at,
            originallyPublishedAt=video.originallyPublishedAt if video is not None else None,
            video=video))
    return out
