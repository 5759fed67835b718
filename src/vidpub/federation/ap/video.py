"""The ActivityPub `Video` object of a local video (peertube-internals §5.6), and what a remote one
says once read (`video_from_ap`, in `video_parse.py`).

`video_to_ap` takes a `VideoParts` — the row with its owner and everything the object lists (files,
HLS playlist, thumbnails, captions, tags, storyboard) — loaded by `load_video_parts` in a fixed number
of queries. The `url[]` links are built by `video_links.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from vidpub.config import Config
from vidpub.db.models import (
    CommentsPolicy,
    Storyboard,
    Tag,
    Thumbnail,
    ThumbnailType,
    Video,
    VideoCaption,
    VideoFile,
    VideoPrivacy,
    VideoStreamingPlaylist,
    video_tag,
)
from vidpub.federation.ap import video_links
from vidpub.federation.context import AS_PUBLIC as PUBLIC
from vidpub.schemas.common import iso_millis
from vidpub.services import constants
from vidpub.services.videos import captions as caption_service
from vidpub.services.videos.lookup import with_owner
from vidpub.storage import layout

# PeerTube's NSFW flag bits and their names in `SensitiveTag`s
SENSITIVE_FLAGS = {1: "violent", 2: "explicitSex"}


@dataclass
class VideoParts:
    video: Video  # with its channel, account and their actors loaded
    tags: list[str] = field(default_factory=list)
    web_files: list[VideoFile] = field(default_factory=list)
    playlist: VideoStreamingPlaylist | None = None  # with its files
    thumbnails: list[Thumbnail] = field(default_factory=list)
    captions: list[VideoCaption] = field(default_factory=list)
    storyboard: Storyboard | None = None


async def load_video_parts(session: AsyncSession, video_id: int) -> VideoParts | None:
    video = (await session.execute(sa.select(Video).options(with_owner(), selectinload(Video.thumbnails))
                                   .where(Video.id == video_id))).unique().scalar_one_or_none()
    if video is None:
        return None
    tags = list((await session.execute(
        sa.select(Tag.name).join(video_tag, video_tag.c.tag_id == Tag.id)
        .where(video_tag.c.video_id == video_id).order_by(Tag.name))).scalars())
    web_files = list((await session.execute(
        sa.select(VideoFile).where(VideoFile.video_id == video_id))).scalars())
    playlist = (await session.execute(
        sa.select(VideoStreamingPlaylist).options(selectinload(VideoStreamingPlaylist.files))
        .where(VideoStreamingPlaylist.video_id == video_id))).scalar_one_or_none()
    captions = list((await session.execute(
        sa.select(VideoCaption).where(VideoCaption.video_id == video_id).order_by(VideoCaption.language))).scalars())
    storyboard = (await session.execute(
        sa.select(Storyboard).where(Storyboard.video_id == video_id))).scalar_one_or_none()
    return VideoParts(video=video, tags=tags, web_files=web_files, playlist=playlist,
                      thumbnails=list(video.thumbnails), captions=captions, storyboard=storyboard)


# -- small pieces -------------------------------------------------------------------------------------

def iso_duration(seconds: int) -> str:
    return f"PT{int(seconds)}S"


def _identifier(table: dict, key) -> dict | None:
    if key is None:
        return None
    return {"identifier": str(key), "name": table.get(key, "Unknown")}


def _language(code: str | None) -> dict | None:
    if not code:
        return None
    return {"identifier": code, "name": constants.video_languages().get(code, "Unknown")}


def audience(video: Video, followers_url: str | None) -> dict:
    """`to`/`cc` of a federated video (§5.2): public → to Public, cc the owner's followers;
    unlisted → cc Public only."""
    if video.privacy == VideoPrivacy.PUBLIC:
        return {"to": [PUBLIC], "cc": [followers_url] if followers_url else []}
    return {"to": [], "cc": [PUBLIC]}


def can_reply(policy: int) -> str | None:
    """PeerTube: null when anyone may comment, Public when replies wait for approval."""
    return PUBLIC if policy == CommentsPolicy.REQUIRES_APPROVAL else None


def _tags(parts: VideoParts) -> list[dict]:
    out: list[dict] = [{"type": "Hashtag", "name": name} for name in parts.tags]
    out += [{"type": "SensitiveTag", "name": name} for bit, name in SENSITIVE_FLAGS.items()
            if parts.video.nsfw_flags & bit]
    return out


def _icons(config: Config, parts: VideoParts) -> list[dict]:
    """The miniature and the preview (the smallest first, as PeerTube lists them)."""
    icons = []
    for thumbnail in sorted(parts.thumbnails, key=lambda t: t.width):
        if thumbnail.file_url and not thumbnail.on_disk:
            url = thumbnail.file_url
        elif thumbnail.type == ThumbnailType.PREVIEW:
            url = config.url + layout.preview_url_path(thumbnail.filename)
        else:
            url = config.url + layout.thumbnail_url_path(thumbnail.filename)
        icons.append({"type": "Image", "url": url, "mediaType": "image/jpeg",
                      "width": thumbnail.width, "height": thumbnail.height})
    return icons


def _captions(config: Config, parts: VideoParts) -> list[dict]:
    out = []
    for caption in parts.captions:
        links = [{"type": "Link", "mediaType": "text/vtt",
                  "href": caption.file_url or config.url + layout.caption_url_path(caption.filename)}]
        if caption.m3u8_filename and not caption.file_url:
            links.append({"type": "Link", "mediaType": "application/x-mpegURL",
                          "href": config.url + layout.caption_url_path(caption.m3u8_filename)})
        out.append({"identifier": caption.language, "name": caption_service.caption_language_label(caption.language),
                    "automaticallyGenerated": caption.automatically_generated, "url": links})
    return out


def _storyboards(config: Config, parts: VideoParts) -> list[dict]:
    board = parts.storyboard
    if board is None:
        return []
    href = board.file_url or config.url + layout.storyboard_url_path(board.filename)
    return [{"type": "Image", "rel": ["storyboard"],
             "url": [{"mediaType": "image/jpeg", "href": href, "width": board.total_width,
                      "height": board.total_height, "tileWidth": board.sprite_width,
                      "tileHeight": board.sprite_height, "tileDuration": iso_duration(board.sprite_duration)}]}]


# -- the object ---------------------------------------------------------------------------------------

def video_to_ap(config: Config, parts: VideoParts) -> dict:
    """The `Video` object (without `@context`: the enclosing document or activity carries it)."""
    video = parts.video
    channel_actor = video.channel.actor
    account_actor = video.channel.account.actor
    url = video.url
    obj = {
        "type": "Video",
        "id": url,
        "name": video.name,
        "duration": iso_duration(video.duration),
        "uuid": video.uuid,
        "tag": _tags(parts),
        "category": _identifier(constants.VIDEO_CATEGORIES, video.category),
        "licence": _identifier(constants.VIDEO_LICENCES, video.licence),
        "language": _language(video.language),
        "views": video.views,
        "downloads": video.downloads,
        "sensitive": video.nsfw,
        "summary": video.nsfw_summary,
        "waitTranscoding": video.wait_transcoding,
        "state": video.state,
        "commentsPolicy": video.comments_policy,
        # PeerTube < 6.2 peers read this one
        "commentsEnabled": video.comments_policy != CommentsPolicy.DISABLED,
        "canReply": can_reply(video.comments_policy),
        "downloadEnabled": video.download_enabled,
        "published": iso_millis(video.published_at),
        "originallyPublishedAt": iso_millis(video.originally_published_at) if video.originally_published_at else None,
        "updated": iso_millis(video.updated_at),
        "uploadDate": iso_millis(video.input_file_updated_at or video.created_at),
        "mediaType": "text/markdown",
        "content": video.description,
        "support": video.support,
        "subtitleLanguage": _captions(config, parts),
        "icon": _icons(config, parts),
        "preview": _storyboards(config, parts),
        "aspectRatio": video.aspect_ratio,
        "url": video_links.url_links(config, parts),
        "likes": f"{url}/likes",
        "dislikes": f"{url}/dislikes",
        "shares": f"{url}/announces",
        "comments": f"{url}/comments",
        "hasParts": f"{url}/chapters",
        # real PeerTube sends typed references (the spec's field list shows bare URLs; both are read)
        "attributedTo": [{"type": "Person", "id": account_actor.url}, {"type": "Group", "id": channel_actor.url}],
        "isLiveBroadcast": video.is_live,
        "liveSaveReplay": None,
        "permanentLive": None,
        "latencyMode": None,
    }
    obj.update(audience(video, account_actor.followers_url))
    return obj
