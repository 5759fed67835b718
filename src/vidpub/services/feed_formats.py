"""Writing a feed: RSS 2.0 and Atom through feedgen, with Media RSS (`media:`) for videos, and JSON
Feed 1.1. The input is format-neutral (`Feed`, `FeedEntry`), built by `services/feeds.py`.

PeerTube's items carry, besides the usual fields, Media RSS: a `media:group` with a `media:peerLink`
per torrent and a `media:content` per file, the thumbnail, the embed and player URLs, the category,
the view count and the rating; and an `enclosure` that a podcast client can download.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

MEDIA_NS = "http://search.yahoo.com/mrss/"
MEDIA_CATEGORY_SCHEME = "http://search.yahoo.com/mrss/category_schema"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
RSS_DOCS = "https://www.rssboard.org/rss-specification"
TORRENT_MIME = "application/x-bittorrent"
# characters XML 1.0 cannot carry (lxml refuses them): user texts lose them instead of failing the feed
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str | None) -> str:
    return _NOT_XML.sub("", text or "")


@dataclass
class FeedImage:
    url: str
    width: int | None = None
    height: int | None = None


@dataclass
class MediaFile:
    url: str
    mime: str
    size: int
    resolution: int
    label: str
    height: int | None = None
    width: int | None = None
    fps: float | None = None
    torrent_url: str | None = None


@dataclass
class Enclosure:
    url: str
    mime: str
    length: int


@dataclass
class VideoMedia:
    """What a video item adds to a plain entry."""
    embed_url: str
    player_url: str
    views: int
    duration: int
    nsfw: bool
    category_id: int | None = None
    category_label: str | None = None
    language: str | None = None
    files: list[MediaFile] = field(default_factory=list)
    enclosure: Enclosure | None = None


@dataclass
class FeedEntry:
    id: str
    link: str
    title: str
    published: datetime
    updated: datetime
    summary: str  # plain text
    content_html: str  # sanitised HTML
    author_name: str
    author_url: str
    image: FeedImage | None = None
    tags: list[str] = field(default_factory=list)
    media: VideoMedia | None = None


@dataclass
class Feed:
    title: str
    description: str
    link: str  # the HTML page the feed is about
    self_url: str
    updated: datetime
    generator: str
    copyright: str
    language: str | None = None
    image: FeedImage | None = None
    favicon: str | None = None
    entries: list[FeedEntry] = field(default_factory=list)


# -- Media RSS as a feedgen extension -----------------------------------------------------------------

class MediaRssExtension(BaseExtension):
    def extend_ns(self):
        return {"media": MEDIA_NS}


class MediaRssEntryExtension(BaseEntryExtension):
    """The `media:` elements of a video item (RSS and Atom alike)."""

    def __init__(self):
        self.video: VideoMedia | None = None
        self.entry: FeedEntry | None = None

    def set(self, entry: FeedEntry) -> None:
        self.entry, self.video = entry, entry.media

    def extend_rss(self, item):
        video, entry = self.video, self.entry
        if video is None or entry is None:
            return item

        def media(name: str, parent=item, text: str | None = None, **attributes):
            element = xml_elem(f"{{{MEDIA_NS}}}{name}", parent)
            for key, value in attributes.items():
                if value is not None:
                    element.set(key, str(value))
            if text is not None:
                element.text = xml_safe(text)
            return element

        if video.category_id is not None:
            media("category", text=str(video.category_id), scheme=MEDIA_CATEGORY_SCHEME,
                  label=video.category_label)
        community = media("community")
        media("statistics", community, views=video.views)
        media("embed", url=video.embed_url, allowFullscreen="true")
        media("player", url=video.player_url)
        if entry.image is not None:
            media("thumbnail", url=entry.image.url, width=entry.image.width, height=entry.image.height)
        media("title", text=entry.title, type="plain")
        media("description", text=entry.summary, type="plain")
        media("rating", text="adult" if video.nsfw else "nonadult")
        if video.files:
            group = media("group")
            torrents = [file for file in video.files if file.torrent_url]
            for index, file in enumerate(torrents):
                media("peerLink", group, type=TORRENT_MIME, href=file.torrent_url,
                      isDefault="true" if index == 0 else None)
            for index, file in enumerate(video.files):
                media("content", group, url=file.url, fileSize=file.size, type=file.mime,
                      medium="video" if file.mime.startswith("video/") else "audio",
                      framerate=_number(file.fps), duration=video.duration, height=file.height,
                      width=file.width,
                      lang=video.language, isDefault="true" if index == 0 else None)
        return item

    def extend_atom(self, entry):
        return self.extend_rss(entry)


class AtomLinksExtension(BaseExtension):
    pass


class AtomLinksEntryExtension(BaseEntryExtension):
    """feedgen 1.0 writes an Atom entry's links with their `href` only: put back `rel` (alternate,
    enclosure), `type` and `length`, which feed readers need to tell the page from the media."""

    def __init__(self):
        self.links: list[dict] = []

    def extend_atom(self, entry):
        # feedgen builds the entry with unqualified names (the root declares Atom as the default)
        elements = entry.findall("link")
        for element, link in zip(elements, self.links):
            for name in ("rel", "type", "hreflang", "title", "length"):
                if link.get(name) and not element.get(name):
                    element.set(name, str(link[name]))
        return entry


def _number(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


# -- RSS and Atom -------------------------------------------------------------------------------------

def feed_generator(feed: Feed, *, media_rss: bool = True, self_type: str | None = None) -> FeedGenerator:
    """A feedgen generator holding the feed and its entries (callers may add extensions first)."""
    generator = FeedGenerator()
    generator.load_extension("dc")
    generator.register_extension("atomlinks", AtomLinksExtension, AtomLinksEntryExtension, rss=False)
    if media_rss:
        generator.register_extension("mrss", MediaRssExtension, MediaRssEntryExtension)
    generator.id(feed.self_url)
    generator.title(xml_safe(feed.title) or feed.link)
    generator.description(xml_safe(feed.description) or xml_safe(feed.title) or feed.link)
    generator.subtitle(xml_safe(feed.description) or xml_safe(feed.title) or feed.link)
    # RSS keeps the last link as the channel's: the page, after the feed's own address
    generator.link(href=feed.self_url, rel="self", **({"type": self_type} if self_type else {}))
    generator.link(href=feed.link, rel="alternate")
    generator.updated(feed.updated)
    generator.lastBuildDate(feed.updated)
    generator.generator(feed.generator)
    generator.docs(RSS_DOCS)
    generator.rights(xml_safe(feed.copyright))
    if feed.language:
        generator.language(feed.language)
    if feed.image is not None:
        generator.image(url=feed.image.url, title=xml_safe(feed.title) or feed.link, link=feed.link)
        generator.logo(feed.image.url)
    if feed.favicon:
        generator.icon(feed.favicon)
    # feedgen prepends entries: add the last first to keep the feed's order
    for entry in reversed(feed.entries):
        _add_entry(generator, entry, media_rss)
    return generator


def _add_entry(generator: FeedGenerator, entry: FeedEntry, media_rss: bool):
    item = generator.add_entry()
    item.id(entry.id)
    item.guid(entry.id, permalink=False)
    item.title(xml_safe(entry.title))
    item.link(href=entry.link, rel="alternate")
    item.published(entry.published)
    item.pubDate(entry.published)
    item.updated(entry.updated)
    item.author(name=xml_safe(entry.author_name), uri=entry.author_url)
    item.dc.dc_creator(xml_safe(entry.author_name))
    if entry.content_html:
        item.content(xml_safe(entry.content_html), type="CDATA")
    item.description(xml_safe(entry.summary) or xml_safe(entry.title), isSummary=True)
    for tag in entry.tags:
        item.category(term=xml_safe(tag))
    if entry.media is not None and entry.media.enclosure is not None:
        enclosure = entry.media.enclosure
        item.enclosure(enclosure.url, str(enclosure.length), enclosure.mime)
    item.atomlinks.links = item.link()
    if media_rss:
        item.mrss.set(entry)
    return item


def render_rss(feed: Feed) -> bytes:
    return feed_generator(feed, self_type="application/rss+xml").rss_str(pretty=True)


def render_atom(feed: Feed) -> bytes:
    generator = feed_generator(feed, self_type="application/atom+xml")
    return _atom_content_as_html(generator).atom_str(pretty=True)


def _atom_content_as_html(generator: FeedGenerator) -> FeedGenerator:
    """Atom has no CDATA content type: the entries' HTML goes escaped, typed `html`."""
    for item in generator.entry():
        content = item.content()
        if content and content.get("type") == "CDATA":
            item.content(content["content"], type="html")
    return generator


