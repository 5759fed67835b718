"""A received `Video` object, checked and read into plain values (`video_from_ap`).

PeerTube's rules: the id is an http(s) URL whose host is the one of the channel it is attributed to,
`name` 3-120 characters, a valid UUID, an ISO-8601 duration, at least one playable file (web video
or HLS) unless the video is a live; the privacy comes from the audience (public when `to`/`cc` name
the public collection, else unlisted). Fields of older PeerTube versions (`commentsEnabled`,
captions whose `url` is a string, `attributedTo` as bare URLs) are read too. Anything unusable raises
`InvalidObject` and the activity is dropped.
"""

from __future__ import annotations

import math
import re
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import datetime

from vidpub.db.models import CommentsPolicy, VideoPrivacy, VideoState
from vidpub.federation.ap.common import InvalidObject, as_list, is_http_url, is_public, parse_date, same_host
from vidpub.federation.ap.video import SENSITIVE_FLAGS
from vidpub.federation.ap.video_links import RemoteFile, RemoteHlsPlaylist, parse_links

MAX_TAGS = 5
MAX_INT = 2**31 - 1
_DURATION = re.compile(r"P(?:(\d+)D)?T?(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?")
_LANGUAGE = re.compile(r"[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,11})?")
_FLAG_BITS = {name: bit for bit, name in SENSITIVE_FLAGS.items()}


@dataclass
class RemoteImage:
    url: str
    width: int
    height: int


@dataclass
class RemoteCaption:
    language: str
    url: str
    automatically_generated: bool = False


@dataclass
class RemoteStoryboard:
    url: str
    total_width: int
    total_height: int
    sprite_width: int
    sprite_height: int
    sprite_duration: int


@dataclass
class RemoteVideoData:
    url: str
    uuid: str
    name: str
    duration: int
    privacy: int
    channel_url: str
    account_url: str | None
    state: int
    published_at: datetime
    updated_at: datetime
    category: int | None = None
    licence: int | None = None
    language: str | None = None
    nsfw: bool = False
    nsfw_flags: int = 0
    nsfw_summary: str | None = None
    description: str | None = None
    support: str | None = None
    views: int = 0
    downloads: int = 0
    aspect_ratio: float | None = None
    is_live: bool = False
    wait_transcoding: bool = False
    comments_policy: int = CommentsPolicy.ENABLED
    download_enabled: bool = True
    originally_published_at: datetime | None = None
    tags: list[str] = field(default_factory=list)
    miniature: RemoteImage | None = None
    preview: RemoteImage | None = None
    web_files: list[RemoteFile] = field(default_factory=list)
    hls: RemoteHlsPlaylist | None = None
    captions: list[RemoteCaption] = field(default_factory=list)
    storyboard: RemoteStoryboard | None = None


def parse_duration(value) -> int:
    """Seconds of an ISO-8601 duration (`PT123S`, `PT2M3S`...)."""
    if not isinstance(value, str) or not value.startswith("P"):
        raise InvalidObject("duration: an ISO-8601 duration is required")
    match = _DURATION.fullmatch(value)
    if match is None or not any(match.groups()):
        raise InvalidObject(f"duration: invalid {value!r}")
    days, hours, minutes, seconds = match.groups()
    total = int(int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0))
    if total > MAX_INT:
        raise InvalidObject(f"duration: too long {value!r}")
    return total


def _identifier_int(value) -> int | None:
    """`{identifier: "15", name}` → 15 (PeerTube sends the number as a string)."""
    if not isinstance(value, dict):
        return None
    try:
        number = int(str(value.get("identifier")))
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def _language(value) -> str | None:
    """A language code (`en`, `zh-Hant`, `ca-valencia`...); it ends up in file names, so nothing else."""
    if isinstance(value, dict) and isinstance(value.get("identifier"), str) \
            and _LANGUAGE.fullmatch(value["identifier"]):
        return value["identifier"]
    return None


def _text(value, limit: int) -> str | None:
    """A string field, NULs dropped (PostgreSQL refuses them), cut at `limit`."""
    return value.replace("\x00", "")[:limit] or None if isinstance(value, str) and value else None


