"""ActivityPub documents of videos, for ActivityPub clients only (`ActivityPubRoute`; the same paths
serve the watch page otherwise): `/videos/watch/<uuid>` (the Video object), `…/activity` (its
Create), the `likes`, `dislikes`, `announces` and `comments` collections and `…/chapters`. A remote
video's document is its origin's: the request is redirected there. Private, internal and
password-protected videos, and videos not in a listed state, have no document.

Also the outbox loader of actors: the Create of each federated video of an account or a channel.
"""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy.ext.asyncio import AsyncSession

from vidpub.api.deps import ConfigDep, SessionDep, rate_limited, refuse_nul_characters
from vidpub.config import Config
from vidpub.db.models import (
    Account,
    AccountVideoRate,
    Actor,
    Video,
    VideoChannel,
    VideoChapter,
    VideoComment,
    VideoPrivacy,
    VideoShare,
    VideoState,
)
from vidpub.errors import not_found
from vidpub.federation.ap.video import load_video_parts, video_to_ap
from vidpub.federation.context import with_context
from vidpub.federation.negotiation import ActivityPubRoute, activity_response, collection_response
from vidpub.federation.outbox.send_video import create_activity
from vidpub.federation.routes.actors import register_outbox_loader
from vidpub.federation.video_shares import announce_activity
from vidpub.services.videos.lookup import is_listed_state

router = APIRouter(include_in_schema=False, route_class=ActivityPubRoute,
                   dependencies=[rate_limited("activity_pub"), Depends(refuse_nul_characters)])

SERVED_PRIVACIES = (VideoPrivacy.PUBLIC, VideoPrivacy.UNLISTED)


async def _video(session: AsyncSession, uuid: str) -> Video:
    video = (await session.execute(sa.select(Video).where(Video.uuid == uuid))).scalar_one_or_none()
    if video is None or video.privacy not in SERVED_PRIVACIES or (video.is_local and not is_listed_state(video)):
        raise not_found("Video not found")
    return video


@router.get("/videos/watch/{uuid}")
async def video_document(uuid: str, session: SessionDep, config: ConfigDep):
    video = await _video(session, uuid)
    if video.remote:
        return RedirectResponse(video.url, status_code=301)
    parts = await load_video_parts(session, video.id)
    return activity_response(with_context(video_to_ap(config, parts), "Video"))


@router.get("/videos/watch/{uuid}/activity")
async def video_activity(uuid: str, session: SessionDep, config: ConfigDep):
    video = await _video(session, uuid)
    if video.remote:
        return RedirectResponse(f"{video.url}/activity", status_code=301)
    return activity_response(create_activity(config, await load_video_parts(session, video.id)))


def _urls_loader(session: AsyncSession, model, condition):
    """A collection of the ActivityPub ids (`url`) of `model` rows matching `condition`, oldest first."""
    async def load(start: int, count: int):
        total = (await session.execute(sa.select(sa.func.count()).select_from(model).where(condition))).scalar_one()
        items = []
        if count:
            items = list((await session.execute(sa.select(model.url).where(condition)
                                                .order_by(model.id).offset(start).limit(count))).scalars())
        return total, items
    return load


def _rates(session: AsyncSession, video_id: int, kind: str):
    return _urls_loader(session, AccountVideoRate,
                        sa.and_(AccountVideoRate.video_id == video_id, AccountVideoRate.type == kind))


@router.get("/videos/watch/{uuid}/likes")
async def video_likes(uuid: str, request: Request, session: SessionDep):
    video = await _video(session, uuid)
    return await collection_response(request, f"{video.url}/likes", _rates(session, video.id, "like"))


@router.get("/videos/watch/{uuid}/dislikes")
async def video_dislikes(uuid: str, request: Request, session: SessionDep):
    video = await _video(session, uuid)
    return await collection_response(request, f"{video.url}/dislikes", _rates(session, video.id, "dislike"))


@router.get("/videos/watch/{uuid}/announces")
async def video_announces(uuid: str, request: Request, session: SessionDep):
    video = await _video(session, uuid)
    return await collection_response(request, f"{video.url}/announces",
                                     _urls_loader(session, VideoShare, VideoShare.video_id == video.id))


@router.get("/videos/watch/{uuid}/announces/{actor_id}")
async def video_announce(uuid: str, actor_id: int, session: SessionDep):
    """The Announce of a local actor's share (a local video shared by its channel or the instance)."""
    video = await _video(session, uuid)
    share = (await session.execute(sa.select(VideoShare).where(
        VideoShare.video_id == video.id, VideoShare.actor_id == actor_id))).scalar_one_or_none()
    actor = await session.get(Actor, actor_id) if share is not None else None
    if actor is None or not actor.is_local:
        raise not_found("Video share not found")
    return activity_response(announce_activity(actor, video, share.url))


@router.get("/videos/watch/{uuid}/comments")
async def video_comments(uuid: str, request: Request, session: SessionDep):
    video = await _video(session, uuid)
    return await collection_response(request, f"{video.url}/comments", _urls_loader(
        session, VideoComment, sa.and_(VideoComment.video_id == video.id, VideoComment.held_for_review.is_(False))))


@router.get("/videos/watch/{uuid}/chapters")
async def video_chapters(uuid: str, session: SessionDep):
    video = await _video(session, uuid)
    chapters = list((await session.execute(sa.select(VideoChapter).where(VideoChapter.video_id == video.id)
                                           .order_by(VideoChapter.timecode))).scalars())
    parts = []
    for index, chapter in enumerate(chapters):
        end = chapters[index + 1].timecode if index + 1 < len(chapters) else video.duration
        parts.append({"name": chapter.title, "startOffset": chapter.timecode, "endOffset": end})
    return activity_response(with_context({"id": f"{video.url}/chapters", "hasPart": parts}, "Chapters"))


# -- outboxes --------------------------------------------------------------------------------------------

async def outbox_videos(session: AsyncSession, config: Config, actor: Actor, start: int, count: int):
    """The actor's public videos, newest first, as PeerTube's outbox lists them: the Create of the
    videos its account published, the Announce of the ones it shared (a channel's own videos, which it
    Announces on publication, and videos shared by the instance actor)."""
    owned = Video.channel_id.in_(sa.select(VideoChannel.id).where(
        VideoChannel.account_id.in_(sa.select(Account.id).where(Account.actor_id == actor.id))))
    shared = Video.id.in_(sa.select(VideoShare.video_id).where(VideoShare.actor_id == actor.id))
    condition = sa.and_(sa.or_(owned, shared), Video.remote.is_(False), Video.privacy == VideoPrivacy.PUBLIC,
                        Video.state == VideoState.PUBLISHED)
    total = (await session.execute(sa.select(sa.func.count()).where(condition))).scalar_one()
    activities = []
    if count:
        rows = (await session.execute(
            sa.select(Video.id, owned.label("owned")).where(condition)
            .order_by(Video.published_at.desc(), Video.id.desc()).offset(start).limit(count))).all()
        shares = {share.video_id: share for share in (await session.execute(sa.select(VideoShare).where(
            VideoShare.actor_id == actor.id, VideoShare.video_id.in_([row.id for row in rows])))).scalars()}
        for row in rows:
            if row.owned:
                activity = create_activity(config, await load_video_parts(session, row.id))
            else:
                activity = announce_activity(actor, await session.get(Video, row.id), shares[row.id].url)
            activities.append({key: value for key, value in activity.items() if key != "@context"})
    return total, activities


register_outbox_loader(outbox_videos)
