"""The query of PeerTube's video lists (`VideosCommonQuery`): reading it, and turning it into
`VideoFilters` with the caller's rights and NSFW settings applied.

Arrays come as repeated keys (`tagsOneOf=a&tagsOneOf=b`) or in the bracket forms of PeerTube's
query parser (`tagsOneOf[]=a`, `tagsOneOf[0]=a`); all three are read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from vidpub.api.deps import MAX_START
from vidpub.config import Config
from vidpub.db.models import User, VideoPrivacy, VideoState
from vidpub.errors import ProblemError, invalid_param
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.videos.queries import SORT_COLUMNS, Page, VideoFilters, VideoInclude

MAX_ARRAY_ITEMS = 100
MAX_INT = 2**31 - 1  # the database's integers (a larger one is an error of the client, not a 500)
NSFW_FLAGS_ALL = 1 | 2  # PeerTube's NSFWFlag bits: VIOLENT, EXPLICIT_SEX
MODERATOR_SORTS = frozenset({"localVideoFilesSize"})
_BRACKETS = re.compile(r"^([A-Za-z]+)\[\d*\]$")

# The scalar parameters, validated in one pass: declared one by one in a route's signature, FastAPI's
# per-parameter work cost a video list 0.3 ms (15 % of a front page). The arrays are read by hand with
# their bracket forms (`_int_list`/`str_list`). `LIST_QUERY_OPENAPI` publishes both in the schema.
class VideoListParams(BaseModel):
    model_config = ConfigDict(extra="ignore")

    start: int = Field(0, ge=0, le=MAX_START)
    count: int = Field(15, ge=0, le=100)
    sort: str | None = Field(None, max_length=100)
    nsfw: Literal["true", "false", "both"] | None = None
    nsfwFlagsIncluded: int | None = Field(None, ge=0, le=NSFW_FLAGS_ALL)
    nsfwFlagsExcluded: int | None = Field(None, ge=0, le=NSFW_FLAGS_ALL)
    isLocal: bool | None = None
    isLive: bool | None = None
    include: int | None = Field(None, ge=0, le=VideoInclude.ALL)
    hasHLSFiles: bool | None = None
    hasWebVideoFiles: bool | None = None
    skipCount: bool = False
    search: str | None = Field(None, max_length=1000)
    host: str | None = Field(None, max_length=255)
    excludeAlreadyWatched: bool = False


_INT_ARRAYS = ("categoryOneOf", "licenceOneOf", "privacyOneOf", "stateOneOf")
_STR_ARRAYS = ("languageOneOf", "tagsOneOf", "tagsAllOf", "autoTagOneOf", "uuids")


def _openapi_parameters() -> list[dict]:
    properties = VideoListParams.model_json_schema()["properties"]
    parameters = [{"name": name, "in": "query", "required": False, "schema": schema}
                  for name, schema in properties.items()]
    for name in _INT_ARRAYS:
        parameters.append({"name": name, "in": "query", "required": False,
                           "description": "an integer or an array of integers",
                           "schema": {"anyOf": [{"type": "integer"}, {"type": "array", "items": {"type": "integer"}}]}})
    for name in _STR_ARRAYS:
        parameters.append({"name": name, "in": "query", "required": False,
                           "schema": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}})
    return parameters


LIST_QUERY_OPENAPI = {"parameters": _openapi_parameters()}


@dataclass
class VideoListQuery:
    """What the client asked for, before rights and defaults."""
    filters: VideoFilters
    page: Page
    nsfw: str | None
    wants_all_videos: bool  # include or privacyOneOf: moderators' (or owners') filters


def _values(request: Request, name: str) -> list[str]:
    values = []
    for key, value in request.query_params.multi_items():
        match = _BRACKETS.match(key)
        if key == name or (match and match.group(1) == name):
            values.append(value)
    return values


def _int_list(request: Request, name: str, allowed=None) -> list[int] | None:
    values = _values(request, name)
    if not values:
        return None
    if len(values) > MAX_ARRAY_ITEMS:
        raise invalid_param(name, values[:3], f"Should have at most {MAX_ARRAY_ITEMS} values", "query")
    out = []
    for value in values:
        if (not value.strip().lstrip("-").isdigit() or abs(int(value)) > MAX_INT
                or (allowed is not None and int(value) not in allowed)):
            raise invalid_param(name, value, "Should have a valid value", "query")
        out.append(int(value))
    return out


def str_list(request: Request, name: str, max_length: int = 100) -> list[str] | None:
    values = _values(request, name)
    if not values:
        return None
    if len(values) > MAX_ARRAY_ITEMS or any(len(value) > max_length or "\x00" in value for value in values):
        raise invalid_param(name, values[:3], "Should have a valid array of strings", "query")
    return values


def _scalar_params(request: Request) -> VideoListParams:
    try:
        return VideoListParams.model_validate(dict(request.query_params))
    except ValidationError as error:  # the same problem document as FastAPI's own parameters give
        raise RequestValidationError([{**detail, "loc": ("query", *detail["loc"])}
                                      for detail in error.errors(include_url=False)]) from None


def video_list_query_for(default_sort: str, sort_columns: frozenset[str]):
    """The dependency reading a list's query, for a list with its own default sort and sorts (the
    search API sorts by relevance, `-match`, by default). Routes using it publish its parameters
    with `openapi_extra=LIST_QUERY_OPENAPI`."""

    async def video_list_query(request: Request) -> VideoListQuery:
        params = _scalar_params(request)
        sort = params.sort if params.sort is not None else default_sort
        if sort.lstrip("-") not in sort_columns:
            raise invalid_param("sort", sort, "Should have correct sortable column", "query")
        search = params.search
        if search is not None and "\x00" in search:
            raise invalid_param("search", search, "Should have a valid search", "query")
        privacies = _int_list(request, "privacyOneOf", allowed={VideoPrivacy.PUBLIC, VideoPrivacy.UNLISTED,
                                                                 VideoPrivacy.PRIVATE, VideoPrivacy.INTERNAL,
                                                                 VideoPrivacy.PASSWORD_PROTECTED})
        str_list(request, "autoTagOneOf")  # validated, then ignored: automatic tags come later
        filters = VideoFilters(
            category_one_of=_int_list(request, "categoryOneOf"), licence_one_of=_int_list(request, "licenceOneOf"),
            language_one_of=str_list(request, "languageOneOf", 20), tags_one_of=str_list(request, "tagsOneOf"),
            tags_all_of=str_list(request, "tagsAllOf"), privacy_one_of=privacies,
            state_one_of=_int_list(request, "stateOneOf", allowed=set(range(1, VideoState.TO_IMPORT_FAILED + 1))),
            uuids=str_list(request, "uuids", 36),
            nsfw_flags_included=params.nsfwFlagsIncluded, nsfw_flags_excluded=params.nsfwFlagsExcluded,
            is_local=params.isLocal, is_live=params.isLive, include=params.include or VideoInclude.NONE,
            has_hls_files=params.hasHLSFiles, has_web_video_files=params.hasWebVideoFiles,
            search=search.strip() or None if search else None,
            host=params.host.strip() or None if params.host else None,
            exclude_already_watched=params.excludeAlreadyWatched)
        return VideoListQuery(filters=filters, page=Page(params.start, params.count, sort, params.skipCount),
                              nsfw=params.nsfw, wants_all_videos=bool(params.include) or privacies is not None)

    return video_list_query


video_list_query = video_list_query_for("-publishedAt", SORT_COLUMNS)
VideoListQueryDep = Annotated[VideoListQuery, Depends(video_list_query)]


def apply_rights_and_defaults(query: VideoListQuery, config: Config, user: User | None, *,
                              may_see_all: bool = False) -> VideoFilters:
    """The filters the lists run with: `include`, `privacyOneOf` and the moderators' sorts need
    SEE_ALL_VIDEOS (or `may_see_all`: the caller's own videos); NSFW follows the query, else the
    user's policy, else the instance's default."""
    moderator = user is not None and has_right(user.role, UserRight.SEE_ALL_VIDEOS)
    if query.wants_all_videos and not (moderator or may_see_all):
        raise ProblemError(401, "You are not allowed to see all videos.")
    if query.page.sort.lstrip("-") in MODERATOR_SORTS and not (moderator or may_see_all):
        raise invalid_param("sort", query.page.sort, "Should have correct sortable column", "query")
    filters = query.filters
    if query.nsfw == "true":
        filters.nsfw = True
    elif query.nsfw == "false":
        filters.nsfw = False
    elif query.nsfw is None:
        policy = user.nsfw_policy if user is not None else config.instance.default_nsfw_policy
        if policy == "do_not_list":
            filters.nsfw = False
            if filters.nsfw_flags_included is None and user is not None:
                # flags the user chose to see anyway (displayed, blurred or warned)
                shown = user.nsfw_flags_displayed | user.nsfw_flags_blurred | user.nsfw_flags_warned
                filters.nsfw_flags_included = shown or None
    if filters.nsfw_flags_excluded is None and user is not None and query.nsfw != "true":
        filters.nsfw_flags_excluded = user.nsfw_flags_hidden or None
    return filters
