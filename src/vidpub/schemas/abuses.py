"""Abuses tag: reports of videos, comments and accounts, and the messages between a reporter and the
moderators.

The list items follow PeerTube 8's `AdminAbuse` (moderators' list) and `UserAbuse` (a reporter's own
list); the 7.0 spec's `Abuse` documents only part of them. The predefined reasons are PeerTube's:
the spec's enum says `violentOrAbusive` where PeerTube (and every client) uses `violentOrRepulsive`.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StrictInt, field_validator, model_validator

from vidpub.schemas.actors import Account, AccountSummary, VideoChannel
from vidpub.schemas.common import ApiModel, NumberConstant, Page, RequestBody, Timestamp
from vidpub.schemas.videos import ThumbnailJson

# PeerTube's numbers of the predefined reasons (stored) and their names (in the API and in Flags)
PREDEFINED_REASONS = {"violentOrRepulsive": 1, "hatefulOrAbusive": 2, "spamOrMisleading": 3, "privacy": 4,
                      "rights": 5, "serverRules": 6, "thumbnails": 7, "captions": 8}
PREDEFINED_REASON_NAMES = {number: name for name, number in PREDEFINED_REASONS.items()}
STATE_LABELS = {1: "Pending", 2: "Rejected", 3: "Accepted"}
REASON_MIN, REASON_MAX = 2, 3000

PredefinedReason = Literal["violentOrRepulsive", "hatefulOrAbusive", "spamOrMisleading", "privacy", "rights",
                           "serverRules", "thumbnails", "captions"]
AbuseStateValue = Literal[1, 2, 3]
Id = Annotated[StrictInt, Field(ge=1, le=2**31 - 1)]
Seconds = Annotated[StrictInt, Field(ge=0, le=2**31 - 1)]
LongText = Annotated[str, Field(min_length=REASON_MIN, max_length=REASON_MAX)]


# -- request bodies ---------------------------------------------------------------------------------

class ReportedVideo(RequestBody):
    id: StrictInt | Annotated[str, Field(min_length=1, max_length=36)]  # id, UUID or short UUID
    startAt: Seconds | None = None
    endAt: Seconds | None = None

    @model_validator(mode="after")
    def _coherent_timestamps(self):
        if self.endAt is not None and (self.startAt is None or self.endAt <= self.startAt):
            raise ValueError("Should have a startAt timestamp beginning before endAt")
        return self


class ReportedObject(RequestBody):
    id: Id


class AbuseCreate(RequestBody):
    reason: LongText
    predefinedReasons: Annotated[list[PredefinedReason], Field(max_length=len(PREDEFINED_REASONS))] | None = None
    video: ReportedVideo | None = None
    comment: ReportedObject | None = None
    account: ReportedObject | None = None

    @field_validator("predefinedReasons")
    @classmethod
    def _distinct(cls, value):
        return list(dict.fromkeys(value)) if value is not None else None


class AbuseUpdate(RequestBody):
    state: AbuseStateValue | None = None
    moderationComment: LongText | None = None


class AbuseMessageCreate(RequestBody):
    message: LongText


# -- answers ----------------------------------------------------------------------------------------

class CreatedId(ApiModel):
    id: int


class AbuseCreated(ApiModel):
    abuse: CreatedId


class AbuseMessageCreated(ApiModel):
    abuseMessage: CreatedId


class UserVideoAbuse(ApiModel):
    id: int
    name: str
    uuid: str
    shortUUID: str
    nsfw: bool
    deleted: bool
    blacklisted: bool
    startAt: int | None
    endAt: int | None
    thumbnailPath: str | None
    thumbnails: list[ThumbnailJson]
    channel: VideoChannel | None


class AdminVideoAbuse(UserVideoAbuse):
    countReports: int
    nthReport: int


class CommentVideo(ApiModel):
    id: int
    name: str
    uuid: str


class VideoCommentAbuse(ApiModel):
    id: int
    threadId: int
    video: CommentVideo
    text: str
    deleted: bool


class UserAbuse(ApiModel):
    id: int
    reason: str
    predefinedReasons: list[str]
    flaggedAccount: Account | None
    state: NumberConstant
    video: UserVideoAbuse | None
    comment: VideoCommentAbuse | None
    countMessages: int
    createdAt: Timestamp
    updatedAt: Timestamp


class AdminAbuse(UserAbuse):
    video: AdminVideoAbuse | None
    reporterAccount: Account | None
    moderationComment: str | None
    countReportsForReporter: int
    countReportsForReportee: int


class AbuseMessageJson(ApiModel):
    id: int
    message: str
    byModerator: bool
    createdAt: Timestamp
    account: AccountSummary | None


AdminAbuseList = Page[AdminAbuse]
UserAbuseList = Page[UserAbuse]
AbuseMessageList = Page[AbuseMessageJson]
