"""Accounts tag: an account's followers (the `Follow` of the spec) and its ratings."""

from __future__ import annotations

from typing import Literal

from vidpub.db.models import ActorImageType
from vidpub.schemas.actors import ActorImage, actor_images, host_redundancy_allowed
from vidpub.schemas.common import ApiModel, Timestamp
from vidpub.schemas.videos import VideoJson


class ActorJson(ApiModel):
    """An actor as PeerTube shows either side of a follow: its actor id, not an account's."""
    id: int
    url: str
    name: str
    host: str
    hostRedundancyAllowed: bool
    followingCount: int
    followersCount: int
    createdAt: Timestamp
    updatedAt: Timestamp
    avatars: list[ActorImage]


class FollowJson(ApiModel):
    id: int
    follower: ActorJson
    following: ActorJson
    score: int
    state: Literal["pending", "accepted", "rejected"]
    createdAt: Timestamp
    updatedAt: Timestamp


class FollowList(ApiModel):
    total: int
    data: list[FollowJson]


class AccountVideoRateJson(ApiModel):
    video: VideoJson
    rating: Literal["like", "dislike"]


class AccountVideoRateList(ApiModel):
    total: int
    data: list[AccountVideoRateJson]


def actor_json(actor, base_url: str, local_host: str) -> ActorJson:
    return ActorJson(
        id=actor.id, url=actor.url, name=actor.preferred_username,
        host=local_host if actor.server is None else actor.server.host,
        hostRedundancyAllowed=host_redundancy_allowed(actor),
        followingCount=actor.following_count, followersCount=actor.followers_count,
        # a remote actor's own creation date when its server told us
        createdAt=actor.remote_created_at or actor.created_at, updatedAt=actor.updated_at,
        avatars=actor_images(actor, ActorImageType.AVATAR, base_url))


def follow_json(follow, base_url: str, local_host: str) -> FollowJson:
    return FollowJson(id=follow.id, follower=actor_json(follow.follower, base_url, local_host),
                      following=actor_json(follow.following, base_url, local_host), score=follow.score,
                      state=follow.state, createdAt=follow.created_at, updatedAt=follow.updated_at)