# -- JSON Feed ----------------------------------------------------------------------------------------

def render_json(feed: Feed) -> bytes:
    document = {
        "version": JSON_FEED_VERSION,
        "title": feed.title,
        "home_page_url": feed.link,
        "feed_url": feed.self_url,
        "description": feed.description,
        "authors": [],
        "items": [_json_item(entry) for entry in feed.entries],
    }
    if feed.language:
        document["language"] = feed.language
    if feed.image is not None:
        document["icon"] = feed.image.url
    if feed.favicon:
        document["favicon"] = feed.favicon
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _json_item(entry: FeedEntry) -> dict:
    item = {
        "id": entry.id,
        "url": entry.link,
        "title": entry.title,
        "content_html": entry.content_html,
        "summary": entry.summary,
        "date_published": entry.published.isoformat(),
        "date_modified": entry.updated.isoformat(),
        "authors": [{"name": entry.author_name, "url": entry.author_url}],
    }
    if entry.image is not None:
        item["image"] = entry.image.url
    if entry.tags:
        item["tags"] = entry.tags
    if entry.media is not None:
        item["external_url"] = entry.media.embed_url
        item["attachments"] = _json_attachments(entry.media)
    return item


def _json_attachments(media: VideoMedia) -> list[dict]:
    attachments = []
    if media.enclosure is not None:
        attachments.append({"url": media.enclosure.url, "mime_type": media.enclosure.mime,
                            "size_in_bytes": media.enclosure.length, "duration_in_seconds": media.duration})
    for file in media.files:
        attachments.append({"url": file.url, "mime_type": file.mime, "title": file.label,
                            "size_in_bytes": file.size, "duration_in_seconds": media.duration})
        if file.torrent_url:
            attachments.append({"url": file.torrent_url, "mime_type": TORRENT_MIME, "title": file.label})
    return attachments


RENDERERS = {"rss": render_rss, "atom": render_atom, "json": render_json}
