"""The comment lists of moderation: every comment of the instance (moderators) and the comments on
a user's own videos (their review queue). Deleted comments are left out; mutes are not applied —
moderators see what they moderate."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.config import Config
from vidpub.db.models import Account, Actor, User, Video, VideoChannel, VideoComment
from vidpub.errors import forbidden, invalid_param, not_found
from vidpub.schemas.comments import VideoCommentAdminList, comment_for_admin_json
from vidpub.services.auth.rights import UserRight, has_right
from vidpub.services.comments.loading import ADMIN_COMMENT_OPTIONS, PageRequest, load_comments
from vidpub.services.videos.lookup import ref_condition

COMMENT_SORTS = frozenset({"createdAt"})


@dataclass
class CommentListFilters:
    search: str | None = None           # in the text, the author's names and the video's name
    search_account: str | None = None
    search_video: str | None = None
    video_ref: str | None = None        # id, UUID or short UUID
    channel_id: int | None = None
    auto_tags: list[str] | None = None  # automatic tags (none are set yet: the filter matches nothing)
    is_local: bool | None = None        # written on this instance (or not)
    on_local_video: bool | None = None
    held_for_review: bool | None = None


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contains(column, term: str):
    return column.ilike(_like(term), escape="\\")


async def _video_of_filter(session: AsyncSession, ref: str) -> tuple[int, int]:
    """(video id, its owner's account id) of the `videoId` filter."""
    condition = ref_condition(ref)
    if condition is None:
        raise invalid_param("videoId", ref, "Should have a valid video id", "query")
    row = (await session.execute(sa.select(Video.id, VideoChannel.account_id)
                                 .join(VideoChannel, VideoChannel.id == Video.channel_id).where(condition))).first()
    if row is None:
        raise not_found("Video not found")
    return row[0], row[1]


async def _channel_of_filter(session: AsyncSession, channel_id: int) -> VideoChannel:
    channel = await session.get(VideoChannel, channel_id)
    if channel is None:
        raise not_found("Video channel not found")
    return channel


def _conditions(filters: CommentListFilters) -> list:
    """WHERE clauses over `VideoComment` joined with its `Video`, its `Account` and their `Actor`."""
    conditions = [VideoComment.deleted_at.is_(None)]
    if filters.auto_tags:
        conditions.append(sa.false())
    if filters.is_local is not None:
        conditions.append(Actor.server_id.is_(None) if filters.is_local else Actor.server_id.is_not(None))
    if filters.on_local_video is not None:
        conditions.append(Video.remote.is_(not filters.on_local_video))
    if filters.held_for_review is not None:
        conditions.append(VideoComment.held_for_review.is_(filters.held_for_review))
    if filters.search:
        conditions.append(sa.or_(_contains(VideoComment.text, filters.search),
                                 _contains(Actor.preferred_username, filters.search),
                                 _contains(Account.name, filters.search), _contains(Video.name, filters.search)))
    if filters.search_account:
        conditions.append(sa.or_(_contains(Actor.preferred_username, filters.search_account),
                                 _contains(Account.name, filters.search_account)))
    if filters.search_video:
        conditions.append(_contains(Video.name, filters.search_video))
    return conditions


async def _page(session: AsyncSession, config: Config, conditions: list, page: PageRequest) -> VideoCommentAdminList:
    base = (sa.select(VideoComment.id)
            .join(Video, Video.id == VideoComment.video_id)
            .join(VideoChannel, VideoChannel.id == Video.channel_id)
            .join(Account, Account.id == VideoComment.account_id)
            .join(Actor, Actor.id == Account.actor_id)
            .where(*conditions))
    total = (await session.execute(sa.select(sa.func.count()).select_from(base.subquery()))).scalar_one()
    order = ((VideoComment.created_at.desc(), VideoComment.id.desc()) if page.sort.startswith("-")
             else (VideoComment.created_at.asc(), VideoComment.id.asc()))
    ids = list((await session.execute(base.order_by(*order).offset(page.start).limit(page.count))).scalars())
    comments = await load_comments(session, ids, ADMIN_COMMENT_OPTIONS)
    return VideoCommentAdminList(total=total,
                                 data=[comment_for_admin_json(c, config.url, config.host) for c in comments])


async def list_instance_comments(session: AsyncSession, config: Config, filters: CommentListFilters,
                                 page: PageRequest) -> VideoCommentAdminList:
    """`GET /videos/comments` (SEE_ALL_COMMENTS): every comment of the instance."""
    conditions = _conditions(filters)
    if filters.video_ref is not None:
        video_id, _ = await _video_of_filter(session, filters.video_ref)
        conditions.append(VideoComment.video_id == video_id)
    if filters.channel_id is not None:
        channel = await _channel_of_filter(session, filters.channel_id)
        conditions.append(Video.channel_id == channel.id)
    return await _page(session, config, conditions, page)


async def list_comments_on_my_videos(session: AsyncSession, config: Config, user: User,
                                     filters: CommentListFilters, page: PageRequest) -> VideoCommentAdminList:
    """`GET /users/me/videos/comments`: the comments on the caller's videos (a video or channel
    filter must name one of theirs, unless they see all comments)."""
    my_account = user.account.id
    sees_all = has_right(user.role, UserRight.SEE_ALL_COMMENTS)
    conditions = [*_conditions(filters), VideoChannel.account_id == my_account]
    if filters.video_ref is not None:
        video_id, owner_account_id = await _video_of_filter(session, filters.video_ref)
        if owner_account_id != my_account and not sees_all:
            raise forbidden("Cannot manage a video of another user")
        conditions.append(VideoComment.video_id == video_id)
    if filters.channel_id is not None:
        channel = await _channel_of_filter(session, filters.channel_id)
        if channel.account_id != my_account and not sees_all:
            raise forbidden("Cannot manage a video channel of another user")
        conditions.append(Video.channel_id == channel.id)
    return await _page(session, config, conditions, page)
