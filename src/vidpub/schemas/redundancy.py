"""Video Mirroring and Instance Redundancy tags: the mirrored videos list, and the request bodies."""

from __future__ import annotations

from pydantic import Field, StrictBool, StrictInt, StrictStr

from vidpub.schemas.common import ApiModel, RequestBody, Timestamp
from vidpub.services.redundancy import MANUAL, RedundantVideo


class RedundancyInformation(ApiModel):
    id: int
    fileUrl: str
    strategy: str | None
    createdAt: Timestamp
    updatedAt: Timestamp
    expiresOn: Timestamp | None
    size: int


class Redundancies(ApiModel):
    # 8.x: web-video redundancy is gone; only `streamingPlaylists` remains (the 7.0 spec adds `files`)
    streamingPlaylists: list[RedundancyInformation]


class VideoRedundancyJson(ApiModel):
    id: int
    name: str
    url: str
    uuid: str
    redundancies: Redundancies


class VideoRedundancyList(ApiModel):
    # The 7.0 spec says a bare array; real PeerTube answers `{total, data}` like every list.
    total: int
    data: list[VideoRedundancyJson]


class MirrorRequest(RequestBody):
    videoId: StrictInt | StrictStr = Field(description="id, UUID or short UUID of a remote video")


class ServerRedundancyUpdate(RequestBody):
    redundancyAllowed: StrictBool


def video_redundancy_json(item: RedundantVideo, held_by_us: bool) -> VideoRedundancyJson:
    video = item.video
    return VideoRedundancyJson(id=video.id, name=video.name, url=video.url, uuid=video.uuid, redundancies=Redundancies(
        streamingPlaylists=[RedundancyInformation(
            id=row.id, fileUrl=row.file_url, strategy=row.strategy or (MANUAL if held_by_us else None),
            createdAt=row.created_at, updatedAt=row.updated_at, expiresOn=row.expires_on, size=size)
            for row, size in item.redundancies]))