def _int(value, default: int = 0) -> int:
    """A counter or a size: a finite number within an INTEGER column, else `default`."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        return max(0, min(int(value), MAX_INT))
    return default


def owner_urls(attributed_to) -> tuple[str | None, str | None]:
    """(account URL, channel URL) of `attributedTo`: typed references (Person / Group) or, from older
    senders, bare URLs in the order account, channel."""
    account = channel = None
    bare = []
    for item in as_list(attributed_to):
        if isinstance(item, dict) and is_http_url(item.get("id")):
            if item.get("type") == "Group" and channel is None:
                channel = item["id"]
            elif item.get("type") == "Person" and account is None:
                account = item["id"]
        elif is_http_url(item):
            bare.append(item)
    if channel is None and bare:
        channel = bare[-1]
    if account is None and len(bare) > 1:
        account = bare[0]
    return account, channel


def _images(icons) -> tuple[RemoteImage | None, RemoteImage | None]:
    """(miniature, preview): the smallest and the largest icon (one icon serves as both)."""
    images = []
    for icon in as_list(icons):
        if isinstance(icon, dict) and is_http_url(icon.get("url")):
            images.append(RemoteImage(icon["url"], _int(icon.get("width")), _int(icon.get("height"))))
    if not images:
        return None, None
    images.sort(key=lambda image: image.width)
    return images[0], images[-1]


def _captions(values) -> list[RemoteCaption]:
    out: dict[str, RemoteCaption] = {}
    for value in as_list(values):
        if not isinstance(value, dict) or not _language(value):
            continue
        links = value.get("url")
        href = None
        if isinstance(links, str):  # PeerTube < 7
            href = links
        else:
            href = next((link.get("href") for link in as_list(links) if isinstance(link, dict)
                         and link.get("mediaType") == "text/vtt"), None)
        if is_http_url(href):
            out[value["identifier"]] = RemoteCaption(value["identifier"], href,
                                                     value.get("automaticallyGenerated") is True)
    return list(out.values())


def _storyboard(values) -> RemoteStoryboard | None:
    for value in as_list(values):
        if not isinstance(value, dict) or "storyboard" not in as_list(value.get("rel")):
            continue
        for link in as_list(value.get("url")):
            if isinstance(link, dict) and is_http_url(link.get("href")):
                try:
                    duration = parse_duration(link.get("tileDuration"))
                except InvalidObject:
                    continue
                return RemoteStoryboard(link["href"], _int(link.get("width")), _int(link.get("height")),
                                        _int(link.get("tileWidth")), _int(link.get("tileHeight")), duration)
    return None


def _comments_policy(obj: dict) -> int:
    policy = obj.get("commentsPolicy")
    if policy in (CommentsPolicy.ENABLED, CommentsPolicy.DISABLED, CommentsPolicy.REQUIRES_APPROVAL):
        return policy
    if obj.get("commentsEnabled") is False:
        return CommentsPolicy.DISABLED
    return CommentsPolicy.ENABLED


def _tags(obj: dict) -> tuple[list[str], int]:
    names, flags = [], 0
    for tag in as_list(obj.get("tag")):
        if not isinstance(tag, dict) or not isinstance(tag.get("name"), str):
            continue
        if tag.get("type") == "Hashtag":
            name = tag["name"].replace("\x00", "").lstrip("#").strip()
            if 2 <= len(name) <= 30 and name not in names:
                names.append(name)
        elif tag.get("type") == "SensitiveTag":
            flags |= _FLAG_BITS.get(tag["name"], 0)
    return names[:MAX_TAGS], flags


def video_from_ap(obj: dict) -> RemoteVideoData:
    if not isinstance(obj, dict) or obj.get("type") != "Video":
        raise InvalidObject("not a Video")
    url = obj.get("id")
    if not is_http_url(url):
        raise InvalidObject("id: an http(s) URL is required")
    name = obj.get("name")
    if isinstance(name, str):
        name = name.replace("\x00", "").strip()
    if not isinstance(name, str) or not 3 <= len(name) <= 120:
        raise InvalidObject("name: 3 to 120 characters")
    try:
        video_uuid = str(uuid_module.UUID(str(obj.get("uuid"))))
    except ValueError:
        raise InvalidObject("uuid: invalid") from None
    account_url, channel_url = owner_urls(obj.get("attributedTo"))
    if channel_url is None:
        raise InvalidObject("attributedTo: the video's channel is required")
    if not same_host(url, channel_url) or (account_url and not same_host(url, account_url)):
        raise InvalidObject("the video and its owners must be on the same host")
    is_live = obj.get("isLiveBroadcast") is True
    web_files, hls = parse_links(obj.get("url"))
    if not web_files and (hls is None or not hls.files) and not is_live:
        raise InvalidObject("url: no playable file")
    tags, flags = _tags(obj)
    miniature, preview = _images(obj.get("icon"))
    published = parse_date(obj.get("published"), "published")
    state = obj.get("state")
    aspect_ratio = obj.get("aspectRatio")
    return RemoteVideoData(
        url=url, uuid=video_uuid, name=name, duration=parse_duration(obj.get("duration")),
        # PeerTube's rule: public when `to` names the public collection (unlisted ones only cc it)
        privacy=VideoPrivacy.PUBLIC if is_public(obj.get("to")) else VideoPrivacy.UNLISTED,
        channel_url=channel_url, account_url=account_url,
        state=state if isinstance(state, int) and 1 <= state <= 12 else VideoState.PUBLISHED,
        published_at=published,
        updated_at=parse_date(obj.get("updated"), "updated", required=False) or published,
        category=_identifier_int(obj.get("category")), licence=_identifier_int(obj.get("licence")),
        language=_language(obj.get("language")), nsfw=obj.get("sensitive") is True, nsfw_flags=flags,
        nsfw_summary=_text(obj.get("summary"), 250), description=_text(obj.get("content"), 10000),
        support=_text(obj.get("support"), 1000), views=max(0, _int(obj.get("views"))),
        downloads=max(0, _int(obj.get("downloads"))),
        aspect_ratio=float(aspect_ratio) if isinstance(aspect_ratio, (int, float)) and not isinstance(aspect_ratio, bool)
        and math.isfinite(aspect_ratio) and 0 < aspect_ratio < 100 else None,
        is_live=is_live, wait_transcoding=obj.get("waitTranscoding") is True,
        comments_policy=_comments_policy(obj), download_enabled=obj.get("downloadEnabled") is not False,
        originally_published_at=parse_date(obj.get("originallyPublishedAt"), "originallyPublishedAt", required=False),
        tags=tags, miniature=miniature, preview=preview, web_files=web_files, hls=hls,
        captions=_captions(obj.get("subtitleLanguage")), storyboard=_storyboard(obj.get("preview")))
