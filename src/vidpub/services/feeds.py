"""What the syndication feeds hold: the instance's (or an account's, or a channel's) latest videos, a
user's subscriptions (opened by their feed token), and the latest comments. Each is turned into a
format-neutral `Feed` that `feed_formats` (RSS, Atom, JSON Feed) or `podcast_feed` writes.

Feeds are public documents: they list public, published videos only (moderators may widen that with
`include`/`privacyOneOf`), minus muted accounts and servers (`services/blocklists.py`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import joinedload

from vidpub.config import Config
from vidpub.db.base import utcnow
from vidpub.db.models import (Account, ActorFollow, ActorImageType, FollowState, User, Video, VideoChannel,
                              VideoComment, VideoPrivacy, VideoState)
from vidpub.errors import ProblemError, bad_request, not_found
from vidpub.schemas.actors import actor_images
from vidpub.schemas.videos import VideoJson
from vidpub.services import blocklists, handles
from vidpub.services.feed_formats import Enclosure, Feed, FeedEntry, FeedImage, MediaFile, VideoMedia
from vidpub.services.markdown import markdown_to_plain_text, render_markdown
from vidpub.services.videos import loading, queries
from vidpub.services.videos.lookup import find_video, short_uuid
from vidpub.services.videos.queries import Page, VideoFilters

GENERATOR = "Vidpub"
SUMMARY_LENGTH = 250


@dataclass
class FeedScope:
    """The account and/or channel a feed is limited to (None: the whole instance)."""
    account: Account | None = None
    channel: VideoChannel | None = None


def _copyright(config: Config) -> str:
    return (f"Each video belongs to its publisher, under the licence they chose; {config.instance.name}'s "
            f"terms are at {config.url}/about")


def _largest_avatar(config: Config, actor) -> FeedImage | None:
    avatars = actor_images(actor, ActorImageType.AVATAR, config.url)
    if not avatars:
        return None
    best = max(avatars, key=lambda image: image.width)
    return FeedImage(url=best.fileUrl, width=best.width, height=best.height)


def _feed(config: Config, self_url: str, *, title: str | None = None, description: str | None = None,
          link: str | None = None, image: FeedImage | None = None) -> Feed:
    return Feed(title=title or config.instance.name,
                description=description or config.instance.short_description or config.instance.name,
                link=link or config.url, self_url=self_url, updated=utcnow(), generator=GENERATOR,
                copyright=_copyright(config), image=image)


def scoped_feed(config: Config, scope: FeedScope, self_url: str) -> Feed:
    owner = scope.channel or scope.account
    if owner is None:
        return _feed(config, self_url)
    return _feed(config, self_url, title=owner.name,
                 description=markdown_to_plain_text(owner.description) or None,
                 link=owner.actor.url, image=_largest_avatar(config, owner.actor))


# -- scope --------------------------------------------------------------------------------------------

async def resolve_scope(session: AsyncSession, config: Config, *, account_id: int | None = None,
                        account_name: str | None = None, channel_id: int | None = None,
                        channel_name: str | None = None) -> FeedScope:
    """The account and channel named by a feed's filters (404 for an unknown one)."""
    scope = FeedScope()
    if account_id is not None:
        scope.account = await session.get(Account, account_id)
        if scope.account is None:
            raise not_found("Account not found")
    elif account_name:
        scope.account = await handles.find_account(session, config, account_name)
    if channel_id is not None:
        scope.channel = await session.get(VideoChannel, channel_id)
        if scope.channel is None:
            raise not_found("Video channel not found")
    elif channel_name:
        scope.channel = await handles.find_channel(session, config, channel_name)
    return scope


# -- videos -------------------------------------------------------------------------------------------

def public_by_default(filters: VideoFilters) -> VideoFilters:
    """Feeds are read anonymously and cached: public videos unless a moderator asked for others."""
    if not filters.privacy_one_of:
        filters.privacy_one_of = [VideoPrivacy.PUBLIC]
    return filters


