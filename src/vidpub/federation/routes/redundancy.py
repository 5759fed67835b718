"""The ActivityPub document of our CacheFiles (`/redundancy/streaming-playlists/hls/<video uuid>`,
and `…/activity`, its Create), for ActivityPub clients only, as PeerTube serves them."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Depends

from vidpub.api.deps import SessionDep, rate_limited, refuse_nul_characters
from vidpub.db.models import Video, VideoRedundancy, VideoStreamingPlaylist
from vidpub.errors import not_found
from vidpub.federation.ap.cache_file import cache_file_to_ap
from vidpub.federation.audience import public_audience
from vidpub.federation.negotiation import ActivityPubRoute, activity_response
from vidpub.federation.remote_actors import server_actor

router = APIRouter(include_in_schema=False, route_class=ActivityPubRoute,
                   dependencies=[rate_limited("activity_pub"), Depends(refuse_nul_characters)])


async def _document(session, uuid: str) -> tuple[dict, object]:
    instance = await server_actor(session)
    row = (await session.execute(
        sa.select(VideoRedundancy, Video.url)
        .join(VideoStreamingPlaylist, VideoStreamingPlaylist.id == VideoRedundancy.video_streaming_playlist_id)
        .join(Video, Video.id == VideoStreamingPlaylist.video_id)
        .where(Video.uuid == uuid, VideoRedundancy.actor_id == instance.id))).first()
    if row is None:
        raise not_found("Video redundancy not found")
    redundancy, video_url = row
    return {**cache_file_to_ap(redundancy, video_url), **public_audience(instance.followers_url)}, instance


@router.get("/redundancy/streaming-playlists/hls/{uuid}")
async def cache_file_document(uuid: str, session: SessionDep):
    document, _ = await _document(session, uuid)
    return activity_response(document, "CacheFile")


@router.get("/redundancy/streaming-playlists/hls/{uuid}/activity")
async def cache_file_activity(uuid: str, session: SessionDep):
    document, instance = await _document(session, uuid)
    audience = public_audience(instance.followers_url)
    return activity_response({"type": "Create", "id": document["id"], "actor": instance.url, **audience,
                              "object": document}, "CacheFile")
