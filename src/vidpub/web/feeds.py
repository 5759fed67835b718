"""Video Feeds: `/feeds/videos.{format}`, `/feeds/subscriptions.{format}`, `/feeds/video-comments.{format}`
and `/feeds/podcast/videos.xml`, rate limited by `rates_limit.feeds`.

`{format}` (or a `format` query parameter, which wins) picks RSS 2.0 (`rss`, `rss2`, `xml`), Atom
(`atom`, `atom1`) or JSON Feed (`json`, `json1`); the answer's content type is negotiated with the
`Accept` header among those the format may be served as (406 when none is acceptable), as PeerTube does.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from vidpub.api.deps import (MAX_ID, ConfigDep, OptionalUser, SessionDep, rate_limited,
                             refuse_nul_characters)
from vidpub.api.video_list_params import NSFW_FLAGS_ALL, VideoListQuery, apply_rights_and_defaults
from vidpub.config import Config
from vidpub.db.models import User, VideoPrivacy
from vidpub.errors import ProblemError, invalid_param
from vidpub.services import feed_formats, feeds, podcast_feed
from vidpub.services.videos.queries import SORT_COLUMNS, Page, VideoFilters, VideoInclude

router = APIRouter(tags=["Video Feeds"], dependencies=[rate_limited("feeds"), Depends(refuse_nul_characters)])

FeedFormat = Literal["xml", "rss", "rss2", "atom", "atom1", "json", "json1"]
FORMAT_KINDS = {"xml": "rss", "rss": "rss", "rss2": "rss", "atom": "atom", "atom1": "atom", "json": "json",
                "json1": "json"}
# what each format may be served as, preferred first (PeerTube's choices)
CONTENT_TYPES = {
    "xml": ("application/xml", "text/xml"),
    "rss": ("application/rss+xml", "application/xml", "text/xml"),
    "rss2": ("application/rss+xml", "application/xml", "text/xml"),
    "atom": ("application/atom+xml", "application/xml", "text/xml"),
    "atom1": ("application/atom+xml", "application/xml", "text/xml"),
    "json": ("application/json",),
    "json1": ("application/json",),
}
PODCAST_CONTENT_TYPE = "application/rss+xml"
CACHE_SECONDS = 900
_PRIVACIES = {VideoPrivacy.PUBLIC, VideoPrivacy.UNLISTED, VideoPrivacy.PRIVATE, VideoPrivacy.INTERNAL,
              VideoPrivacy.PASSWORD_PROTECTED}

_FEED_CONTENT = {ctype: {"schema": {"type": "string"}} for ctype in (
    "application/xml", "application/rss+xml", "text/xml", "application/atom+xml")}
_FEED_CONTENT["application/json"] = {"schema": {"type": "object"}}
FEED_RESPONSES = {200: {"description": "the feed", "content": _FEED_CONTENT},
                  406: {"description": "none of the feed's content types is acceptable"}}

PathFormat = Annotated[FeedFormat, Path(description="rss, rss2 and xml: RSS 2.0 with Media RSS; atom, atom1: "
                                                    "Atom; json, json1: JSON Feed 1.1")]
QueryFormat = Annotated[FeedFormat | None, Query(alias="format", description="overrides the path's format")]
OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
OptionalHandle = Annotated[str | None, Query(min_length=1, max_length=300)]


# -- content negotiation ------------------------------------------------------------------------------

def _accepted_ranges(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        pieces = [piece.strip() for piece in part.split(";")]
        if not pieces[0]:
            continue
        quality = 1.0
        for parameter in pieces[1:]:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = max(0.0, min(1.0, float(value)))
                except ValueError:
                    quality = 0.0
        ranges.append((pieces[0].lower(), quality))
    return ranges


def negotiate(accept: str | None, offers: tuple[str, ...]) -> str | None:
    """The offered type the `Accept` header prefers (ties: the offers' order); None if none is acceptable."""
    if not accept or not accept.strip():
        return offers[0]
    ranges = _accepted_ranges(accept)
    best, best_quality = None, 0.0
    for offer in offers:
        kind = offer.split("/")[0]
        matches = [(2 if media == offer else 1 if media == f"{kind}/*" else 0, quality)
                   for media, quality in ranges if media in (offer, f"{kind}/*", "*/*")]
        if not matches:
            continue
        quality = max(matches)[1]  # the most specific range decides
        if quality > best_quality:
            best, best_quality = offer, quality
    return best


def _chosen_format(path_format: str, query_format: str | None) -> str:
    return query_format or path_format


def _content_type(request: Request, feed_format: str) -> str:
    offers = CONTENT_TYPES[feed_format]
    chosen = negotiate(request.headers.get("accept"), offers)
    if chosen is None:
        raise ProblemError(406, "You should accept at least one of the following content-types: "
                                + ", ".join(offers))
    return chosen


def _self_url(config: Config, request: Request) -> str:
    query = request.url.query
    return config.url + request.url.path + (f"?{query}" if query else "")


def _answer(body: bytes, content_type: str, *, private: bool) -> Response:
    scope = "private" if private else "public"
    return Response(body, media_type=f"{content_type}; charset=utf-8",
                    headers={"Cache-Control": f"{scope}, max-age={CACHE_SECONDS}"})


def _render(feed: feed_formats.Feed, feed_format: str) -> bytes:
    return feed_formats.RENDERERS[FORMAT_KINDS[feed_format]](feed)


# -- the video filters of the feeds -------------------------------------------------------------------

def _privacies(request: Request) -> list[int] | None:
    values = [value for key, value in request.query_params.multi_items()
              if key == "privacyOneOf" or key.startswith("privacyOneOf[")]
    if not values:
        return None
    valid = all(value.isdigit() and int(value) in _PRIVACIES for value in values)
    if len(values) > len(_PRIVACIES) or not valid:
        raise invalid_param("privacyOneOf", values[:5], "Should have a valid privacyOneOf", "query")
    return [int(value) for value in values]


async def feed_video_query(
        request: Request, sort: Annotated[str, Query(max_length=100)] = "-publishedAt",
        nsfw: Annotated[Literal["true", "false", "both"] | None, Query()] = None,
        isLocal: bool | None = None,
        include: Annotated[int | None, Query(ge=0, le=VideoInclude.ALL)] = None,
        privacyOneOf: Annotated[list[str] | None, Query(description="an integer or an array of them")] = None,
        hasHLSFiles: bool | None = None, hasWebVideoFiles: bool | None = None,
        nsfwFlagsIncluded: Annotated[int | None, Query(ge=0, le=NSFW_FLAGS_ALL)] = None,
        nsfwFlagsExcluded: Annotated[int | None, Query(ge=0, le=NSFW_FLAGS_ALL)] = None) -> VideoListQuery:
    if sort.lstrip("-") not in SORT_COLUMNS:
        raise invalid_param("sort", sort, "Should have correct sortable column", "query")
    privacies = _privacies(request)
    filters = VideoFilters(is_local=isLocal, include=include or VideoInclude.NONE, privacy_one_of=privacies,
                           has_hls_files=hasHLSFiles, has_web_video_files=hasWebVideoFiles,
                           nsfw_flags_included=nsfwFlagsIncluded, nsfw_flags_excluded=nsfwFlagsExcluded)
    return VideoListQuery(filters=filters, page=Page(0, 0, sort, True), nsfw=nsfw,
                          wants_all_videos=bool(include) or privacies is not None)


FeedVideoQuery = Annotated[VideoListQuery, Depends(feed_video_query)]


def _filters(query: VideoListQuery, config: Config, user: User | None) -> VideoFilters:
    return apply_rights_and_defaults(query, config, user)


# -- routes -------------------------------------------------------------------------------------------

@router.get("/feeds/videos.{format}", operation_id="getSyndicatedVideos", response_class=Response,
            responses=FEED_RESPONSES, summary="Common videos feeds")
async def videos_feed(format: PathFormat, request: Request,  # noqa: A002 - PeerTube's name
                      session: SessionDep, config: ConfigDep, user: OptionalUser, query: FeedVideoQuery,
                      format_override: QueryFormat = None,
                      accountId: OptionalId = None, accountName: OptionalHandle = None,
                      videoChannelId: OptionalId = None, videoChannelName: OptionalHandle = None):
    feed_format = _chosen_format(format, format_override)
    content_type = _content_type(request, feed_format)
    filters = _filters(query, config, user)
    scope = await feeds.resolve_scope(session, config, account_id=accountId, account_name=accountName,
                                      channel_id=videoChannelId, channel_name=videoChannelName)
    feed = await feeds.videos_feed(session, config, scope, filters, query.page.sort, user,
                                   _self_url(config, request))
    return _answer(_render(feed, feed_format), content_type, private=user is not None)


@router.get("/feeds/subscriptions.{format}", operation_id="getSyndicatedSubscriptionVideos",
            response_class=Response, responses=FEED_RESPONSES, summary="Videos of subscriptions feeds")
async def subscriptions_feed(format: PathFormat, request: Request,  # noqa: A002 - PeerTube's name
                             session: SessionDep, config: ConfigDep, query: FeedVideoQuery,
                             accountId: Annotated[int, Query(ge=1, le=MAX_ID)],
                             token: Annotated[str, Query(min_length=1, max_length=100,
                                                         description="the user's feed token")],
                             format_override: QueryFormat = None):
    feed_format = _chosen_format(format, format_override)
    content_type = _content_type(request, feed_format)
    # the token opens the feed, not the moderators' filters
    filters = _filters(query, config, None)
    feed = await feeds.subscriptions_feed(session, config, accountId, token, filters, query.page.sort,
                                          _self_url(config, request))
    return _answer(_render(feed, feed_format), content_type, private=True)


@router.get("/feeds/video-comments.{format}", operation_id="getSyndicatedComments", response_class=Response,
            responses=FEED_RESPONSES, summary="Comments on videos feeds")
async def comments_feed(format: PathFormat, request: Request,  # noqa: A002 - PeerTube's name
                        session: SessionDep, config: ConfigDep,
                        format_override: QueryFormat = None,
                        videoId: Annotated[str | None, Query(min_length=1, max_length=40,
                                                             pattern=r"^[0-9a-zA-Z-]+$")] = None,
                        accountId: OptionalId = None, accountName: OptionalHandle = None,
                        videoChannelId: OptionalId = None, videoChannelName: OptionalHandle = None):
    feed_format = _chosen_format(format, format_override)
    content_type = _content_type(request, feed_format)
    scope = await feeds.resolve_scope(session, config, account_id=accountId, account_name=accountName,
                                      channel_id=videoChannelId, channel_name=videoChannelName)
    feed = await feeds.comments_feed(session, config, videoId, scope, _self_url(config, request))
    return _answer(_render(feed, feed_format), content_type, private=False)


@router.get("/feeds/podcast/videos.xml", operation_id="getVideosPodcastFeed", response_class=Response,
            responses={200: {"description": "the channel as a podcast",
                             "content": {PODCAST_CONTENT_TYPE: {"schema": {"type": "string"}}}}},
            summary="Videos podcast feed")
async def channel_podcast(request: Request, session: SessionDep, config: ConfigDep,
                          videoChannelId: Annotated[int, Query(ge=1, le=MAX_ID)]):
    scope = await feeds.resolve_scope(session, config, channel_id=videoChannelId)
    body = await podcast_feed.podcast_feed(session, config, scope.channel, _self_url(config, request))
    return _answer(body, PODCAST_CONTENT_TYPE, private=False)