async def videos_feed(session: AsyncSession, config: Config, scope: FeedScope, filters: VideoFilters,
                      sort: str, user: User | None, self_url: str) -> Feed:
    if scope.account is not None:
        filters.account_id = scope.account.id
    if scope.channel is not None:
        filters.channel_ids = [scope.channel.id]
    feed = scoped_feed(config, scope, self_url)
    feed.entries = await video_entries(session, config, public_by_default(filters), sort, user)
    return feed


async def subscriptions_feed(session: AsyncSession, config: Config, account_id: int, token: str,
                             filters: VideoFilters, sort: str, self_url: str) -> Feed:
    """The latest videos of the channels an account follows, opened by its user's feed token."""
    account = await session.get(Account, account_id)
    if account is None:
        raise not_found("Account not found")
    user = await session.get(User, account.user_id) if account.user_id is not None else None
    if user is None or not user.feed_token or user.feed_token != token:
        raise ProblemError(403, "User and feed token mismatch")
    followed = (sa.select(VideoChannel.id)
                .join(ActorFollow, ActorFollow.target_actor_id == VideoChannel.actor_id)
                .where(ActorFollow.actor_id == account.actor_id, ActorFollow.state == FollowState.ACCEPTED))
    filters.channel_ids = list((await session.execute(followed)).scalars())
    feed = _feed(config, self_url, title=f"{account.name} - subscriptions",
                 description=f"Latest videos of the channels {account.name} follows "
                             f"on {config.instance.name}",
                 link=f"{config.url}/videos/subscriptions")
    feed.entries = await video_entries(session, config, public_by_default(filters), sort, user)
    return feed


async def latest_videos(session: AsyncSession, config: Config, filters: VideoFilters, sort: str,
                        user: User | None, count: int | None = None) -> list[tuple[Video, VideoJson]]:
    """Rows and list JSON (with files and tags) of a feed's videos."""
    page = Page(start=0, count=count or int(config.feeds.videos.count), sort=sort, skip_count=True)
    _total, ids = await queries.list_video_ids(session, config, filters, page, user)
    videos = await loading.load_videos(session, ids)
    items = await loading.videos_json(session, config, videos, None, files=True, tags=True)
    return list(zip(videos, items))


async def video_entries(session: AsyncSession, config: Config, filters: VideoFilters, sort: str,
                        user: User | None) -> list[FeedEntry]:
    return [video_entry(config, video, item) for video, item in
            await latest_videos(session, config, filters, sort, user)]


def watch_url(config: Config, uuid: str) -> str:
    return f"{config.url}/w/{short_uuid(uuid)}"


def video_entry(config: Config, video: Video, item: VideoJson) -> FeedEntry:
    thumbnail = max(item.thumbnails, key=lambda thumb: thumb.width, default=None)
    files = media_files(item)
    return FeedEntry(
        id=item.url, link=watch_url(config, item.uuid), title=item.name, published=item.publishedAt,
        # the whole description (a list item's is truncated)
        updated=item.updatedAt, summary=markdown_to_plain_text(video.description, SUMMARY_LENGTH),
        content_html=render_markdown(video.description), author_name=item.account.displayName,
        author_url=item.account.url,
        image=FeedImage(thumbnail.fileUrl, thumbnail.width, thumbnail.height) if thumbnail else None,
        tags=list(item.tags or []),
        media=VideoMedia(
            embed_url=item.embedUrl, player_url=watch_url(config, item.uuid), views=item.views,
            duration=item.duration, nsfw=item.nsfw, category_id=item.category.id,
            category_label=item.category.label if item.category.id is not None else None,
            language=item.language.id, files=files,
            enclosure=best_enclosure(config, video, _all_files(item)) if video.download_enabled else None))


def _mime(file_url: str, has_video: bool) -> str:
    if file_url.lower().endswith(".webm"):
        return "video/webm" if has_video else "audio/webm"
    return "video/mp4" if has_video else "audio/mp4"


def _all_files(item: VideoJson) -> list:
    files = list(item.files or [])
    for playlist in item.streamingPlaylists or []:
        files.extend(playlist.files)
    return files


