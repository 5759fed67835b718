"""ActivityPub documents of comments and playlists (for ActivityPub clients only, `ActivityPubRoute`):

- `/videos/watch/<uuid>/comments/<id>`: a comment on a public or unlisted video (a `Note`, or a
  `Tombstone` once deleted); a remote comment redirects to its origin, as PeerTube does;
  `…/approve-reply`: the approval of a reply to one of our videos;
- `/video-playlists/<uuid>` (`?page=n` for its elements) and `/video-playlists/<uuid>/videos/<id>`;
- `/accounts/<name>/playlists`, `/video-channels/<name>/playlists`: an actor's published playlists.
"""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse

from vidpub.api.deps import ConfigDep, SessionDep, rate_limited, refuse_nul_characters
from vidpub.db.models import (Account, Actor, Video, VideoChannel, VideoComment, VideoPlaylist, VideoPlaylistElement,
                              VideoPlaylistType)
from vidpub.errors import not_found
from vidpub.federation import urls
from vidpub.federation.ap.comment import comment_to_ap, load_comment_context
from vidpub.federation.ap.playlist import FEDERATED_PRIVACIES as PLAYLIST_PRIVACIES
from vidpub.federation.ap.playlist import element_object, element_page, is_published, playlist_object
from vidpub.federation.audience import audience_for
from vidpub.federation.context import AS_PUBLIC
from vidpub.federation.negotiation import PAGE_SIZE, ActivityPubRoute, activity_response, collection_response, page_number
from vidpub.federation.outbox.send_comment import FEDERATED_PRIVACIES
from vidpub.federation.routes.actors import _account, _channel

router = APIRouter(include_in_schema=False, route_class=ActivityPubRoute,
                   dependencies=[rate_limited("activity_pub"), Depends(refuse_nul_characters)])


async def _published_comment(session, video_uuid: str, comment_id: int) -> tuple[VideoComment, Video]:
    comment = await session.get(VideoComment, comment_id)
    video = await session.get(Video, comment.video_id) if comment is not None else None
    # a reply held by the origin of a remote video is no secret (the origin has it): the servers told of
    # its approval read it here, maybe before this server has heard of that approval itself
    if (video is None or video.uuid != video_uuid.lower() or video.privacy not in FEDERATED_PRIVACIES
            or (comment.held_for_review and video.is_local)):
        raise not_found("Video comment not found")
    return comment, video


@router.get("/videos/watch/{video_uuid}/comments/{comment_id}")
async def comment_document(video_uuid: str, comment_id: int, session: SessionDep, config: ConfigDep):
    comment, _video = await _published_comment(session, video_uuid, comment_id)
    if not comment.url.startswith(f"{config.url}/"):
        return RedirectResponse(comment.url, status_code=302)
    context = await load_comment_context(session, comment)
    document = comment_to_ap(comment, context)
    if document["type"] == "Note":
        followers = (await session.execute(sa.select(Actor.followers_url).join(Account, Account.actor_id == Actor.id)
                                           .where(Account.id == comment.account_id))).scalar()
        document.update(audience_for(True, followers))
    return activity_response(document, "Comment")


@router.get("/videos/watch/{video_uuid}/comments/{comment_id}/approve-reply")
async def reply_approval_document(video_uuid: str, comment_id: int, session: SessionDep, config: ConfigDep):
    comment, video = await _published_comment(session, video_uuid, comment_id)
    if not video.is_local or comment.is_deleted:
        raise not_found("Video comment not found")
    context = await load_comment_context(session, comment)
    owner_url = (await session.execute(
        sa.select(Actor.url).join(Account, Account.actor_id == Actor.id)
        .join(VideoChannel, VideoChannel.account_id == Account.id).where(VideoChannel.id == video.channel_id))).scalar()
    return activity_response({"type": "ApproveReply", "id": urls.approve_reply_url(comment.url), "actor": owner_url,
                              "object": comment.url, "inReplyTo": context.in_reply_to, "to": [AS_PUBLIC]},
                             "ApproveReply")


async def _published_playlist(session, config, playlist_uuid: str) -> VideoPlaylist:
    playlist = (await session.execute(sa.select(VideoPlaylist).where(VideoPlaylist.uuid == playlist_uuid.lower()))
                ).scalar_one_or_none()
    if playlist is None or not is_published(playlist) or not playlist.url.startswith(f"{config.url}/"):
        raise not_found("Video playlist not found")
    return playlist


@router.get("/video-playlists/{playlist_uuid}")
async def playlist_document(playlist_uuid: str, request: Request, session: SessionDep, config: ConfigDep):
    playlist = await _published_playlist(session, config, playlist_uuid)
    document = await playlist_object(session, config, playlist)
    page = page_number(request)
    if page is not None:
        # a page is the playlist document with the page's fields over it (PeerTube's shape)
        total, items = await element_page(session, playlist.id, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        document.pop("first", None)
        document.update({"id": f"{playlist.url}?page={page}", "partOf": playlist.url, "orderedItems": items})
        if page > 1:
            document["prev"] = f"{playlist.url}?page={page - 1}"
        if page * PAGE_SIZE < total:
            document["next"] = f"{playlist.url}?page={page + 1}"
    return activity_response(document, "Playlist")


@router.get("/video-playlists/{playlist_uuid}/videos/{element_id}")
async def playlist_element_document(playlist_uuid: str, element_id: int, session: SessionDep, config: ConfigDep):
    playlist = await _published_playlist(session, config, playlist_uuid)
    element = (await session.execute(sa.select(VideoPlaylistElement).where(
        VideoPlaylistElement.id == element_id, VideoPlaylistElement.video_playlist_id == playlist.id))
    ).scalar_one_or_none()
    if element is None or element.url is None:
        raise not_found("Video playlist element not found")
    return activity_response(await element_object(session, element), "Playlist")


def _actor_playlists(session, condition):
    published = sa.and_(condition, VideoPlaylist.privacy.in_(PLAYLIST_PRIVACIES),
                        VideoPlaylist.type == VideoPlaylistType.REGULAR)

    async def load(start: int, count: int) -> tuple[int, list[str]]:
        total = (await session.execute(sa.select(sa.func.count(VideoPlaylist.id)).where(published))).scalar_one()
        if count <= 0:
            return total, []
        rows = await session.execute(sa.select(VideoPlaylist.url).where(published)
                                     .order_by(VideoPlaylist.id).offset(start).limit(count))
        return total, list(rows.scalars())

    return load


@router.get("/accounts/{name}/playlists")
async def account_playlists(name: str, request: Request, session: SessionDep):
    account = await _account(session, name)
    return await collection_response(request, f"{account.actor.url}/playlists", _actor_playlists(
        session, VideoPlaylist.owner_account_id == account.id))


@router.get("/video-channels/{name}/playlists")
async def channel_playlists(name: str, request: Request, session: SessionDep):
    channel = await _channel(session, name)
    return await collection_response(request, f"{channel.actor.url}/playlists", _actor_playlists(
        session, VideoPlaylist.video_channel_id == channel.id))
