"""Video Comments tag: PeerTube's `VideoComment`, its thread tree and the moderation list items.

Shapes are the union of the v7.0 REST spec and PeerTube 8's interfaces. `text` is the comment
rendered to sanitised HTML: the spec gives it `format: html` (and the request body's `format:
markdown`), and comments coming from other software already carry HTML there, so every client
renders it as HTML. The markdown as written is kept for ActivityPub (`content`, `text/markdown`).
A deleted comment is a tombstone: `isDeleted`, empty `text` and `account: null`, as in PeerTube.
`VideoCommentForAdminOrUser` also carries `videoId`, which PeerTube 8 sends although its
interface omits it (the 7.0 spec's item documents neither: extra, harmless).
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from vidpub.db.models import VideoComment
from vidpub.schemas.actors import Account, VideoChannelSummary, account_json
from vidpub.schemas.common import ApiModel, RequestBody, Timestamp
from vidpub.schemas.videos import channel_summary_json
from vidpub.services.markdown import render_markdown

COMMENT_TEXT_MAX = 10000


class VideoCommentCreate(RequestBody):
    text: str = Field(min_length=1, max_length=COMMENT_TEXT_MAX)


class VideoCommentJson(ApiModel):
    id: int
    url: str
    text: str
    threadId: int
    inReplyToCommentId: int | None
    videoId: int
    createdAt: Timestamp
    updatedAt: Timestamp
    deletedAt: Timestamp | None
    isDeleted: bool
    heldForReview: bool
    totalRepliesFromVideoAuthor: int
    totalReplies: int
    account: Account | None


class VideoCommentThreads(ApiModel):
    total: int
    data: list[VideoCommentJson]
    totalNotDeletedComments: int


class VideoCommentThreadTree(ApiModel):
    comment: VideoCommentJson
    children: list[VideoCommentThreadTree]


class CommentThreadPostResponse(ApiModel):
    comment: VideoCommentJson


class CommentVideoInfo(ApiModel):
    id: int
    uuid: str
    name: str
    channel: VideoChannelSummary


class VideoCommentForAdminOrUser(ApiModel):
    id: int
    url: str
    text: str
    threadId: int
    inReplyToCommentId: int | None
    videoId: int
    createdAt: Timestamp
    updatedAt: Timestamp
    heldForReview: bool
    automaticTags: list[str]
    video: CommentVideoInfo
    account: Account | None


class VideoCommentAdminList(ApiModel):
    total: int
    data: list[VideoCommentForAdminOrUser]


@dataclass
class ReplyCounts:
    """What a comment's JSON needs besides its row: computed per page by the service."""
    total: int = 0
    from_video_author: int = 0


def comment_json(comment: VideoComment, base_url: str, local_host: str,
                 counts: ReplyCounts | None = None) -> VideoCommentJson:
    """A row loaded with its account (`services.comments.loading.COMMENT_OPTIONS`)."""
    counts = counts or ReplyCounts()
    return VideoCommentJson(
        id=comment.id, url=comment.url, text=render_markdown(comment.text), threadId=comment.thread_id,
        inReplyToCommentId=comment.in_reply_to_comment_id, videoId=comment.video_id,
        createdAt=comment.created_at, updatedAt=comment.updated_at, deletedAt=comment.deleted_at,
        isDeleted=comment.is_deleted, heldForReview=comment.held_for_review,
        totalRepliesFromVideoAuthor=counts.from_video_author, totalReplies=counts.total,
        account=account_json(comment.account, base_url, local_host) if comment.account is not None else None)


def comment_for_admin_json(comment: VideoComment, base_url: str, local_host: str) -> VideoCommentForAdminOrUser:
    """A row loaded with its account and its video's channel (`loading.ADMIN_COMMENT_OPTIONS`)."""
    video = comment.video
    return VideoCommentForAdminOrUser(
        id=comment.id, url=comment.url, text=render_markdown(comment.text), threadId=comment.thread_id,
        inReplyToCommentId=comment.in_reply_to_comment_id, videoId=comment.video_id,
        createdAt=comment.created_at, updatedAt=comment.updated_at, heldForReview=comment.held_for_review,
        automaticTags=[],  # no automatic tagging (watched words) yet
        video=CommentVideoInfo(id=video.id, uuid=video.uuid, name=video.name,
                               channel=channel_summary_json(video.channel, base_url, local_host)),
        account=account_json(comment.account, base_url, local_host) if comment.account is not None else None)
