"""A channel as a podcast (`/feeds/podcast/videos.xml?videoChannelId=`): RSS 2.0 with the iTunes tags
(feedgen's podcast extension) and the Podcast 2.0 namespace (https://podcastindex.org/namespace/1.0,
written by the extension below): the channel's guid, medium and host, and per episode a downloadable
enclosure, every rendition as an alternate enclosure (file and torrent sources), the captions as
transcripts and the ActivityPub object to comment on.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.util import xml_elem
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Account, VideoCaption, VideoChannel
from vidpub.services.feed_formats import TORRENT_MIME, FeedEntry, MediaFile, feed_generator, xml_safe
from vidpub.services.feeds import FeedScope, scoped_feed, latest_videos, public_by_default, video_entry
from vidpub.services.videos.queries import VideoFilters
from vidpub.storage import layout

PODCAST_NS = "https://podcastindex.org/namespace/1.0"
# the namespace of `podcast:guid` values (UUIDv5 of the feed URL without its scheme), fixed by the spec
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
PODCAST_SORT = "-publishedAt"


def podcast_guid(feed_url: str) -> str:
    bare = feed_url.split("://", 1)[-1].rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


@dataclass
class Transcript:
    url: str
    language: str


@dataclass
class Person:
    name: str
    href: str
    image: str | None = None


class PodcastExtension(BaseExtension):
    def __init__(self):
        self.guid: str | None = None
        self.medium = "video"
        self.host: Person | None = None

    def extend_ns(self):
        return {"podcast": PODCAST_NS}

    def extend_rss(self, rss):
        channel = rss.find("channel")
        if self.guid:
            xml_elem(f"{{{PODCAST_NS}}}guid", channel).text = self.guid
        xml_elem(f"{{{PODCAST_NS}}}medium", channel).text = self.medium
        # only the instance may move this feed elsewhere
        xml_elem(f"{{{PODCAST_NS}}}locked", channel).text = "yes"
        if self.host is not None:
            person = xml_elem(f"{{{PODCAST_NS}}}person", channel, role="host", href=self.host.href)
            if self.host.image:
                person.set("img", self.host.image)
            person.text = xml_safe(self.host.name)
        return rss


class PodcastEntryExtension(BaseEntryExtension):
    def __init__(self):
        self.files: list[MediaFile] = []
        self.transcripts: list[Transcript] = []
        self.object_url: str | None = None
        self.author_handle: str | None = None
        self.author_url: str | None = None

    def extend_rss(self, item):
        for index, file in enumerate(self.files):
            alternate = xml_elem(f"{{{PODCAST_NS}}}alternateEnclosure", item, type=file.mime,
                                 length=str(file.size), title=file.label)
            if file.height:
                alternate.set("height", str(file.height))
            if index == 0:
                alternate.set("default", "true")
            xml_elem(f"{{{PODCAST_NS}}}source", alternate, uri=file.url)
            if file.torrent_url:
                xml_elem(f"{{{PODCAST_NS}}}source", alternate, uri=file.torrent_url, contentType=TORRENT_MIME)
        for transcript in self.transcripts:
            xml_elem(f"{{{PODCAST_NS}}}transcript", item, url=transcript.url, type="text/vtt",
                     language=transcript.language, rel="captions")
        if self.object_url:
            interact = xml_elem(f"{{{PODCAST_NS}}}socialInteract", item, protocol="activitypub",
                                uri=self.object_url, priority="1")
            if self.author_handle:
                interact.set("accountId", self.author_handle)
            if self.author_url:
                interact.set("accountUrl", self.author_url)
        return item


def _itunes_image(url: str | None) -> str | None:
    """iTunes takes JPEG or PNG images only (feedgen checks the extension)."""
    return url if url and url.lower().endswith((".jpg", ".png")) else None


async def _transcripts(session: AsyncSession, config: Config,
                       video_ids: list[int]) -> dict[int, list[Transcript]]:
    found: dict[int, list[Transcript]] = defaultdict(list)
    if not video_ids:
        return found
    rows = await session.execute(sa.select(VideoCaption).where(VideoCaption.video_id.in_(video_ids))
                                 .order_by(VideoCaption.language))
    for caption in rows.scalars():
        url = caption.file_url or config.url + layout.caption_url_path(caption.filename)
        found[caption.video_id].append(Transcript(url=url, language=caption.language))
    return found


async def podcast_feed(session: AsyncSession, config: Config, channel: VideoChannel, self_url: str) -> bytes:
    feed = scoped_feed(config, FeedScope(channel=channel), self_url)
    # podcast clients ask for no filter: the instance's NSFW policy for anonymous visitors decides
    nsfw = False if config.instance.default_nsfw_policy == "do_not_list" else None
    filters = public_by_default(VideoFilters(channel_ids=[channel.id], nsfw=nsfw))
    rows = await latest_videos(session, config, filters, PODCAST_SORT, None)
    transcripts = await _transcripts(session, config, [video.id for video, _item in rows])
    entries: list[tuple[FeedEntry, list[Transcript], str]] = []
    for video, item in rows:
        entry = video_entry(config, video, item)
        entries.append((entry, transcripts.get(video.id, []), f"@{item.account.name}@{item.account.host}"))
    feed.entries = [entry for entry, _transcripts, _handle in entries]

    generator = feed_generator(feed, media_rss=False, self_type="application/rss+xml")
    generator.load_extension("podcast")
    generator.register_extension("podcast20", PodcastExtension, PodcastEntryExtension, atom=False)
    generator.podcast.itunes_author(xml_safe(channel.name))
    generator.podcast.itunes_summary(xml_safe(feed.description))
    generator.podcast.itunes_explicit("no")
    generator.podcast.itunes_type("episodic")
    if _itunes_image(feed.image.url if feed.image else None):
        generator.podcast.itunes_image(feed.image.url)
    generator.podcast20.guid = podcast_guid(self_url)
    owner = await session.get(Account, channel.account_id)
    generator.podcast20.host = Person(name=owner.name, href=owner.actor.url,
                                      image=feed.image.url if feed.image else None)
    by_id = {entry.id: (entry, video_transcripts, handle) for entry, video_transcripts, handle in entries}
    for item in generator.entry():
        entry, video_transcripts, handle = by_id[item.id()]
        media = entry.media
        item.podcast.itunes_duration(media.duration)
        item.podcast.itunes_explicit("yes" if media.nsfw else "no")
        if _itunes_image(entry.image.url if entry.image else None):
            item.podcast.itunes_image(entry.image.url)
        item.podcast20.files = media.files
        item.podcast20.transcripts = video_transcripts
        item.podcast20.object_url = entry.id
        item.podcast20.author_handle = handle
        item.podcast20.author_url = entry.author_url
    return generator.rss_str(pretty=True)
