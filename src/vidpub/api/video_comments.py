"""Video Comments tag: a video's threads and replies, deletion and approval, and the moderation
lists (the instance's comments, the comments on my videos)."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response

from vidpub.api.deps import (ConfigDep, CurrentUser, IdPath, OptionalUser, Pagination, SessionDep, pagination,
                             require_right)
from vidpub.errors import invalid_param
from vidpub.schemas.comments import (CommentThreadPostResponse, VideoCommentAdminList, VideoCommentCreate,
                                     VideoCommentThreads, VideoCommentThreadTree)
from vidpub.services.auth.rights import UserRight
from vidpub.services.comments import moderation, threads, writing
from vidpub.services.videos.lookup import VIDEO_PASSWORD_HEADER

router = APIRouter(tags=["Video Comments"])

VideoRef = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[0-9a-zA-Z-]+$")]
VideoPassword = Annotated[str | None, Header(alias=VIDEO_PASSWORD_HEADER, max_length=100)]
SearchTerm = Annotated[str | None, Query(max_length=250)]
MAX_AUTO_TAGS = 100
_AUTO_TAG_KEY = re.compile(r"^autoTagOneOf(\[\d*\])?$")

ThreadPage = Annotated[Pagination, pagination("-createdAt", threads.THREAD_SORTS)]
CommentPage = Annotated[Pagination, pagination("-createdAt", moderation.COMMENT_SORTS)]


def _auto_tags(request: Request) -> list[str] | None:
    """`autoTagOneOf`, one value or many (repeated, or in the `[]`/`[n]` forms of PeerTube's parser)."""
    values = [value for key, value in request.query_params.multi_items() if _AUTO_TAG_KEY.match(key)]
    if len(values) > MAX_AUTO_TAGS:
        raise invalid_param("autoTagOneOf", values[:3], f"Should have at most {MAX_AUTO_TAGS} values", "query")
    return values or None


async def common_filters(request: Request, search: SearchTerm = None, searchAccount: SearchTerm = None,
                         searchVideo: SearchTerm = None,
                         videoId: Annotated[str | None, Query(min_length=1, max_length=40,
                                                              pattern=r"^[0-9a-zA-Z-]+$")] = None,
                         videoChannelId: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
                         autoTagOneOf: Annotated[list[str] | None, Query(
                             description="one automatic tag or several")] = None) -> moderation.CommentListFilters:
    return moderation.CommentListFilters(search=search, search_account=searchAccount, search_video=searchVideo,
                                         video_ref=videoId, channel_id=videoChannelId,
                                         auto_tags=_auto_tags(request))


CommonFilters = Annotated[moderation.CommentListFilters, Depends(common_filters)]


# -- the moderation lists (literal paths before /videos/{id}) -----------------------------------------

@router.get("/videos/comments", response_model=VideoCommentAdminList, operation_id="getVideoComments",
            dependencies=[require_right(UserRight.SEE_ALL_COMMENTS)])
async def list_instance_comments(session: SessionDep, config: ConfigDep, page: CommentPage, filters: CommonFilters,
                                 isLocal: bool | None = None, onLocalVideo: bool | None = None):
    filters.is_local, filters.on_local_video = isLocal, onLocalVideo
    return await moderation.list_instance_comments(session, config, filters, page)


@router.get("/users/me/videos/comments", response_model=VideoCommentAdminList,
            operation_id="getCommentsOnMyVideos")
async def list_comments_on_my_videos(session: SessionDep, config: ConfigDep, user: CurrentUser, page: CommentPage,
                                     filters: CommonFilters, isHeldForReview: bool | None = None):
    filters.held_for_review = isHeldForReview
    return await moderation.list_comments_on_my_videos(session, config, user, filters, page)


# -- a video's discussion -------------------------------------------------------------------------------

@router.get("/videos/{id}/comment-threads", response_model=VideoCommentThreads,
            operation_id="getVideoCommentThreads")
async def list_threads(id: VideoRef, session: SessionDep, config: ConfigDep, user: OptionalUser, page: ThreadPage,
                       password: VideoPassword = None):
    return await threads.list_threads(session, config, id, user, page, password)


@router.get("/videos/{id}/comment-threads/{threadId}", response_model=VideoCommentThreadTree,
            operation_id="getVideoCommentThread")
async def get_thread(id: VideoRef, threadId: IdPath, session: SessionDep, config: ConfigDep, user: OptionalUser,
                     password: VideoPassword = None):
    return await threads.thread_tree(session, config, id, threadId, user, password)


@router.post("/videos/{id}/comment-threads", response_model=CommentThreadPostResponse,
             operation_id="addVideoCommentThread")
async def create_thread(id: VideoRef, body: VideoCommentCreate, session: SessionDep, config: ConfigDep,
                        user: CurrentUser, password: VideoPassword = None):
    comment = await writing.create_comment(session, config, id, user, body.text, password)
    return CommentThreadPostResponse(comment=comment)


@router.post("/videos/{id}/comments/{commentId}", response_model=CommentThreadPostResponse,
             operation_id="addVideoCommentReply")
async def reply(id: VideoRef, commentId: IdPath, body: VideoCommentCreate, session: SessionDep, config: ConfigDep,
                user: CurrentUser, password: VideoPassword = None):
    comment = await writing.create_comment(session, config, id, user, body.text, password, reply_to=commentId)
    return CommentThreadPostResponse(comment=comment)


@router.delete("/videos/{id}/comments/{commentId}", status_code=204, operation_id="deleteVideoComment")
async def delete_comment(id: VideoRef, commentId: IdPath, session: SessionDep, user: CurrentUser):
    await writing.delete_comment(session, id, commentId, user)
    return Response(status_code=204)


@router.post("/videos/{id}/comments/{commentId}/approve", status_code=204, operation_id="approveVideoComment")
async def approve_comment(id: VideoRef, commentId: IdPath, session: SessionDep, user: CurrentUser):
    await writing.approve_comment(session, id, commentId, user)
    return Response(status_code=204)