def media_files(item: VideoJson) -> list[MediaFile]:
    """Every playable file, best resolution first (web videos before HLS renditions of the same)."""
    files = sorted(_all_files(item), key=lambda file: -file.resolution.id)
    return [MediaFile(url=file.fileUrl, mime=_mime(file.fileUrl, file.hasVideo), size=file.size,
                      resolution=file.resolution.id, label=file.resolution.label, height=file.height,
                      width=file.width, fps=file.fps, torrent_url=file.torrentUrl) for file in files]


def best_enclosure(config: Config, video: Video, files: list) -> Enclosure | None:
    """One downloadable file for podcast clients: the best rendition with a picture, joined with the
    separate audio rendition when it has no sound (PeerTube's generated download does the muxing)."""
    with_video = [file for file in files if file.hasVideo]
    if not with_video:
        audio_only = max(files, key=lambda file: file.size, default=None)
        if audio_only is None:
            return None
        chosen = [audio_only]
    else:
        best = max(with_video, key=lambda file: (file.resolution.id, file.size))
        chosen = [best]
        if not best.hasAudio:
            audio = next((file for file in files if file.hasAudio and not file.hasVideo), None)
            if audio is not None:
                chosen.append(audio)
    if video.remote:  # generated downloads are local only: the remote file itself
        return Enclosure(url=chosen[0].fileUrl, mime=_mime(chosen[0].fileUrl, chosen[0].hasVideo),
                         length=chosen[0].size)
    ids = ",".join(str(file.id) for file in chosen)
    mime = "video/mp4" if chosen[0].hasVideo else "audio/mp4"
    return Enclosure(url=f"{config.url}/download/videos/generate/{video.uuid}?videoFileIds={ids}", mime=mime,
                     length=sum(file.size for file in chosen))


# -- comments -----------------------------------------------------------------------------------------

async def comments_feed(session: AsyncSession, config: Config, video_ref: str | None, scope: FeedScope,
                        self_url: str) -> Feed:
    """The latest comments on public videos (of one video, or of an account's or a channel's)."""
    if video_ref is not None and (scope.account is not None or scope.channel is not None):
        raise bad_request("videoId filter is mixed with a channel or an account filter")
    conditions = [VideoComment.deleted_at.is_(None), VideoComment.held_for_review.is_(False),
                  VideoComment.account_id.is_not(None), blocklists.not_muted(VideoComment.account_id, None),
                  Video.privacy == VideoPrivacy.PUBLIC, Video.state == VideoState.PUBLISHED,
                  Video.channel_id.not_in(blocklists.muted_channel_ids_subquery(None))]
    feed = scoped_feed(config, scope, self_url)
    if video_ref is not None:
        video = await find_video(session, video_ref)
        if video is None or video.privacy != VideoPrivacy.PUBLIC:
            raise not_found("Video not found")
        conditions.append(VideoComment.video_id == video.id)
        feed = _feed(config, self_url, title=video.name, link=watch_url(config, video.uuid),
                     description=markdown_to_plain_text(video.description) or None)
    if scope.channel is not None:
        conditions.append(Video.channel_id == scope.channel.id)
    if scope.account is not None:
        conditions.append(Video.channel_id.in_(
            sa.select(VideoChannel.id).where(VideoChannel.account_id == scope.account.id)))
    rows = (await session.execute(
        sa.select(VideoComment).join(Video, Video.id == VideoComment.video_id)
        .options(joinedload(VideoComment.account), joinedload(VideoComment.video))
        .where(*conditions).order_by(VideoComment.created_at.desc(), VideoComment.id.desc())
        .limit(int(config.feeds.comments.count)))).unique().scalars().all()
    feed.entries = [comment_entry(config, comment) for comment in rows]
    return feed


def comment_entry(config: Config, comment: VideoComment) -> FeedEntry:
    author = comment.account
    video = comment.video
    return FeedEntry(
        id=comment.url, link=f"{watch_url(config, video.uuid)};threadId={comment.thread_id}",
        title=f"{video.name} - {author.name}", published=comment.created_at, updated=comment.updated_at,
        summary=markdown_to_plain_text(comment.text, SUMMARY_LENGTH),
        content_html=render_markdown(comment.text),
        author_name=author.name, author_url=author.actor.url)
